"""Finances: every event once, counts and sums equal the simulator's, open and deferred re-read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from sp_api_simulator import Simulator, SimulatorConfig
from sp_api_simulator.families.finances import (
    event_groups,
    events_between,
    transactions_between,
)
from tap_amazon_seller import clock
from tests import instants
from tests.conftest import FAST, run_sync, select

# Dates decide what these tests read: each also runs at the edge instants (tests/instants.py).
pytestmark = pytest.mark.edges


@pytest.fixture
def sim() -> Iterator[Simulator]:
    simulator = Simulator(SimulatorConfig(time_scale=FAST, page_size=40))
    with simulator.running():
        yield simulator


def principal_sums(events: list[dict]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = Counter()  # type: ignore[assignment]
    for event in events:
        for key in ("ShipmentItemList", "ShipmentItemAdjustmentList"):
            for item in event.get(key, []):
                for charge in item.get("ItemChargeList", []) + item.get(
                    "ItemChargeAdjustmentList", []
                ):
                    amount = charge["ChargeAmount"]
                    sums[amount["CurrencyCode"]] += Decimal(str(amount["CurrencyAmount"]))
    return dict(sums)


def test_financial_events_each_once_with_counts_and_sums_of_the_simulator(sim: Simulator) -> None:
    config = sim.tap_config(
        marketplaces=["US", "DE"], start_date=instants.days_ago(200, at_midnight=True).isoformat()
    )
    result = run_sync(config, catalog=select("financial_events"))
    rows = result.records["financial_events"]
    assert len({r["event_key"] for r in rows}) == len(rows)  # a deterministic key each
    end = datetime.fromisoformat(max(r["windowEnd"] for r in rows).replace("Z", "+00:00"))
    for region in ("na", "eu"):
        expected = events_between(sim, region, instants.days_ago(200, at_midnight=True), end)
        got = [r for r in rows if r["region"] == region]
        assert Counter(r["event_type"] for r in got) == Counter(
            n.removesuffix("List") for n, _ in expected
        )
        assert principal_sums([r["event"] for r in got]) == principal_sums([e for _, e in expected])
    # Identical events (two storage fees posted together) stay two.
    storage = [r for r in rows if r["event"].get("FeeReason") == "Storage"]
    assert storage and len(storage) % 2 == 0
    # 200 days: two posted-date windows of at most 180 days, each paged (pages of 40).
    for region in ("na", "eu"):
        assert len({r["windowEnd"] for r in rows if r["region"] == region}) == 2
    assert sim.calls["financesV0.listFinancialEvents"] > 4


def test_a_window_read_again_upserts(sim: Simulator) -> None:
    config = sim.tap_config(
        marketplaces=["DE"], start_date=instants.days_ago(200, at_midnight=True).isoformat()
    )
    first = run_sync(config, catalog=select("financial_events")).records["financial_events"]
    again = run_sync(config, catalog=select("financial_events")).records["financial_events"]
    assert {r["event_key"] for r in first} == {r["event_key"] for r in again}


def test_open_event_group_is_read_again_until_closed(sim: Simulator) -> None:
    config = sim.tap_config(marketplaces=["US"], start_date="2026-06-01T00:00:00Z")
    first = run_sync(config, catalog=select("financial_event_groups"))
    rows = first.records["financial_event_groups"]
    expected = [
        g
        for g in event_groups(sim, "na")
        if g["FinancialEventGroupStart"] >= "2026-06-01T00:00:00Z"
    ]
    assert {r["FinancialEventGroupId"] for r in rows} == {
        g["FinancialEventGroupId"] for g in expected
    }
    open_group = next(r for r in rows if r["ProcessingStatus"] == "Open")
    state = first.states[-1]
    partition = state["bookmarks"]["financial_event_groups"]["partitions"][0]
    assert partition["earliest_open_start"] == open_group["FinancialEventGroupStart"]
    second = run_sync(config, catalog=select("financial_event_groups"), state=state)
    assert open_group["FinancialEventGroupId"] in {
        r["FinancialEventGroupId"] for r in second.records["financial_event_groups"]
    }


def test_transactions_deferred_ones_are_read_again_until_released(sim: Simulator) -> None:
    start = (clock.now() - timedelta(days=20)).replace(microsecond=0)
    config = sim.tap_config(marketplaces=["US"], start_date=start.isoformat())
    first = run_sync(config, catalog=select("finance_transactions"))
    rows = first.records["finance_transactions"]
    end = datetime.fromisoformat(max(r["windowEnd"] for r in rows).replace("Z", "+00:00"))
    expected = transactions_between(sim, "ATVPDKIKX0DER", start, end)
    assert sorted(r["transactionId"] for r in rows) == sorted(t["transactionId"] for t in expected)
    assert sum(Decimal(str(r["totalAmount"]["currencyAmount"])) for r in rows) == sum(
        t["totalAmount"]["currencyAmount"] for t in expected
    )
    deferred = [r for r in rows if r["transactionStatus"] == "DEFERRED"]
    assert deferred
    state = first.states[-1]
    partition = state["bookmarks"]["finance_transactions"]["partitions"][0]
    assert partition["earliest_deferred"] == min(r["postedDate"] for r in deferred)
    second = run_sync(config, catalog=select("finance_transactions"), state=state)
    again = {r["transactionId"] for r in second.records["finance_transactions"]}
    assert {r["transactionId"] for r in deferred} <= again


def test_order_financial_events_grouped_from_windowed_calls_without_per_order_calls(
    sim: Simulator,
) -> None:
    # A midnight: order_financial_events reads whole days, from the start_date's midnight.
    start = (clock.now() - timedelta(days=45)).replace(hour=0, minute=0, second=0)
    config = sim.tap_config(
        marketplaces=["DE"], start_date=start.replace(microsecond=0).isoformat()
    )
    result = run_sync(config, catalog=select("order_financial_events", "financial_events"))
    grouped = result.records["order_financial_events"]
    events = [r for r in result.records["financial_events"] if r["amazon_order_id"]]
    # Every event with an order is in its order's group once; no per-order operation called.
    assert sum(r["event_count"] for r in grouped) == len(events)
    assert {r["amazon_order_id"] for r in grouped} == {r["amazon_order_id"] for r in events}
    assert sim.calls["financesV0.listFinancialEventsByOrderId"] == 0
    assert len({(r["amazon_order_id"], r["posted_day"]) for r in grouped}) == len(grouped)
    for record in grouped:  # each record holds the order's events posted that UTC day
        for events_of_list in record["events"].values():
            assert {e["PostedDate"][:10] for e in events_of_list} == {record["posted_day"]}


def test_events_amazon_shows_late_are_read_on_the_next_run_once() -> None:
    """Amazon shows some events up to 48 hours after their posted date: the next run reads
    them though their date is behind the bookmark, and re-read days upsert, never repeat."""
    from sp_api_simulator.families.finances import release_late_events

    streams = ("financial_events", "order_financial_events", "finance_transactions")
    start = (clock.now() - timedelta(days=20)).replace(microsecond=0)
    simulator = Simulator(
        SimulatorConfig(time_scale=FAST, page_size=40, late_financial_events=True)
    )
    with simulator.running():
        config = simulator.tap_config(marketplaces=["US", "DE"], start_date=start.isoformat())
        first = run_sync(config, catalog=select(*streams))
        release_late_events(simulator)
        second = run_sync(config, catalog=select(*streams), state=first.states[-1])
        clean = run_sync(config, catalog=select(*streams))
    late = {r["event_key"] for r in clean.records["financial_events"]} - {
        r["event_key"] for r in first.records["financial_events"]
    }
    assert late  # the first run did not see them
    bookmark = first.states[-1]["bookmarks"]["financial_events"]["partitions"][0]
    assert all(  # posted before the first run's bookmark, yet read by the second
        r["posted_date"] < bookmark["replication_key_value"]
        for r in clean.records["financial_events"]
        if r["event_key"] in late
    )
    union = Counter(r["event_key"] for r in first.records["financial_events"])
    union.update({r["event_key"] for r in second.records.get("financial_events", [])} - set(union))
    assert set(union) == {r["event_key"] for r in clean.records["financial_events"]}

    transactions = {r["transactionId"] for r in first.records["finance_transactions"]}
    late_transactions = {r["transactionId"] for r in clean.records["finance_transactions"]}
    assert late_transactions - transactions  # held back from the first run too
    transactions |= {r["transactionId"] for r in second.records.get("finance_transactions", [])}
    assert transactions == late_transactions

    def upserted(*runs: list[dict]) -> dict[tuple, int]:
        """What a target holds after the runs: the last record of each key."""
        table = {}
        for rows in runs:
            for r in rows:
                table[(r["amazon_order_id"], r["posted_day"])] = r["event_count"]
        return table

    target = upserted(
        first.records["order_financial_events"], second.records.get("order_financial_events", [])
    )
    assert target == upserted(clean.records["order_financial_events"])


def test_a_failure_mid_sync_keeps_the_bookmark_and_the_next_run_loses_nothing(
    sim: Simulator,
) -> None:
    config = sim.tap_config(
        marketplaces=["US"], start_date=instants.days_ago(200, at_midnight=True).isoformat()
    )
    sim.faults.script["financesV0.listFinancialEvents"] = [None, None, 400]  # the third page fails
    first = run_sync(config, catalog=select("financial_events", "financial_event_groups"))
    assert first.records["financial_event_groups"]  # the other stream went on
    partial = first.records.get("financial_events", [])
    assert partial  # two pages were emitted before the failure
    partitions = first.states[-1]["bookmarks"]["financial_events"]["partitions"]
    assert not any("replication_key_value" in p for p in partitions)  # the bookmark did not move
    second = run_sync(config, catalog=select("financial_events"), state=first.states[-1])
    union = {r["event_key"] for r in partial} | {
        r["event_key"] for r in second.records["financial_events"]
    }
    clean = run_sync(config, catalog=select("financial_events")).records["financial_events"]
    assert union == {r["event_key"] for r in clean}


def test_events_without_a_posted_date_keep_a_key_each_across_windows_and_runs(
    sim: Simulator,
) -> None:
    """Service fees carry no PostedDate, and each month's subscription fee has the same
    content: across windows and runs each keeps a key of its own, and a target that upserts
    ends with every one of them once."""
    start = instants.days_ago(200, at_midnight=True)
    # The first run stops just before the latest month's fees are posted (03:00 on the 1st).
    month = clock.midnight(instants.started() - timedelta(hours=4)).replace(day=1)
    cut = month + timedelta(hours=2)
    config = sim.tap_config(marketplaces=["US"], start_date=start.isoformat())
    first = run_sync({**config, "end_date": cut.isoformat()}, catalog=select("financial_events"))
    second = run_sync(config, catalog=select("financial_events"), state=first.states[-1])
    rows = first.records["financial_events"] + second.records.get("financial_events", [])
    end = datetime.fromisoformat(max(r["windowEnd"] for r in rows).replace("Z", "+00:00"))
    fees = [e for name, e in events_between(sim, "na", start, end) if name == "ServiceFeeEventList"]
    table = {r["event_key"]: r for r in rows}  # what a target holds after both runs
    got = [r["event"] for r in table.values() if r["event_type"] == "ServiceFeeEvent"]

    def fee(event: dict) -> tuple:
        (item,) = event["FeeList"]
        amount = item["FeeAmount"]
        return event["FeeReason"], amount["CurrencyCode"], Decimal(str(amount["CurrencyAmount"]))

    assert len(fees) > 6  # months of fees over several windows, some identical
    assert Counter(map(fee, got)) == Counter(map(fee, fees))
