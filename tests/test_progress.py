"""A data engineer can read where a sync stands and how it ended."""

from __future__ import annotations

import logging

import pytest

from sp_api_simulator import Simulator, SimulatorConfig
from tests.conftest import FAST, run_sync, select


def test_report_progress_and_end_of_sync_summary(caplog: pytest.LogCaptureFixture) -> None:
    simulator = Simulator(
        SimulatorConfig(
            time_scale=FAST, roles={"Amazon Fulfillment", "Inventory and Order Tracking"}
        )
    )
    with simulator.running(), caplog.at_level(logging.INFO):
        result = run_sync(
            simulator.tap_config(marketplaces=["US", "DE"]),
            catalog=select("warehouse_inventory", "orders", "financial_events"),
        )
    text = caplog.text
    assert "Requested GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA for ATVPDKIKX0DER" in text
    assert "is DONE" in text
    rows = len(
        [
            r
            for r in result.records["warehouse_inventory"]
            if r["marketplace_id"] == "A1PA6795UKMFR9"
        ]
    )
    assert f"): {rows} rows read into warehouse_inventory" in text
    summary = text.split("Sync summary", 1)[1]
    orders_line = next(line for line in summary.splitlines() if "  orders " in line)
    assert orders_line.split()[-2] == str(len(result.records["orders"]))
    assert "reports_2021-06-30.createReport" in summary and "throttled (429)" in summary
    # The stream the app has no role for is listed as skipped, region by region: a skip
    # the account implies, not a failure (the run still succeeds).
    assert "skipped: financial_events (region na): access denied" in summary
    assert "skipped: financial_events (region eu): access denied" in summary
    assert "not fully read" not in summary
    assert result.tap is not None and result.tap.failed == []
    assert "every selected stream and partition was read in full" not in summary


def test_summary_says_when_everything_was_read(
    simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        run_sync(simulator.tap_config(marketplaces=["US"]), catalog=select("marketplaces"))
    assert "every selected stream and partition was read in full" in caplog.text
