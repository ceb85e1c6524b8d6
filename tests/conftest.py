"""Shared fixtures: a fresh simulator per test, and a helper to run a sync in-process."""

from __future__ import annotations

import contextlib
import copy
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tap_amazon_seller.simulator import Simulator, SimulatorConfig
from tap_amazon_seller.tap import TapAmazonSeller

SHARED = Path(__file__).resolve().parents[2] / "shared" / "sp-api"
# Rate limits 1000x faster than Amazon's: the tap's own pacing logic runs unchanged.
FAST = 1000.0


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """A running simulator at the default test settings (modules needing others, such as
    smaller pages, define their own `sim`)."""
    simulator = Simulator(SimulatorConfig(time_scale=FAST))
    with simulator.running():
        yield simulator


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    sim = Simulator(SimulatorConfig(time_scale=FAST))
    with sim.running():
        yield sim


@dataclass
class SyncResult:
    records: dict[str, list[dict]] = field(default_factory=dict)
    states: list[dict] = field(default_factory=list)
    tap: TapAmazonSeller | None = None


def run_sync(config: dict[str, Any], **tap_kwargs: Any) -> SyncResult:
    """A full sync in this process (no record limit, unlike the SDK's dry-run runner)."""
    output = io.StringIO()
    if isinstance(tap_kwargs.get("state"), dict):  # the tap updates its state in place
        tap_kwargs["state"] = copy.deepcopy(tap_kwargs["state"])
    with contextlib.redirect_stdout(output):
        tap = TapAmazonSeller(config=config, **tap_kwargs)
        tap.sync_all()
    result = SyncResult(tap=tap)
    for line in output.getvalue().splitlines():
        message = json.loads(line)
        if message["type"] == "RECORD":
            result.records.setdefault(message["stream"], []).append(message["record"])
        elif message["type"] == "STATE":
            result.states.append(message["value"])
    return result


def select(*streams: str, config: dict | None = None) -> dict:
    """A catalog selecting only `streams`, as a user's catalog file would (`config` for
    the streams that settings add, such as the generic ones of `report_types`)."""
    catalog = TapAmazonSeller(config=config or {}, validate_config=False).catalog_dict
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            if metadata["breadcrumb"] == []:
                metadata["metadata"]["selected"] = entry["tap_stream_id"] in streams
    return catalog


def shared_models() -> Path:
    models = SHARED / "models"
    if not models.is_dir():
        pytest.skip("../shared/sp-api is not beside this checkout")
    return models
