"""Vendor analytics JSON reports: net pure product margin, Rapid Retail Analytics (real-time
sales, inventory, traffic) and demand forecasts, compared with the documents the simulator
rendered from Amazon's report schemas."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sp_api_simulator import Simulator
from sp_api_simulator.families.reports import store
from tap_amazon_seller import clock
from tests import instants
from tests.conftest import run_sync, select

# Dates decide what these tests read: each also runs at the edge instants (tests/instants.py).
pytestmark = pytest.mark.edges

US = "ATVPDKIKX0DER"


def rendered_rows(sim: Simulator, report_type: str, array: str, **options: str) -> list[dict]:
    """Every row of the documents the simulator made for `report_type` (and options)."""
    reports = store(sim)
    rows = []
    for report in reports.reports.values():
        if report.report_type != report_type or not report.document_id:
            continue
        if any(report.options.get(k) != v for k, v in options.items()):
            continue
        rows.extend((reports.rendered[report.document_id].json or {}).get(array, []))
    return rows


def test_net_pure_product_margin_by_day_and_asin(sim: Simulator) -> None:
    start = instants.midnight() - timedelta(days=20)
    result = run_sync(
        sim.tap_config(marketplaces=["US"], start_date=start.isoformat()),
        catalog=select("vendor_net_pure_product_margin_report"),
    )
    rows = result.records["vendor_net_pure_product_margin_report"]
    expected = {
        (r["startDate"], r["asin"]): r["netPureProductMargin"]
        for r in rendered_rows(
            sim, "GET_VENDOR_NET_PURE_PRODUCT_MARGIN_REPORT", "netPureProductMarginByAsin"
        )
    }
    assert {(r["startDate"], r["asin"]): r["netPureProductMargin"] for r in rows} == expected
    # Four days of lag: margins settle late.
    assert (
        max(r["startDate"] for r in rows)
        <= (instants.midnight() - timedelta(days=4)).date().isoformat()
    )


def test_real_time_reports_hourly_within_amazons_30_days(sim: Simulator) -> None:
    start = instants.midnight() - timedelta(days=90)  # older than Amazon keeps: not asked for
    result = run_sync(
        sim.tap_config(marketplaces=["US"], start_date=start.isoformat()),
        catalog=select(
            "vendor_real_time_sales_report",
            "vendor_real_time_inventory_report",
            "vendor_real_time_traffic_report",
        ),
    )
    for kind, metric in (
        ("sales", "orderedUnits"),
        ("inventory", "highlyAvailableInventory"),
        ("traffic", "glanceViews"),
    ):
        rows = result.records[f"vendor_real_time_{kind}_report"]
        expected = rendered_rows(sim, f"GET_VENDOR_REAL_TIME_{kind.upper()}_REPORT", "reportData")
        got = {(r["startTime"], r["asin"]): r[metric] for r in rows}
        assert got == {(e["startTime"], e["asin"]): e[metric] for e in expected}
        assert len(got) == len(rows)  # keyed by hour and ASIN: each once
        earliest = min(r["startTime"] for r in rows)
        assert earliest >= (clock.now() - timedelta(days=31)).isoformat()
    # 30 days in 7-day windows: five reports a type, none for the older 60 days.
    assert sim.calls["reports_2021-06-30.createReport"] == 15


def test_forecasts_for_retail_and_fresh_are_two_reports(sim: Simulator) -> None:
    result = run_sync(
        sim.tap_config(marketplaces=["US"]),
        catalog=select("vendor_forecasting_retail_report", "vendor_forecasting_fresh_report"),
    )
    for program in ("RETAIL", "FRESH"):
        rows = result.records[f"vendor_forecasting_{program.lower()}_report"]
        expected = rendered_rows(
            sim, "GET_VENDOR_FORECASTING_REPORT", "forecastByAsin", sellingProgram=program
        )
        assert sorted((r["asin"], r["startDate"], r["p90ForecastUnits"]) for r in rows) == sorted(
            (e["asin"], e["startDate"], e["p90ForecastUnits"]) for e in expected
        )
    assert len(result.records["vendor_forecasting_fresh_report"]) < len(
        result.records["vendor_forecasting_retail_report"]
    )
    assert sim.calls["reports_2021-06-30.createReport"] == 2
