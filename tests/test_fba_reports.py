"""FBA flat-file reports: fee preview, promotions, replacements, Subscribe & Save, monthly
storage fees and the inventory ledger summary, compared with the documents the simulator
rendered (and with the seller data they were rendered from)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from sp_api_simulator import Simulator, SimulatorConfig
from sp_api_simulator.families.reports import store
from sp_api_simulator.report_documents_fba import (
    replacement_order_id,
    summary_period,
)
from tap_amazon_seller import clock
from tap_amazon_seller.casting import cast_datetime
from tests import instants
from tests.conftest import FAST, run_sync, select

# Dates decide what these tests read: each also runs at the edge instants (tests/instants.py).
pytestmark = pytest.mark.edges

US, DE, JP = "ATVPDKIKX0DER", "A1PA6795UKMFR9", "A1VC38T7YXB528"
CREATE = "reports_2021-06-30.createReport"


def sync(sim: Simulator, *streams: str, state: dict | None = None, **overrides: Any):
    values: dict[str, Any] = {
        "marketplaces": ["US", "DE", "JP"],
        "start_date": instants.days_ago(45, at_midnight=True).isoformat(),
        "report_poll_interval": 0.02,
        **overrides,
    }
    return run_sync(sim.tap_config(**values), catalog=select(*streams), state=state or {})


def rendered_rows(sim: Simulator, report_type: str, **options: str) -> list[dict[str, str]]:
    """Every row of the documents the simulator made for `report_type` (and options), by
    header, with the marketplace and report it came in."""
    reports = store(sim)
    rows = []
    for report in reports.reports.values():
        if report.report_type != report_type or not report.document_id:
            continue
        if any(report.options.get(k) != v for k, v in options.items()):
            continue
        rendered = reports.rendered[report.document_id]
        for values in rendered.rows:
            row = dict(zip(rendered.header, values, strict=True))
            rows.append({**row, "_marketplace": report.marketplace_ids[0], "_report": report})
    return rows


def of(rows: list[dict], marketplace: str) -> list[dict]:
    return [r for r in rows if r["marketplace_id"] == marketplace]


def number(text: str) -> Decimal | None:
    return None if text in ("", "--") else Decimal(text)


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


# -- fee preview ------------------------------------------------------------------------


def test_fee_preview_asks_72_hours_and_reads_both_spellings(sim: Simulator) -> None:
    rows = sync(sim, "fba_estimated_fees").records["fba_estimated_fees"]
    reports = [r for r in store(sim).reports.values() if r.report_type.startswith("GET_FBA_EST")]
    assert len(reports) == 3
    # Amazon refreshes the data every 72 hours: a report of the last day is read again.
    assert len(sync(sim, "fba_estimated_fees").records["fba_estimated_fees"]) == len(rows)
    assert sim.calls[CREATE] == 3
    for report in reports:  # "StartDate at least 72 hours before now, EndDate now"
        assert report.data_end - report.data_start == timedelta(hours=72)
        assert clock.now() - report.data_end < timedelta(minutes=5)
    expected = {
        (r["_marketplace"], r["sku"]): r
        for r in rendered_rows(sim, "GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA")
    }
    assert {(r["marketplace_id"], r["sku"]) for r in rows} == set(expected)
    assert len(rows) == len(expected)
    for row in rows:
        source = expected[(row["marketplace_id"], row["sku"])]
        product = next(p for p in sim.data.products(row["marketplace_id"]) if p.sku == row["sku"])
        assert row["product_name"] == product.name  # "Größe", "包丁" in each charset
        assert Decimal(str(row["estimated_fee_total"])) == Decimal(source["estimated-fee-total"])
        assert Decimal(str(row["your_price"])) == product.price
        assert row["has_local_inventory"] is (source["has-local-inventory"] == "Y")
        assert row["sales_price"] == (
            number(source["sales-price"]) and float(source["sales-price"])
        )
        assert (
            row["brand"]
            == {US: "Café Niño", DE: "Müller & Söhne", JP: "さくら雑貨"}[row["marketplace_id"]]
        )
        if row["marketplace_id"] == DE:  # "fulfilment", EFN fees, "--" for its own country
            assert Decimal(str(row["expected_domestic_fulfilment_fee_per_unit"])) == Decimal(
                source["expected-domestic-fulfilment-fee-per-unit"]
            )
            assert row["expected_efn_fulfilment_fee_per_unit_de"] is None
            assert row["expected_efn_fulfilment_fee_per_unit_fr"] is not None
            assert row["product_size_weight_band"] and row["extra_columns"] is None
        else:  # "fulfillment", and a column the registry does not know
            assert Decimal(str(row["expected_fulfillment_fee_per_unit"])) == Decimal(
                source["expected-fulfillment-fee-per-unit"]
            )
            assert row["extra_columns"] == {"current-fee-category": "Kitchen"}


def test_fee_preview_under_72_hours_ends_fatal_with_amazons_reason(sim: Simulator) -> None:
    from tests.conftest import SHARED
    from tests.test_conformance import access_token, call, response_validator

    token = access_token(sim)
    # Amazon's model, when ../shared is beside the checkout: a FATAL report is one it describes.
    validate = (
        response_validator("reports_2021-06-30.getReport", 200).validate
        if (SHARED / "models").is_dir()
        else lambda report: None
    )
    now = clock.now().replace(microsecond=0)
    outcomes = {}
    for label, hours in (("24 hours", 24), ("no range", None), ("72 hours", 72)):
        body: dict[str, Any] = {
            "reportType": "GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA",
            "marketplaceIds": [US],
        }
        if hours:
            body["dataStartTime"] = (now - timedelta(hours=hours)).isoformat()
            body["dataEndTime"] = now.isoformat()
        created = call(sim, CREATE, "na", {}, {}, token, body)
        assert created.status_code == 202
        time.sleep(0.1)
        report = call(
            sim,
            "reports_2021-06-30.getReport",
            "na",
            {"reportId": created.json()["reportId"]},
            {},
            token,
        ).json()
        validate(report)
        outcomes[label] = report["processingStatus"]
        if report["processingStatus"] == "FATAL":
            document = store(sim).rendered[report["reportDocumentId"]]
            assert "72 hours" in document.rows[0][0]
    assert outcomes == {"24 hours": "FATAL", "no range": "FATAL", "72 hours": "DONE"}


def test_a_window_shorter_than_a_minimum_range_starts_earlier(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The minimum range is general: an incremental stream's short last window is widened
    back (here promotions, given a 20-day minimum for the test)."""
    import dataclasses

    import tap_amazon_seller.tap as tap_module
    from tap_amazon_seller.reports.registry import specs_for

    def with_minimum(report_types: tuple[str, ...]) -> list:
        return [
            dataclasses.replace(s, timing=dataclasses.replace(s.timing, min_range_hours=20 * 24))
            if s.stream == "fba_promotions"
            else s
            for s in specs_for(report_types)
        ]

    monkeypatch.setattr(tap_module, "specs_for", with_minimum)
    rows = sync(sim, "fba_promotions", marketplaces=["US"]).records["fba_promotions"]
    reports = sorted(
        (r for r in store(sim).reports.values() if r.report_type.endswith("PROMOTION_DATA")),
        key=lambda r: r.data_start,
    )
    assert len(reports) == 2
    assert (reports[0].data_start, reports[0].data_end) == (
        instants.days_ago(45, at_midnight=True),
        instants.days_ago(45, at_midnight=True) + timedelta(days=30),
    )
    # The rest (15 days) is asked as 20 days ending now; its rows start where data is new.
    assert reports[1].data_end - reports[1].data_start == timedelta(days=20)
    assert {r["report_start_date"] for r in rows} == {
        utc(instants.days_ago(45, at_midnight=True)).replace("+00:00", "Z"),
        utc(reports[1].data_start).replace("+00:00", "Z"),
    }
    expected = {
        (r["shipment-item-id"], r["item-promotion-id"])
        for r in rendered_rows(sim, "GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_PROMOTION_DATA")
    }
    assert {(r["shipment_item_id"], r["item_promotion_id"]) for r in rows} == expected
    bookmark = datetime.fromisoformat(rows[-1]["report_end_date"])
    assert bookmark == reports[1].data_end


# -- promotions and replacements --------------------------------------------------------


def test_promotions_per_shipment_item_with_local_text(sim: Simulator) -> None:
    rows = sync(sim, "fba_promotions").records["fba_promotions"]
    expected = {
        (r["_marketplace"], r["shipment-item-id"], r["item-promotion-id"]): r
        for r in rendered_rows(sim, "GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_PROMOTION_DATA")
    }
    got = {(r["marketplace_id"], r["shipment_item_id"], r["item_promotion_id"]): r for r in rows}
    assert set(got) == set(expected)
    assert {r["marketplace_id"] for r in rows} == {US, DE, JP}
    assert any(r["item_promotion_id"] == "FreeShipping" for r in rows)  # two on one item
    shipped = {
        s.item_id: s
        for mp in (US, DE, JP)
        for day in sim.data.days(
            mp, instants.days_ago(45, at_midnight=True), instants.midnight() + timedelta(days=1)
        )
        for s in day.shipments
    }
    for key, row in got.items():
        source = expected[key]
        shipment = shipped[row["shipment_item_id"]]
        assert row["shipment_date"] == utc(shipment.shipped)  # from the local offset
        assert row["amazon_order_id"] == shipment.order_id
        assert Decimal(str(row["item_promotion_discount"])) == Decimal(
            source["item-promotion-discount"]
        )
        assert row["description"] == source["description"]
    descriptions = {
        r["marketplace_id"]: r["description"]
        for r in rows
        if r["item_promotion_id"] != "FreeShipping"
    }
    assert descriptions == {
        US: "Save 10% on Café accessories",
        DE: "10 % Rabatt – Größe M",
        JP: "まとめ買い割引 10%",
    }


def test_replacements_read_both_spellings_of_the_order_id(sim: Simulator) -> None:
    rows = sync(sim, "fba_replacements").records["fba_replacements"]
    documents = rendered_rows(sim, "GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA")
    spelled = {r["_marketplace"]: "replacement-customer-order-id" in r for r in documents}
    assert spelled == {US: False, DE: True, JP: True}  # both spellings are in play
    returns = {
        r.order_id: r
        for mp in (US, DE, JP)
        for day in sim.data.days(
            mp, instants.days_ago(45, at_midnight=True) - timedelta(days=1), instants.midnight()
        )
        for r in day.returns
        if r.disposition == "CUSTOMER_DAMAGED"
    }
    assert len(rows) == len(documents) and {r["marketplace_id"] for r in rows} == {US, DE, JP}
    for row in rows:
        source = returns[row["original_amazon_order_id"]]
        assert row["replacement_amazon_order_id"] == replacement_order_id(source.order_id)
        assert row["extra_columns"] is None  # the other spelling is not an unknown column
        # ISO 8601 with -08:00 / +09:00, and DE's "DD.MM.YYYY HH:MM:SS CET": the same instant.
        assert row["shipment_date"] == utc(source.returned + timedelta(days=1))
        assert row["sku"] == source.product.sku and row["quantity"] == source.quantity


# -- Subscribe & Save ---------------------------------------------------------------------


def test_subscribe_and_save_forecast_and_performance_as_read_before_amazon_removed_them(
    sim: Simulator,
) -> None:
    """Amazon removed both types on 2025-12-11 (retirements.py; after it, they are never
    requested: tests/test_exit_contract.py). A sync from before that day reads them."""
    import time_machine

    with time_machine.travel(datetime(2025, 11, 20, 15, tzinfo=UTC), tick=True):
        start = clock.midnight(clock.now() - timedelta(days=45)).isoformat()
        result = sync(
            sim,
            "fba_sns_forecast",
            "fba_sns_performance",
            marketplaces=["US", "JP"],
            start_date=start,
        )
        today = clock.today()
    assert sim.calls[CREATE] == 4
    sunday = today - timedelta(days=(today.weekday() + 1) % 7)
    forecast = result.records["fba_sns_forecast"]
    expected = {
        (r["_marketplace"], r["sku"]): r for r in rendered_rows(sim, "GET_FBA_SNS_FORECAST_DATA")
    }
    assert {(r["marketplace_id"], r["sku"]) for r in forecast} == set(expected)
    for row in forecast:
        source = expected[(row["marketplace_id"], row["sku"])]
        # "2026-11-22T00:00:00-08:00": the calendar date as written, not shifted to UTC.
        assert row["snapshot_date"] == sunday.isoformat()
        assert row["week_1_start_date"] == (sunday + timedelta(days=7)).isoformat()
        assert [row[f"scheduled_sns_units_week_{w}"] for w in range(1, 9)] == [
            int(source[f"scheduled-sns-units-week-{w}"]) for w in range(1, 9)
        ]
        assert row["active_subscriptions"] == int(source["active-subscriptions"])
    assert any("包丁" in r["product_name"] for r in forecast)

    performance = result.records["fba_sns_performance"]
    expected = {
        (r["_marketplace"], r["sku"]): r for r in rendered_rows(sim, "GET_FBA_SNS_PERFORMANCE_DATA")
    }
    assert {(r["marketplace_id"], r["sku"]) for r in performance} == set(expected)
    for row in performance:
        source = expected[(row["marketplace_id"], row["sku"])]
        assert row["week_1_start_date"] == (sunday - timedelta(days=28)).isoformat()  # MM/DD/YYYY
        for week in range(1, 5):
            assert row[f"sns_units_shipped_week_{week}"] == int(
                source[f"sns-units-shipped-week-{week}"]
            )
            assert Decimal(str(row[f"oos_rate_week_{week}"])) == Decimal(
                source[f"oos-rate-week-{week}"]
            )


# -- storage fees ----------------------------------------------------------------------------


def test_storage_fees_a_month_a_report_and_the_next_run_rereads_the_last_month(
    sim: Simulator,
) -> None:
    # The last month asked is the one "now minus the two-minute lag" is in, once at least
    # the 5 minutes of the shortest window have passed in it (in a month's first minutes,
    # still the month before).
    last_asked = instants.started() - timedelta(minutes=2 + 5)
    month_start = clock.midnight(last_asked).replace(day=1)
    first_month = (month_start - timedelta(days=40)).replace(day=1)
    start = first_month + timedelta(days=9)  # mid-month: the month is read whole
    first = sync(sim, "fba_storage_fees", marketplaces=["DE"], start_date=start.isoformat())
    reports = sorted(
        (
            r
            for r in store(sim).reports.values()
            if r.report_type.endswith("STORAGE_FEE_CHARGES_DATA")
        ),
        key=lambda r: r.data_start,
    )
    assert [r.data_start for r in reports] == [
        first_month,
        (first_month + timedelta(days=32)).replace(day=1),
        month_start,
    ]
    # Contiguous: each asks up to the last second of its month (a day included whole).
    assert [r.data_end + timedelta(seconds=1) for r in reports[:-1]] == [
        r.data_start for r in reports[1:]
    ]
    rows = first.records["fba_storage_fees"]
    expected = {
        (r["month_of_charge"], r["asin"], r["fulfillment_center"]): r
        for r in rendered_rows(sim, "GET_FBA_STORAGE_FEE_CHARGES_DATA")
    }
    by_key = {}
    for row in rows:  # the last record of a key wins, as a target upserts
        assert row["month_of_charge"].endswith("-01")  # "2026-10" -> 2026-10-01
        by_key[(row["month_of_charge"][:7], row["asin"], row["fulfillment_center"])] = row
    assert set(by_key) == set(expected)
    for key, row in by_key.items():
        source = expected[key]
        assert Decimal(str(row["estimated_monthly_storage_fee"])) == Decimal(
            source["estimated_monthly_storage_fee"]
        )
        assert row["product_name"] == source["product_name"]  # "Küchenmesser Größe M – ..."
    months = {row["month_of_charge"] for row in rows}
    assert len(months) == 3

    # The next run reads the month before the bookmark's and the current one again, no more
    # (from the reports the first run made: Amazon still has them).
    second = sync(
        sim,
        "fba_storage_fees",
        marketplaces=["DE"],
        start_date=start.isoformat(),
        state=first.states[-1],
        report_cadence_hours={"*": 0},  # due at once: what it re-reads is what is tested
    )
    again = second.records["fba_storage_fees"]
    bookmark_month = datetime.fromisoformat(rows[-1]["report_end_date"]).date().replace(day=1)
    previous_month = (bookmark_month - timedelta(days=1)).replace(day=1)
    # The bookmark's month itself once 5 minutes of it are past the lag (right after a
    # month began, the bookmark sits on its first second and only the month before is due).
    months = {previous_month.isoformat()}
    if (clock.now() - timedelta(minutes=2 + 5)).date() >= bookmark_month:
        months.add(bookmark_month.isoformat())
    assert {r["month_of_charge"] for r in again} == months
    assert {r["report_start_date"][:10] for r in again} == months

    def keys(records: list[dict]) -> set[tuple]:
        return {(r["month_of_charge"], r["asin"], r["fulfillment_center"]) for r in records}

    assert keys(again) <= keys(rows)  # nothing new under other keys, nothing lost
    assert keys(again) == {k for k in keys(rows) if k[0] >= previous_month.isoformat()}


# -- ledger summary -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "location"),
    [("DAILY", "COUNTRY"), ("WEEKLY", "FC"), ("MONTHLY", "COUNTRY"), ("DAILY", "FC")],
)
def test_ledger_summary_by_each_aggregation(sim: Simulator, period: str, location: str) -> None:
    start = instants.midnight() - timedelta(days=50)
    result = sync(
        sim,
        "fba_inventory_ledger_summary",
        marketplaces=["US", "JP"],
        start_date=start.isoformat(),
        report_options={
            "fba_inventory_ledger_summary": {
                "aggregatedByTimePeriod": period,
                "aggregateByLocation": location,
            }
        },
    )
    rows = result.records["fba_inventory_ledger_summary"]
    reports = [
        r for r in store(sim).reports.values() if r.report_type == "GET_LEDGER_SUMMARY_VIEW_DATA"
    ]
    assert {tuple(sorted(r.options.items())) for r in reports} == {
        (("aggregateByLocation", location), ("aggregatedByTimePeriod", period))
    }
    for report in reports:  # windows start on the period's first day
        first_day = summary_period(report.data_start, period)
        assert report.data_start == datetime(
            first_day.year, first_day.month, first_day.day, tzinfo=UTC
        )
    final: dict[tuple, dict] = {}
    for row in rows:  # the last record of a key wins, as a target upserts
        assert row["aggregated_by_time_period"] == period
        assert row["aggregate_by_location"] == location
        key = (row["marketplace_id"], row["date"], row["msku"], row["disposition"], row["location"])
        final[key] = row
    end = max(r.data_end for r in reports)
    first_start = min(r.data_start for r in reports)
    for marketplace in (US, JP):
        expected: dict[tuple, dict[str, int]] = {}
        for day in sim.data.days(marketplace, first_start, end):
            for e in day.ledger:
                if not first_start <= e.at <= end:
                    continue
                place = (
                    ("US" if marketplace == US else "JP")
                    if location == "COUNTRY"
                    else e.fulfillment_center
                )
                key = (
                    marketplace,
                    summary_period(e.at, period).isoformat(),
                    e.product.sku,
                    e.disposition,
                    place,
                )
                moved = expected.setdefault(key, {"shipments": 0, "receipts": 0, "total": 0})
                moved["total"] += e.quantity
                if e.event_type == "Shipments":
                    moved["shipments"] += e.quantity
                if e.event_type == "Receipts":
                    moved["receipts"] += e.quantity
        got = {k: v for k, v in final.items() if k[0] == marketplace}
        assert set(got) == set(expected), marketplace
        for key, moved in expected.items():
            row = got[key]
            assert row["customer_shipments"] == moved["shipments"]
            assert row["receipts"] == moved["receipts"]
            # JP files write the headers unspaced ("EndingWarehouseBalance"): same columns.
            assert (
                row["ending_warehouse_balance"] - row["starting_warehouse_balance"]
                == (moved["total"])
            )
            assert row["extra_columns"] is None
    if period == "MONTHLY":
        assert all(r["date"].endswith("-01") for r in rows)  # from "MM/YYYY"
    jp_titles = {r["title"] for r in rows if r["marketplace_id"] == JP}
    assert any(
        "茶碗" in title or "包丁" in title or "積み木" in title or "Ａ５" in title
        for title in jp_titles
    )


def test_ledger_summary_option_values_are_checked_up_front() -> None:
    from tests.test_settings import BASE, errors_of

    errors = errors_of(
        {
            **BASE,
            "report_options": {
                "fba_inventory_ledger_summary": {"aggregatedByTimePeriod": "YEARLY"}
            },
        }
    )
    assert any(
        "fba_inventory_ledger_summary.aggregatedByTimePeriod: 'YEARLY' is not one of" in e
        for e in errors
    ), errors


# -- incremental: a second run neither loses nor duplicates ------------------------------

MONTHLY = {"fba_inventory_ledger_summary": {"aggregatedByTimePeriod": "MONTHLY"}}
SECOND_RUN: dict[str, tuple[tuple[str, ...], str, dict]] = {
    # stream: (key fields, a value to compare, settings)
    "fba_promotions": (("shipment_item_id", "item_promotion_id"), "item_promotion_discount", {}),
    "fba_replacements": (("replacement_amazon_order_id", "sku"), "quantity", {}),
    # By month: the first run ends inside a month, which the second must read again whole.
    "fba_inventory_ledger_summary": (
        ("date", "msku", "disposition", "location"),
        "ending_warehouse_balance",
        {"report_options": MONTHLY},
    ),
}


@pytest.mark.parametrize("stream", sorted(SECOND_RUN))
def test_second_run_neither_loses_nor_duplicates(sim: Simulator, stream: str) -> None:
    key_fields, value, settings = SECOND_RUN[stream]

    # The first run ends at noon of a day with activity on both sides of the cut: the
    # second reads that day again whole.
    def both_sides_of_noon(day: datetime) -> bool:
        data = sim.data.day(US, day.date())
        moments = (
            [e.at for e in data.ledger]
            if stream == "fba_inventory_ledger_summary"
            else [s.shipped for s in data.shipments]
        )
        return {moment.hour < 12 for moment in moments} == {True, False}

    cut = next(
        day + timedelta(hours=12)
        for day in (instants.midnight() - timedelta(days=n) for n in range(12, 44))
        if both_sides_of_noon(day)
    )
    first = sync(sim, stream, end_date=cut.isoformat(), **settings)
    # instants.days_ago(45, at_midnight=True) to now in one run, with the first run's reports still at Amazon (one of them
    # ends inside a month: not one to continue from).
    again = sync(sim, stream, **settings).records[stream]
    second = sync(sim, stream, state=first.states[-1], **settings)
    # The truth: one run against a simulator with the same data and no earlier reports.
    fresh = Simulator(SimulatorConfig(time_scale=FAST))
    with fresh.running():
        truth = sync(fresh, stream, **settings).records[stream]

    def by_key(records: list[dict]) -> dict[tuple, dict]:
        # The last record of a key wins, as a target upserts.
        return {(r["marketplace_id"], *(r[k] for k in key_fields)): r for r in records}

    def values(records: list[dict]) -> dict[tuple, Any]:
        return {k: r[value] for k, r in by_key(records).items()}

    one, two = first.records[stream], second.records[stream]
    # Every partition's bookmark stands at the cut (read from the state, as the last window
    # before the cut may hold no row of this report).
    partitions = first.states[-1]["bookmarks"][stream]["partitions"]
    assert partitions
    assert {p["replication_key_value"] for p in partitions} == {utc(cut).replace("+00:00", "Z")}
    assert values(one + two) == values(truth)  # nothing lost, nothing extra, nothing partial
    assert values(again) == values(truth)
    # Only rows at the cut come in both runs (Amazon's windows include both edges), under
    # one key; the second run's, read whole, is the one that stays.
    for key in set(by_key(one)) & set(by_key(two)):
        row = by_key(two)[key]
        if stream == "fba_inventory_ledger_summary":
            assert row["date"] == cut.date().replace(day=1).isoformat(), key
        else:
            assert cast_datetime(row["shipment_date"]) == utc(cut), key


def test_ledger_summary_option_values_amazon_refuses_are_a_400(sim: Simulator) -> None:
    from tests.test_conformance import access_token, call

    body = {
        "reportType": "GET_LEDGER_SUMMARY_VIEW_DATA",
        "marketplaceIds": [US],
        "reportOptions": {"aggregatedByTimePeriod": "YEARLY"},
    }
    answer = call(sim, CREATE, "na", {}, {}, access_token(sim), body)
    assert answer.status_code == 400
    assert "aggregatedByTimePeriod" in answer.json()["errors"][0]["message"]


def test_month_only_dates_and_other_header_spellings() -> None:
    from tap_amazon_seller.casting import CastError, cast_date
    from tap_amazon_seller.reports.spec import columns

    assert cast_date("10/2026") == "2026-10-01"  # ledger summary by month
    assert cast_date("2026-10") == "2026-10-01"  # storage fees' month_of_charge
    assert cast_date("10/31/2026") == "2026-10-31"
    with pytest.raises(CastError):
        cast_date("13/2026")
    (column,) = columns("replacement-amazon-order-id|replacement-customer-order-id")
    assert column.name == "replacement_amazon_order_id"
    assert column.aliases == ("replacement-customer-order-id",)


def test_inventory_with_archived_listings_holds_every_sku_with_its_typed_quantities(
    sim: Simulator,
) -> None:
    done = sync(sim, "warehouse_inventory", "warehouse_inventory_all", marketplaces=["US"])
    every = {r["sku"]: r for r in done.records["warehouse_inventory_all"]}
    unsuppressed = {r["sku"] for r in done.records["warehouse_inventory"]}
    rendered = {r["sku"]: r for r in rendered_rows(sim, "GET_FBA_MYI_ALL_INVENTORY_DATA")}
    assert set(every) == set(rendered)
    archived = set(every) - unsuppressed
    assert unsuppressed < set(every) and archived  # the archived SKUs come on top
    for sku, row in every.items():
        assert row["afn_total_quantity"] == int(rendered[sku]["afn-total-quantity"]), sku
        assert row["afn_listing_exists"] is (rendered[sku]["afn-listing-exists"] == "Yes"), sku
        assert (row["marketplace_id"], row["extra_columns"]) == (US, None), sku
    assert {every[sku]["afn_listing_exists"] for sku in archived} == {False}
