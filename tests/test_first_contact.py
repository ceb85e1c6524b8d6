"""Robust on first contact: every config shape runs, one failure never stops the rest, and
an answer of the wrong shape is an error, never "no data".

Against the bundled simulator with its fault switches: `misshapen` (a 200 whose every
top-level value is a string) and scripted statuses. What "the wrong shape" means comes
from Amazon's models (tap_amazon_seller/data/answer_shapes.json, checked against them in
test_conformance).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from sp_api_simulator import Simulator, SimulatorConfig
from sp_api_simulator.server import simulated_operations
from tap_amazon_seller.tap import EXIT_PARTIAL, TapAmazonSeller
from tests.conftest import FAST, SyncResult, run_sync, select
from tests.instants import days_ago, started

ROOT = Path(__file__).resolve().parent.parent

# Roles of a vendor's app; a seller's app has every other role.
VENDOR_ROLES = {"Inventory and Order Management", "Direct-to-Consumer Shipping", "Brand Analytics"}


def every_role() -> set[str]:
    from sp_api_simulator.families import reports
    from sp_api_simulator.server import _HANDLERS

    roles = {role for name in simulated_operations() for role in _HANDLERS[name][0]}
    return roles | set(reports.ROLE_OF_TYPE.values()) | {reports.DEFAULT_ROLE}


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    # Rate limits are not what these tests are about: no 429 may stand in for the fault.
    simulator = Simulator(SimulatorConfig(time_scale=FAST, enforce_rate_limits=False))
    with simulator.running():
        yield simulator


def keys_of(result: SyncResult, since: datetime | None = None) -> dict[str, Counter]:
    """The keys of each stream's records (with `since`, of the records DATED_BY a field
    only those dated at or after it)."""
    catalog = TapAmazonSeller(config={}, validate_config=False).catalog_dict
    keys = {e["tap_stream_id"]: e["key_properties"] for e in catalog["streams"]}
    return {
        stream: Counter(
            json.dumps([r.get(k) for k in keys[stream]], default=str)
            for r in rows
            if since is None or stream not in DATED_BY or _at(r[DATED_BY[stream]]) >= since
        )
        for stream, rows in result.records.items()
    }


#: The field that dates each record of the streams read from start_date on, by time of day.
DATED_BY = {
    "orders": "lastUpdatedTime",
    "order_items": "lastUpdatedTime",
    "fba_customer_shipment_sales": "shipment_date",
}


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def recent(days: int = 5) -> str:
    return days_ago(days, at_midnight=True).isoformat()


# -- Every config shape ----------------------------------------------------------------

CONFIG_SHAPES: dict[str, dict] = {
    # Each marketplace the simulated seller sells in, alone (the tap's 16 others are the
    # seller's as much as AU below: not registered).
    **{
        f"{country} alone": {"marketplaces": [country]}
        for country in ("US", "CA", "DE", "FR", "GB", "ES", "JP")
    },
    "one region, two marketplaces (US + CA)": {"region": "na", "marketplaces": ["US", "CA"]},
    "mixed regions (US + DE + JP)": {"marketplaces": ["US", "DE", "JP"]},
    "region eu without marketplaces": {"region": "eu", "marketplaces": None},
    "region fe without marketplaces": {"region": "fe", "marketplaces": None},
    "a marketplace the seller does not sell in (AU)": {"marketplaces": ["AU"]},
}


@pytest.mark.parametrize("shape", sorted(CONFIG_SHAPES))
def test_every_config_shape_runs_the_default_catalog_to_the_end(
    sim: Simulator, shape: str, caplog: pytest.LogCaptureFixture
) -> None:
    config = sim.tap_config(start_date=recent(), **CONFIG_SHAPES[shape])
    if config.get("marketplaces") is None:
        config.pop("marketplaces")
    with caplog.at_level(logging.INFO):
        result = run_sync(config)  # no catalog: every stream, as a first-time user runs it
    tap = result.tap
    assert tap is not None
    assert tap.failed == [], f"{shape}: {tap.failed}"
    said = caplog.text
    for name, stream in tap.streams.items():
        if not stream.selected_by_default:
            # A report type Amazon removed: not in a default sync (tests/test_settings.py).
            assert name not in tap.record_counts and not stream.selected, name
            continue
        # Read through (perhaps empty, listed with its count in the summary), or a line
        # says why not.
        assert name in tap.record_counts or f"Stream {name}" in said, (
            f"{shape}: stream {name} was not read and no line says why"
        )
        if name not in result.records:
            assert f"{name} " in said
    assert "Traceback" not in said


@pytest.mark.parametrize(
    ("account", "account_type"),
    [("seller only", None), ("vendor only", "vendor"), ("seller only", "both")],
)
def test_a_seller_only_and_a_vendor_only_account_run_the_default_catalog(
    account: str, account_type: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    roles = every_role() - VENDOR_ROLES if account == "seller only" else VENDOR_ROLES
    simulator = Simulator(SimulatorConfig(time_scale=FAST, enforce_rate_limits=False, roles=roles))
    with simulator.running(), caplog.at_level(logging.INFO):
        config = simulator.tap_config(marketplaces=["US", "DE"], start_date=recent())
        result = run_sync({**config, "account_type": account_type} if account_type else config)
    tap = result.tap
    assert tap is not None and tap.failed == []
    emitted = set(result.records)
    vendor = {"vendor_purchase_orders", "vendor_shipments"}
    if account == "seller only":
        assert {"orders", "financial_events", "warehouse_inventory"} <= emitted
        assert not emitted & vendor
        refused = any("vendor_purchase_orders" in s and "access denied" in s for s in tap.skipped)
        # A seller's default (account_type seller) does not even try the vendor streams;
        # with "both" they are tried and skipped, the role named.
        assert refused == (account_type == "both")
        assert tap.streams["vendor_purchase_orders"].selected == (account_type == "both")
    else:
        assert vendor <= emitted
        assert "orders" not in emitted and not tap.streams["orders"].selected
    assert "Traceback" not in caplog.text
    assert "set account_type: vendor" not in caplog.text


def test_a_vendor_account_left_at_the_seller_default_is_told_what_to_set(
    caplog: pytest.LogCaptureFixture,
) -> None:
    simulator = Simulator(
        SimulatorConfig(time_scale=FAST, enforce_rate_limits=False, roles=VENDOR_ROLES)
    )
    with simulator.running(), caplog.at_level(logging.INFO):
        result = run_sync(simulator.tap_config(marketplaces=["US"], start_date=recent()))
    assert result.tap is not None and result.tap.failed == []
    assert "orders" not in result.records and "vendor_purchase_orders" not in result.records
    assert "If this is a Vendor Central account, set account_type: vendor" in caplog.text


def test_the_default_sync_of_a_us_ca_seller_exits_0_from_the_command_line(
    sim: Simulator, tmp_path: Path
) -> None:
    """The crash first contact saw: `region: na`, US + CA, no catalog (an EU-only stream
    has no partition there and used to end the whole process after two seconds)."""
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(sim.tap_config(region="na", marketplaces=["US", "CA"], start_date=recent()))
    )
    done = run_cli(config)
    assert done.returncode == 0, done.stderr[-3000:]
    streams = {json.loads(line).get("stream") for line in done.stdout.splitlines()}
    assert {"orders", "warehouse_inventory", "financial_events", "sales_traffic_report"} <= streams
    assert not any(stream.startswith("vendor_") for stream in streams if stream)  # a seller's
    assert "Stream afn_inventory_country has nothing to sync for this config" in done.stderr
    assert "Traceback" not in done.stderr


def run_cli(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-m", "tap_amazon_seller", "--config", str(config), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


# -- One failure never stops the rest ---------------------------------------------------

MIXED = ("orders", "order_items", "fba_inventory_summaries", "warehouse_inventory", "feeds")


def test_an_unexpected_error_in_one_stream_stops_only_that_partition(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    config = sim.tap_config(marketplaces=["US", "DE"], start_date=recent())
    clean = keys_of(run_sync(config, catalog=select(*MIXED)))
    from tap_amazon_seller.streams.inventory import FbaInventorySummariesStream

    original = FbaInventorySummariesStream.fetch_pages

    def broken(self, client, context, params):  # type: ignore[no-untyped-def]
        if context and context.get("marketplace_id") == "ATVPDKIKX0DER":
            yield from list(original(self, client, context, params))[:2]
            raise KeyError("a field nobody foresaw")
        yield from original(self, client, context, params)

    monkeypatch.setattr(FbaInventorySummariesStream, "fetch_pages", broken)
    with caplog.at_level(logging.INFO):
        result = run_sync(config, catalog=select(*MIXED))
    got = keys_of(result)
    for stream in MIXED:
        if stream != "fba_inventory_summaries":
            assert got.get(stream) == clean[stream], stream
    us = [
        r
        for r in result.records["fba_inventory_summaries"]
        if r["marketplace_id"] == "ATVPDKIKX0DER"
    ]
    de = [
        r
        for r in result.records["fba_inventory_summaries"]
        if r["marketplace_id"] != "ATVPDKIKX0DER"
    ]
    assert len(us) == 2 and de
    assert result.tap is not None
    assert result.tap.failed == [
        "fba_inventory_summaries (marketplace ATVPDKIKX0DER): 'a field nobody foresaw'"
    ]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert any(
        "fba_inventory_summaries, marketplace ATVPDKIKX0DER stopped by an unexpected error: "
        "KeyError"
        in r.getMessage()
        and "inventory" in r.getMessage()
        for r in errors
    )
    assert any("not fully read: fba_inventory_summaries" in r.getMessage() for r in errors)


def test_a_partition_that_fails_holds_its_bookmark_and_the_next_run_reads_it(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = days_ago(20, at_midnight=True).isoformat()
    config = sim.tap_config(marketplaces=["US", "DE"], start_date=start, max_retries=0)
    clean = keys_of(run_sync(config, catalog=select("financial_events")))
    from tap_amazon_seller.streams.finances import FinancialEventsStream

    original = FinancialEventsStream.window_records
    calls = Counter[str]()

    def breaks_after_two_events(self, client, context, params, *, rereading):  # type: ignore[no-untyped-def]
        region = (context or {}).get("region", "")
        calls[region] += 1
        records = original(self, client, context, params, rereading=rereading)
        if region != "eu":
            yield from records
            return
        yield from list(records)[:2]
        raise ValueError("garbled after two events")

    monkeypatch.setattr(FinancialEventsStream, "window_records", breaks_after_two_events)
    broken = run_sync(config, catalog=select("financial_events"))
    monkeypatch.setattr(FinancialEventsStream, "window_records", original)
    state = broken.states[-1]
    partitions = {
        p["context"]["region"]: p for p in state["bookmarks"]["financial_events"]["partitions"]
    }
    assert calls["eu"] == 1 and len(broken.records["financial_events"]) > 2
    assert "replication_key_value" not in partitions.get("eu", {})
    assert partitions["na"]["replication_key_value"]
    resumed = run_sync(config, catalog=select("financial_events"), state=state)
    both = keys_of(broken)["financial_events"] + keys_of(resumed)["financial_events"]
    assert set(clean["financial_events"]) <= set(both)


# -- Answers of the wrong shape ----------------------------------------------------------

#: Per API family: an operation it reads, and the streams that read it (with the others
#: of a mixed selection, which must deliver exactly what a clean sync does).
GARBLED: dict[str, tuple[str, tuple[str, ...]]] = {
    "orders": ("orders_2026-01-01.searchOrders", ("orders", "order_items")),
    "finances v0": ("financesV0.listFinancialEvents", ("financial_events",)),
    "finances 2024-06-19": ("finances_2024-06-19.listTransactions", ("finance_transactions",)),
    "fba inventory": ("fbaInventory.getInventorySummaries", ("fba_inventory_summaries",)),
    "listings": ("listingsItems_2021-08-01.searchListingsItems", ("listings_items",)),
    "feeds": ("feeds_2021-06-30.getFeeds", ("feeds",)),
    "vendor": ("vendorOrders.getPurchaseOrders", ("vendor_purchase_orders",)),
    "replenishment": (
        "replenishment-2022-11-07.getSellingPartnerMetrics",
        ("replenishment_daily_metrics",),
    ),
    # The orders' backfill reads a report too; a snapshot report is reused from the clean
    # sync (its status comes from the listing), a window report is new (polled).
    "reports (status)": (
        "reports_2021-06-30.getReport",
        ("fba_customer_shipment_sales", "orders", "order_items"),
    ),
    "reports (document)": (
        "reports_2021-06-30.getReportDocument",
        ("fba_customer_shipment_sales", "warehouse_inventory", "orders", "order_items"),
    ),
}
SELECTION = tuple(sorted({s for _, streams in GARBLED.values() for s in streams}))


@pytest.fixture(scope="module")
def clean_sync(sim: Simulator) -> dict[str, Counter]:
    clean = run_sync(garble_config(sim, second=0), catalog=select(*SELECTION))
    return keys_of(clean, since=garble_start(len(GARBLED)))


def garble_start(second: int) -> datetime:
    return days_ago(5, at_midnight=True) + timedelta(seconds=second)


def garble_config(sim: Simulator, second: int) -> dict:
    # Each run starts a second later, so its report windows are new (requested and polled);
    # the runs are compared on what all of them read, from the last one's start (an order
    # placed at midnight sharp is read by the first only).
    start = garble_start(second)
    return sim.tap_config(marketplaces=["US"], start_date=start.isoformat(), max_retries=1)


@pytest.mark.parametrize("family", sorted(GARBLED))
def test_a_wrong_shaped_answer_fails_its_stream_loudly_and_the_others_deliver(
    sim: Simulator,
    clean_sync: dict[str, Counter],
    family: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    operation, hit = GARBLED[family]
    assert all(clean_sync.get(s) for s in SELECTION), "the clean sync must emit every stream"
    sim.faults.misshapen[operation] = 1000
    try:
        with caplog.at_level(logging.INFO):
            second = 1 + sorted(GARBLED).index(family)
            result = run_sync(garble_config(sim, second), catalog=select(*SELECTION))
    finally:
        sim.faults.misshapen.clear()
    got = keys_of(result, since=garble_start(len(GARBLED)))
    for stream in SELECTION:
        if stream not in hit:
            assert got.get(stream) == clean_sync[stream], f"{family}: {stream} differs"
    assert result.tap is not None
    failed = " ".join(result.tap.failed)
    for stream in hit:
        assert stream in failed, f"{family}: {stream} is not listed as failed"
    errors = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
    assert operation in errors and "shape Amazon's model does not allow" in errors
    assert "Traceback" not in caplog.text


#: Every incremental stream read from a paged API, and the operation of its pages.
INCREMENTAL_API = {
    "orders": "orders_2026-01-01.searchOrders",
    "financial_events": "financesV0.listFinancialEvents",
    "order_financial_events": "financesV0.listFinancialEvents",
    "finance_transactions": "finances_2024-06-19.listTransactions",
    "financial_event_groups": "financesV0.listFinancialEventGroups",
    "feeds": "feeds_2021-06-30.getFeeds",
    "reports": "reports_2021-06-30.getReports",
    "vendor_purchase_orders": "vendorOrders.getPurchaseOrders",
    "vendor_shipments": "vendorShipments.GetShipmentDetails",
    "vendor_fulfilment_purchase_orders": "vendorDirectFulfillmentOrders_2021-12-28.getOrders",
    "vendor_fulfilment_customer_invoices": (
        "vendorDirectFulfillmentShipping_2021-12-28.getCustomerInvoices"
    ),
    "vendor_fulfilment_shipping_labels": (
        "vendorDirectFulfillmentShipping_2021-12-28.getShippingLabels"
    ),
    "vendor_fulfilment_packing_slips": (
        "vendorDirectFulfillmentShipping_2021-12-28.getPackingSlips"
    ),
    "replenishment_daily_metrics": "replenishment-2022-11-07.getSellingPartnerMetrics",
    "replenishment_offer_metrics": "replenishment-2022-11-07.listOfferMetrics",
}


@pytest.fixture(scope="module")
def small_pages() -> Iterator[Simulator]:
    simulator = Simulator(SimulatorConfig(time_scale=FAST, enforce_rate_limits=False, page_size=3))
    with simulator.running():
        yield simulator


@pytest.mark.parametrize("stream", sorted(INCREMENTAL_API))
def test_a_garbled_page_never_moves_a_bookmark_past_it(small_pages: Simulator, stream: str) -> None:
    """The second page of the stream's first partition is garbled: that run fails there,
    and the next run, from the state it left, delivers every record a clean run does."""
    sim, operation = small_pages, INCREMENTAL_API[stream]
    # Settlement groups come every two weeks: theirs needs a longer history for two pages.
    days = 90 if stream == "financial_event_groups" else 20
    start = days_ago(days, at_midnight=True) + timedelta(hours=1)
    config = sim.tap_config(marketplaces=["US", "DE"], start_date=start.isoformat(), max_retries=0)
    clean = keys_of(run_sync(config, catalog=select(stream)))
    assert sum(clean.get(stream, Counter()).values()) > 3, "needs more than one page"
    sim.faults.misshapen[operation], sim.faults.misshapen_after[operation] = 1, 1
    try:
        garbled = run_sync(config, catalog=select(stream))
        assert sim.faults.misshapen[operation] == 0, "the garbled page was never asked for"
    finally:
        sim.faults.misshapen.clear()
        sim.faults.misshapen_after.clear()
    assert garbled.tap is not None and any(stream in f for f in garbled.tap.failed)
    resumed = run_sync(config, catalog=select(stream), state=garbled.states[-1])
    assert resumed.tap is not None and resumed.tap.failed == []
    delivered = set(keys_of(garbled).get(stream, Counter())) | set(keys_of(resumed)[stream])
    missing = set(clean[stream]) - delivered
    assert not missing, f"{stream}: {len(missing)} records lost, e.g. {sorted(missing)[:2]}"


def test_a_wrong_shaped_answer_makes_the_command_line_exit_2(
    sim: Simulator, tmp_path: Path
) -> None:
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(sim.tap_config(marketplaces=["US"], start_date=recent(), max_retries=0))
    )
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps(select("fba_inventory_summaries", "feeds")))
    sim.faults.misshapen["fbaInventory.getInventorySummaries"] = 1000
    try:
        done = run_cli(config, "--catalog", str(catalog))
    finally:
        sim.faults.misshapen.clear()
    assert done.returncode == EXIT_PARTIAL, done.stderr[-3000:]
    assert "fbaInventory.getInventorySummaries answered in region na in a shape" in done.stderr
    assert "not fully read: fba_inventory_summaries (marketplace ATVPDKIKX0DER)" in done.stderr
    streams = Counter(json.loads(line).get("stream") for line in done.stdout.splitlines())
    assert streams["feeds"] > 0
    assert json.loads(done.stdout.splitlines()[-1])["type"] == "STATE"
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("stream", ["financial_events", "vendor_purchase_orders"])
def test_a_run_in_the_same_second_as_the_last_one_asks_no_empty_window(
    sim: Simulator, stream: str
) -> None:
    """The window from the bookmark (whole seconds) to now - 2 min (not) was shorter than a
    second when a run followed the last one within it: sent as whole seconds, its start
    and end were equal, which Amazon refuses (found at an edge instant under faketime)."""
    import time_machine

    instant = started().replace(microsecond=600_000)
    config = sim.tap_config(marketplaces=["US"], start_date=recent(), max_retries=0)
    with time_machine.travel(instant, tick=False):
        first = run_sync(config, catalog=select(stream))
        again = run_sync(config, catalog=select(stream), state=first.states[-1])
    assert first.tap is not None and first.tap.failed == []
    assert again.tap is not None and again.tap.failed == [], again.tap.failed
