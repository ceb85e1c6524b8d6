"""Scheduling: a report stream read recently enough is not due, and what a plan costs."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from sp_api_simulator import Simulator
from tap_amazon_seller import clock
from tap_amazon_seller.rate_limits import operation
from tap_amazon_seller.reports import schedule
from tap_amazon_seller.reports.engine import iso
from tap_amazon_seller.settings import SettingsError, parse_settings
from tap_amazon_seller.tap import TapAmazonSeller
from tests import instants
from tests.conftest import run_sync, select

# Dates decide what these tests read: each also runs at the edge instants (tests/instants.py).
pytestmark = pytest.mark.edges

US, CA = "ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"
CREATE = "reports_2021-06-30.createReport"
T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def config(sim: Simulator, **overrides: Any) -> dict:
    values = {
        "marketplaces": ["US", "CA"],
        "start_date": instants.days_ago(10, at_midnight=True).isoformat(),
        "report_poll_interval": 0.02,
    }
    values.update(overrides)
    return sim.tap_config(**values)


def partitions(state: dict, stream: str) -> dict[str, dict]:
    return {p["context"]["marketplace_id"]: p for p in state["bookmarks"][stream]["partitions"]}


# -- the arithmetic ---------------------------------------------------------------------


def test_a_partition_never_read_or_with_no_cadence_is_always_due() -> None:
    assert schedule.is_due(None, 24, T0)
    assert schedule.is_due(T0, 0, T0)


def test_a_run_slightly_early_is_due_and_one_well_early_is_not() -> None:
    # Hourly: 10 % early (6 min) still counts, so a cron a few seconds early never skips.
    assert schedule.is_due(T0, 1, T0 + timedelta(minutes=54))
    assert not schedule.is_due(T0, 1, T0 + timedelta(minutes=53, seconds=59))
    # Daily: at most 15 minutes early.
    assert schedule.is_due(T0, 24, T0 + timedelta(hours=23, minutes=45))
    assert not schedule.is_due(T0, 24, T0 + timedelta(hours=23, minutes=44))


@given(
    st.floats(min_value=0.01, max_value=24 * 90, allow_nan=False),
    st.integers(min_value=0, max_value=10**7),
)
def test_due_is_monotonic_and_never_early_by_more_than_the_allowance(
    hours: float, seconds: int
) -> None:
    now = T0 + timedelta(seconds=seconds)
    cadence = timedelta(hours=hours)
    if schedule.is_due(T0, hours, now):
        assert now - T0 >= cadence - min(cadence / 10, timedelta(minutes=15))
        assert schedule.is_due(T0, hours, now + timedelta(seconds=1))
    else:
        assert now - T0 < cadence


def test_floor_of_create_report_is_the_burst_then_one_a_minute() -> None:
    create = operation(CREATE)
    assert schedule.floor_seconds(15, create).seconds == 0
    assert schedule.floor_seconds(16, create).seconds == pytest.approx(60, rel=0.01)
    # The example: 174 reports in one region need 159 minutes after the burst.
    assert schedule.floor_seconds(174, create).seconds == pytest.approx(159 * 60, rel=0.01)
    # (0.0167 a second is a touch faster than one a minute: 2 h 39 min.)
    assert schedule.describe_seconds(schedule.floor_seconds(174, create).seconds) == "2 h 39 min"


def test_calls_within_a_budget_inverts_the_floor() -> None:
    create = operation(CREATE)
    for calls in (1, 15, 16, 40, 174):
        floor = schedule.floor_seconds(calls, create).seconds
        assert schedule.calls_within(floor, create) >= calls
        if calls > create.burst:
            assert schedule.calls_within(floor - 1, create) == calls - 1


# -- the setting --------------------------------------------------------------------------


def base_config(**values: Any) -> dict:
    return {
        "refresh_token": "r",
        "lwa_client_id": "i",
        "lwa_client_secret": "s",
        "marketplaces": ["US"],
        **values,
    }


def test_report_cadence_hours_names_streams_and_takes_hours() -> None:
    settings = parse_settings(base_config(report_cadence_hours={"fba_returns": "2", "*": 0}))
    assert settings.report_cadence_hours == {"fba_returns": 2.0, "*": 0.0}


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({"fba_retruns": 1}, "report_cadence_hours: 'fba_retruns' is not a report stream"),
        ({"fba_returns": -1}, "report_cadence_hours.fba_returns: -1 must be a number of hours"),
        ({"fba_returns": "daily"}, "report_cadence_hours.fba_returns: 'daily' must be"),
        ({"fba_returns": True}, "report_cadence_hours.fba_returns: True must be"),
        ([1], "report_cadence_hours: must be an object"),
    ],
)
def test_a_bad_cadence_is_refused_naming_the_setting(given: Any, named: str) -> None:
    with pytest.raises(SettingsError) as refused:
        parse_settings(base_config(report_cadence_hours=given))
    assert any(error.startswith(named) for error in refused.value.errors), refused.value.errors


# -- end to end against the simulator ---------------------------------------------------


def test_a_stream_not_due_requests_nothing_and_its_bookmark_holds(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = config(sim, report_cadence_hours={"fba_returns": 24, "warehouse_inventory": 24})
    catalog = select("fba_returns", "warehouse_inventory")
    first = run_sync(cfg, catalog=catalog, state={})
    created = sim.calls[CREATE]
    assert created > 0 and first.records["fba_returns"] and first.records["warehouse_inventory"]
    state = first.states[-1]
    read = partitions(state, "fba_returns")
    assert set(read) == {US, CA}
    assert all(p[schedule.READ_AT] and p["replication_key_value"] for p in read.values())

    # An hour later nothing is due: no report is requested, no record sent, no bookmark moved.
    caplog.clear()
    with (
        time_machine.travel(clock.now() + timedelta(hours=1), tick=True),
        caplog.at_level(logging.INFO),
    ):
        again = run_sync(cfg, catalog=catalog, state=state)
    assert sim.calls[CREATE] == created
    assert not again.records.get("fba_returns") and not again.records.get("warehouse_inventory")
    assert partitions(again.states[-1], "fba_returns") == read
    assert partitions(again.states[-1], "warehouse_inventory") == partitions(
        state, "warehouse_inventory"
    )
    said = [r.getMessage() for r in caplog.records if "not due" in r.getMessage()]
    assert any(m.startswith("Stream fba_returns not due in ATVPDKIKX0DER, ") for m in said), said
    assert again.tap is not None and len(again.tap.not_due) == 4  # two streams, two markets
    assert "report_cadence_hours" in said[0]

    # A day on, both are due again, and the bookmark moves on from where it was.
    with time_machine.travel(clock.now() + timedelta(hours=24), tick=True):
        later = run_sync(cfg, catalog=catalog, state=again.states[-1])
        moved = partitions(later.states[-1], "fba_returns")
    assert sim.calls[CREATE] > created
    assert later.records["warehouse_inventory"]
    for marketplace, partition in moved.items():
        assert partition["replication_key_value"] > read[marketplace]["replication_key_value"]
        assert partition[schedule.READ_AT] > read[marketplace][schedule.READ_AT]


def test_a_cadence_of_zero_reads_every_run(sim: Simulator) -> None:
    cfg = config(sim, marketplaces=["US"], report_cadence_hours={"*": 24, "reserved_inventory": 0})
    catalog = select("reserved_inventory", "fba_returns")
    first = run_sync(cfg, catalog=catalog, state={})
    with time_machine.travel(clock.now() + timedelta(hours=1), tick=True):
        again = run_sync(cfg, catalog=catalog, state=first.states[-1])
    assert again.records["reserved_inventory"]  # its own 0 wins over "*"
    assert not again.records.get("fba_returns")  # "*": 24 for the rest


def test_a_partition_that_failed_is_due_on_the_next_run(sim: Simulator) -> None:
    cfg = config(sim, marketplaces=["US"], report_cadence_hours={"warehouse_inventory": 24})
    catalog = select("warehouse_inventory")
    sim.faults.fatal_report_types = {"GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA"}
    first = run_sync(cfg, catalog=catalog, state={})
    assert not first.records.get("warehouse_inventory")
    assert schedule.READ_AT not in json.dumps(first.states[-1])
    sim.faults.fatal_report_types = set()
    again = run_sync(cfg, catalog=catalog, state=first.states[-1])
    assert again.records["warehouse_inventory"]


def message_types(cfg: dict, catalog: dict, state: dict) -> list[str]:
    """The types of the Singer messages a sync writes, in order."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        TapAmazonSeller(config=cfg, catalog=catalog, state=copy.deepcopy(state)).sync_all()
    return [json.loads(line)["type"] for line in output.getvalue().splitlines()]


def test_no_activate_version_for_a_snapshot_not_due(sim: Simulator) -> None:
    cfg = config(
        sim,
        marketplaces=["US"],
        report_cadence_hours={"warehouse_inventory": 24},
        emit_activate_version_messages=True,
    )
    catalog = select("warehouse_inventory")
    first = run_sync(cfg, catalog=catalog, state={})
    assert first.records["warehouse_inventory"]
    # Read whole on its first run: ACTIVATE_VERSION, so the target may prune old rows.
    assert "ACTIVATE_VERSION" in message_types(cfg, catalog, {})
    with time_machine.travel(clock.now() + timedelta(hours=1), tick=True):
        # Not read this run: ACTIVATE_VERSION would tell the target every row is gone.
        types = message_types(cfg, catalog, first.states[-1])
    assert "RECORD" not in types and "ACTIVATE_VERSION" not in types


# -- the plan, said before the first request --------------------------------------------


def test_the_plan_and_its_floor_are_logged_before_the_first_request(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    streams = ("fba_returns", "fba_reimbursements", "fba_customer_shipment_sales")
    streams += ("warehouse_inventory", "reserved_inventory", "afn_inventory", "open_listings")
    cfg = config(sim, start_date=instants.days_ago(70, at_midnight=True).isoformat())
    with caplog.at_level(logging.INFO):
        run_sync(cfg, catalog=select(*streams), state={})
    messages = [r.getMessage() for r in caplog.records]
    plan = next(i for i, m in enumerate(messages) if m.startswith("Report plan, region na:"))
    first_request = next(i for i, m in enumerate(messages) if m.startswith("Requested "))
    assert plan < first_request
    created = sim.calls[CREATE]
    assert created > 15  # beyond the burst, so the floor is not zero
    floor = schedule.floor_seconds(created, operation(CREATE)).seconds
    assert messages[plan] == (
        f"Report plan, region na: {created} report(s) to request, {created} document(s) to "
        f"download: at least {schedule.describe_seconds(floor)} by Amazon's limits"
    )
    waiting = [m for m in messages if m.startswith("Waiting for ")]
    assert waiting and ". Left: na: " in waiting[0]


# -- the run budget ---------------------------------------------------------------------

BACKFILL = (
    "fba_returns",
    "fba_reimbursements",
    "fba_customer_shipment_sales",
    "reserved_inventory",
)


def bookmarks(state: dict) -> dict[tuple[str, str], str | None]:
    return {
        (stream, p["context"]["marketplace_id"]): p.get("replication_key_value")
        for stream, entry in state["bookmarks"].items()
        for p in entry.get("partitions") or []
    }


REPORT_FIELDS = {"report_id", "report_start_date", "report_end_date"}


def keyed(result: Any) -> set[tuple]:
    """The rows of a sync, less the fields that name the report they came in."""
    return {
        (
            stream,
            json.dumps(
                {k: v for k, v in row.items() if k not in REPORT_FIELDS},
                sort_keys=True,
                default=str,
            ),
        )
        for stream, rows in result.records.items()
        for row in rows
    }


def test_a_budget_defers_the_rest_to_the_next_run_which_delivers_it(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = config(sim, start_date=instants.days_ago(100, at_midnight=True).isoformat())
    catalog = select(*BACKFILL)

    # One minute: createReport's burst of 15 fits, the rest is deferred, the run succeeds.
    with caplog.at_level(logging.INFO):
        cut = run_sync({**cfg, "max_run_minutes": 1}, catalog=catalog, state={})
    assert sim.calls[CREATE] == 15
    assert cut.tap is not None and cut.tap.deferred and not cut.tap.failed
    assert any("deferred to the next run, which requests them first" in m for m in caplog.messages)
    assert "deferred by max_run_minutes" in caplog.text.split("Sync summary", 1)[1]
    state = cut.states[-1]
    marked = [
        (stream, p["context"]["marketplace_id"])
        for stream, entry in state["bookmarks"].items()
        for p in entry.get("partitions") or []
        if p.get(schedule.DEFERRED)
    ]
    assert marked

    # The next run requests the deferred reports first, and reads every partition to the end.
    caplog.clear()
    with caplog.at_level(logging.INFO):
        after = run_sync(cfg, catalog=catalog, state=state)
    assert sim.calls[CREATE] > 15
    requested = [m for m in caplog.messages if m.startswith("Requested ")]
    firsts = {
        f"Requested {kind} for {market}" for stream, market in marked for kind in _types(stream)
    }
    assert any(requested[0].startswith(first) for first in firsts), requested[0]
    final = bookmarks(after.states[-1])
    reached = iso(clock.now() - timedelta(minutes=5))
    assert all(
        final[key] and final[key] >= reached for key in final if key[0] != "reserved_inventory"
    )
    assert not any(p.get(schedule.DEFERRED) for p in _all_partitions(after.states[-1]))

    # Together the two runs delivered every row a run without a budget delivers.
    whole = run_sync(cfg, catalog=catalog, state={})
    assert keyed(whole) <= keyed(cut) | keyed(after)


def _types(stream: str) -> list[str]:
    from tap_amazon_seller.reports.registry import REPORT_SPECS

    return [spec.report_type for spec in REPORT_SPECS if spec.stream == stream]


def _all_partitions(state: dict) -> list[dict]:
    return [p for entry in state["bookmarks"].values() for p in entry.get("partitions") or []]


def test_no_report_is_requested_after_the_budget_ends(sim: Simulator) -> None:
    from tap_amazon_seller.reports.engine import ReportEngine, ReportJob

    tap = TapAmazonSeller(config=config(sim, marketplaces=["US"]))
    now = [0.0]
    engine = ReportEngine(tap.client, clock=lambda: now[0], sleep=lambda s: None)
    jobs = [
        engine.plan(ReportJob("GET_RESERVED_INVENTORY_DATA", "na", (US,), options=(("n", str(i)),)))
        for i in range(3)
    ]
    assert engine.set_budget(3600) == 0  # all fit
    now[0] = 3600.0  # the budget's end, before any was requested
    assert engine.wait(jobs[0]) == "DEFERRED"
    assert [job.status for job in jobs] == ["DEFERRED"] * 3
    assert sim.calls[CREATE] == 0


def test_reports_an_earlier_run_deferred_are_requested_first(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    from tap_amazon_seller.reports.engine import ReportEngine, ReportJob

    tap = TapAmazonSeller(config=config(sim, marketplaces=["US"]))
    engine = ReportEngine(tap.client, poll_interval=0.01)
    kinds = ("GET_RESERVED_INVENTORY_DATA", "GET_AFN_INVENTORY_DATA")
    kinds += ("GET_FBA_MYI_ALL_INVENTORY_DATA", "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA")
    jobs = [
        engine.plan(ReportJob(kind, "na", (US,), first=kind.startswith("GET_FBA")))
        for kind in kinds
    ]
    with caplog.at_level(logging.INFO):
        engine.wait(jobs[2])  # (the awaited report goes first anyway)
    requested = [m.split()[1] for m in caplog.messages if m.startswith("Requested ")]
    # The deferred ones first, in their own order; then the rest in plan order.
    assert requested == [kinds[2], kinds[3], kinds[0], kinds[1]]


# -- the default selection --------------------------------------------------------------


def unselected_by_default(**config: Any) -> set[str]:
    tap = TapAmazonSeller(config=config, validate_config=False)
    return {
        entry["tap_stream_id"]
        for entry in tap.catalog_dict["streams"]
        for metadata in entry["metadata"]
        if metadata["breadcrumb"] == [] and not metadata["metadata"]["selected-by-default"]
    }


def test_a_default_discovery_leaves_out_what_a_typical_seller_does_not_read() -> None:
    tap = TapAmazonSeller(config={}, validate_config=False)
    vendor = {name for name in tap.streams if name.startswith("vendor_")}
    brand_analytics = {name for name in tap.streams if name.startswith("brand_analytics_")}
    assert len(vendor) == 16 and len(brand_analytics) == 5
    assert unselected_by_default() == vendor | brand_analytics | {
        "active_listings_back_compat",  # the back-compat twin of active_listings
        "orders_xml_report",  # the XML twin of orders_by_order_date_report
        "warehouse_inventory_all",  # warehouse_inventory with archived listings
        "unshipped_orders",  # restricted (PII): only with include_pii
        "shipping_orders_xml_report",
        "fba_sns_forecast",  # removed by Amazon
        "fba_sns_performance",
    }
    # Without a catalog (the Singer convention of a default sync) those are not read.
    assert not tap.streams["vendor_sales_report"].selected
    assert tap.streams["sales_traffic_report"].selected and tap.streams["orders"].selected


def test_account_type_and_include_pii_change_the_default_selection() -> None:
    vendor_account = unselected_by_default(account_type="vendor")
    assert "orders" in vendor_account and "warehouse_inventory" in vendor_account
    assert not {"vendor_purchase_orders", "vendor_sales_report", "marketplaces"} & vendor_account
    both = unselected_by_default(account_type="both")
    assert not any(name.startswith("vendor_") for name in both) and "orders" not in both
    assert "unshipped_orders" not in unselected_by_default(include_pii=True)
    # A catalog that selects a stream reads it, whatever the default says.
    tap = TapAmazonSeller(config={}, catalog=select("vendor_sales_report"), validate_config=False)
    assert tap.streams["vendor_sales_report"].selected


def test_a_budget_spent_before_the_reports_defers_every_report(sim: Simulator) -> None:
    from tap_amazon_seller.reports.engine import ReportEngine, ReportJob

    tap = TapAmazonSeller(config=config(sim, marketplaces=["US"]))
    engine = ReportEngine(tap.client, sleep=lambda s: None)
    jobs = [
        engine.plan(ReportJob(kind, "na", (US,)))
        for kind in ("GET_RESERVED_INVENTORY_DATA", "GET_AFN_INVENTORY_DATA")
    ]
    engine.set_budget(-30)  # the API streams used the whole budget
    assert engine.wait(jobs[0]) == "DEFERRED" and jobs[1].status == "DEFERRED"
    assert sim.calls[CREATE] == 0


def test_a_run_after_one_cut_short_by_end_date_is_due_at_once(sim: Simulator) -> None:
    catalog = select("fba_returns")
    cfg = config(sim, marketplaces=["US"], report_cadence_hours={"fba_returns": 24})
    cut = run_sync(
        {**cfg, "end_date": instants.days_ago(3, at_midnight=True).isoformat()},
        catalog=catalog,
        state={},
    )
    held = partitions(cut.states[-1], "fba_returns")[US]
    assert held[schedule.READ_AT] == held["replication_key_value"].replace("+00:00", "Z")
    # Read in full only up to end_date: the next run reads on from there, cadence or not.
    created = sim.calls[CREATE]
    on = run_sync(cfg, catalog=catalog, state=cut.states[-1])
    assert sim.calls[CREATE] > created  # (the days after end_date may hold no return)
    assert (
        partitions(on.states[-1], "fba_returns")[US]["replication_key_value"]
        > held["replication_key_value"]
    )
