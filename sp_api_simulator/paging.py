"""Opaque next-page tokens for the simulator's paged operations."""

from __future__ import annotations

import secrets
from typing import Any

from sp_api_simulator.server import Simulator


def page_of(
    sim: Simulator, family: str, items: list[Any], token: str | None, page_size: int
) -> tuple[list[Any] | None, str | None]:
    """(this page, the next page's token); (None, None) for a token never issued.

    `SimulatorConfig.page_size` shrinks every page, so tests can page through small data.
    """
    tokens: dict[str, int] = sim.family_state(f"paging:{family}", lambda _: {})
    size = min(page_size, sim.config.page_size or page_size)
    if token is not None:
        if token not in tokens:
            return None, None
        start = tokens.pop(token)
    else:
        start = 0
    page = items[start : start + size]
    if start + size < len(items):
        next_token = secrets.token_urlsafe(12)
        tokens[next_token] = start + size
        return page, next_token
    return page, None
