"""Shared fixtures: a fresh simulator per test, and a helper to run a sync in-process."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from singer_sdk.testing.runners import TapTestRunner

from tap_amazon_seller.simulator import Simulator, SimulatorConfig
from tap_amazon_seller.tap import TapAmazonSeller

SHARED = Path(__file__).resolve().parents[2] / "shared" / "sp-api"
# Rate limits 1000x faster than Amazon's: the tap's own pacing logic runs unchanged.
FAST = 1000.0


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
    runner = TapTestRunner(TapAmazonSeller, config=config, **tap_kwargs)
    runner.sync_all()
    return SyncResult(
        records={name: list(rows) for name, rows in runner.records.items()},
        states=[m["value"] for m in runner.state_messages],
    )


def shared_models() -> Path:
    models = SHARED / "models"
    if not models.is_dir():
        pytest.skip("../shared/sp-api is not beside this checkout")
    return models
