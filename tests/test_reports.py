"""Report streams end to end against the simulator: values, outcomes, reuse, bookmarks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from sp_api_simulator import Simulator
from sp_api_simulator.data import MARKETPLACES_BY_ID
from sp_api_simulator.orders_data import OrderLine, SimOrder
from tap_amazon_seller import clock
from tap_amazon_seller.reports import reader
from tap_amazon_seller.reports.documents import DocumentError
from tap_amazon_seller.reports.registry import REPORT_SPECS
from tests import instants
from tests.conftest import run_sync, select

# Dates decide what these tests read: each also runs at the edge instants (tests/instants.py).
pytestmark = pytest.mark.edges

US, DE, JP = "ATVPDKIKX0DER", "A1PA6795UKMFR9", "A1VC38T7YXB528"
CREATE = "reports_2021-06-30.createReport"
SETTLEMENT_V1 = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE"
SETTLEMENT_XML = "GET_V2_SETTLEMENT_REPORT_DATA_XML"
DOCUMENT = "reports_2021-06-30.getReportDocument"
# Two 30-day windows for the flat-file streams; a window edge falls on instants.days_ago(45, at_midnight=True) + 30 days.


def config(sim: Simulator, **overrides: Any) -> dict:
    values = {
        "marketplaces": ["US", "DE", "JP"],
        "start_date": instants.days_ago(45, at_midnight=True).isoformat(),
        "report_poll_interval": 0.02,
    }
    values.update(overrides)
    return sim.tap_config(**values)


def sync(sim: Simulator, *streams: str, state: dict | None = None, **overrides: Any):
    cfg = config(sim, **overrides)
    return run_sync(cfg, catalog=select(*streams), state=state or {})


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def unique(rows: list[dict], *keys: str) -> dict[tuple, dict]:
    return {tuple(r[k] for k in keys): r for r in rows}


def shipments(sim: Simulator, marketplace: str, start: datetime, end: datetime) -> Iterator[Any]:
    for day in sim.data.days(marketplace, start, end):
        for shipment in day.shipments:
            if start <= shipment.shipped <= end:
                yield shipment


def test_fba_shipment_sales_values_match_the_simulator(sim: Simulator) -> None:
    result = sync(sim, "fba_customer_shipment_sales")
    rows = result.records["fba_customer_shipment_sales"]
    end = datetime.fromisoformat(rows[0]["report_end_date"]) if rows else instants.midnight()
    latest_end = max(datetime.fromisoformat(r["report_end_date"]) for r in rows)
    for marketplace in (US, DE, JP):
        expected = {
            (s.order_id, s.product.sku): s
            for s in shipments(
                sim, marketplace, instants.days_ago(45, at_midnight=True), latest_end
            )
        }
        got = unique(
            [r for r in rows if r["marketplace_id"] == marketplace], "amazon_order_id", "sku"
        )
        assert set(got) == set(expected), marketplace
        for key, shipment in expected.items():
            row = got[key]
            assert row["shipment_date"] == utc(shipment.shipped)
            assert row["quantity"] == shipment.quantity
            assert Decimal(str(row["item_price_per_unit"])) == shipment.product.price
            assert row["ship_city"] == shipment.city[0]  # "München", "東京都": charset honoured
            assert row["currency"] == MARKETPLACES_BY_ID[marketplace].currency
    assert end <= latest_end


def test_rows_on_a_window_edge_come_twice_under_one_key(sim: Simulator) -> None:
    # Find a day whose first ledger event is exactly at midnight, and put a window edge there.
    edge = next(
        day
        for day in (instants.midnight() - timedelta(days=n) for n in range(31, 120))
        if any(e.at == day for e in sim.data.day(US, day.date()).ledger)
    )
    result = sync(
        sim,
        "fba_inventory_ledger",
        marketplaces=["US"],
        start_date=(edge - timedelta(days=30)).isoformat(),
    )
    rows = result.records["fba_inventory_ledger"]
    on_edge = [r for r in rows if r["date_and_time"] == utc(edge)]
    # Amazon's windows include both edges: the edge row comes in both, under one key,
    # so targets upsert it; no other row is doubled.
    assert len(on_edge) == 2 and on_edge[0]["row_key"] == on_edge[1]["row_key"]
    assert on_edge[0]["report_id"] != on_edge[1]["report_id"]
    doubled = {k for k, n in Counter(r["row_key"] for r in rows).items() if n > 1}
    assert doubled == {on_edge[0]["row_key"]}


def test_ledger_dates_from_mm_dd_yyyy_and_local_offsets(sim: Simulator) -> None:
    result = sync(sim, "fba_inventory_ledger", marketplaces=["US"])
    rows = result.records["fba_inventory_ledger"]
    events = {
        e.reference_id: e
        for day in sim.data.days(US, instants.days_ago(45, at_midnight=True), instants.midnight())
        for e in day.ledger
        if e.at >= instants.days_ago(45, at_midnight=True)
    }
    assert rows
    for row in rows:
        event = events[row["reference_id"]]
        assert row["date"] == event.at.date().isoformat()  # written as MM/DD/YYYY
        assert row["date_and_time"] == utc(event.at)  # written with the -08:00 offset
        assert row["quantity"] == event.quantity
        assert row["title"] == event.product.name  # "Café Crème Mug, Größe L"


def test_snapshot_reports_typed_with_extras_and_named_zone_dates(sim: Simulator) -> None:
    result = sync(
        sim,
        "warehouse_inventory",
        "products_inventory",
        "fba_inventory_planning",
        "reserved_inventory",
        "afn_inventory_country",
    )
    for marketplace in (US, DE, JP):
        products = {p.sku: p for p in sim.data.products(marketplace)}
        stock = unique(
            [
                r
                for r in result.records["warehouse_inventory"]
                if r["marketplace_id"] == marketplace
            ],
            "sku",
        )
        assert set(stock) == {(sku,) for sku in products}
        for (sku,), row in stock.items():
            assert row["afn_fulfillable_quantity"] == products[sku].quantity
            assert row["afn_listing_exists"] is True and row["mfn_listing_exists"] is False
            assert row["product_name"] == products[sku].name
        listings = unique(
            [r for r in result.records["products_inventory"] if r["marketplace_id"] == marketplace],
            "seller_sku",
        )
        for (sku,), row in listings.items():
            # "2024-06-09 00:33:00 PST" / "... CET" / "... JST" -> UTC
            assert row["open_date"] == utc(products[sku].opened)
            assert Decimal(str(row["price"])) == products[sku].price
    planning = result.records["fba_inventory_planning"]
    assert planning[0]["extra_columns"] == {
        "quantity-to-be-charged-ais-181-210-days": "0",
        "estimated-ais-181-210-days": "0.00",
    }
    jp_names = {
        r["product_name"]
        for r in result.records["warehouse_inventory"]
        if r["marketplace_id"] == JP
    }
    assert any("包丁" in name for name in jp_names)
    # Multi-country inventory exists in the EU only: no report was asked in NA or FE.
    assert {r["marketplace_id"] for r in result.records["afn_inventory_country"]} == {DE}


def test_merchant_returns_dd_mon_yyyy_and_y_n_booleans(sim: Simulator) -> None:
    result = sync(sim, "returns", marketplaces=["DE"])
    rows = result.records["returns"]
    # Up to the bookmark (two minutes before the run): later returns are the next run's.
    bookmark = result.states[-1]["bookmarks"]["returns"]["partitions"][0]
    end = datetime.fromisoformat(bookmark["replication_key_value"].replace("Z", "+00:00"))
    start = instants.days_ago(45, at_midnight=True)
    expected = {
        r.rma_id: r
        for day in sim.data.days(DE, start, end)
        for r in day.returns
        if r.reason != "DEFECTIVE" and start <= r.returned < end
    }
    assert {r["amazon_rma_id"] for r in rows} == set(expected)
    for row in rows:
        source = expected[row["amazon_rma_id"]]
        assert row["return_request_date"] == source.returned.date().isoformat()
        assert row["in_policy"] is True and row["a_to_z_claim"] is False
        assert Decimal(str(row["refunded_amount"])) == source.refunded


def test_settlements_are_listed_not_requested_with_eu_number_and_date_formats(
    sim: Simulator,
) -> None:
    result = sync(sim, "settlement_reports", marketplaces=["US", "DE"])
    rows = result.records["settlement_reports"]
    assert sim.calls[CREATE] == 0
    assert rows
    de = [r for r in rows if r["marketplace_id"] == DE]
    summaries = [r for r in de if r["total_amount"] is not None]
    for summary in summaries:
        lines = [
            r
            for r in de
            if r["settlement_id"] == summary["settlement_id"] and r["amount"] is not None
        ]
        # "1.234,56"-style EU amounts add up to the summary row's total.
        assert sum(Decimal(str(r["amount"])) for r in lines) == Decimal(
            str(summary["total_amount"])
        )
        assert summary["settlement_start_date"].endswith("+00:00")  # from "DD.MM.YYYY HH:MM:SS UTC"


def test_a_settlement_amazon_made_as_both_flat_files_is_read_once() -> None:
    """Until 11 November 2026 Amazon made each settlement as the first flat file, the _V2
    flat file and the XML. The tap lists the first flat file too (a settlement made before
    _V2 existed has only it), but reads a settlement's lines once: from _V2 where both
    cover the period."""
    import time_machine

    from sp_api_simulator.families.reports import store

    # Its own instant, before the removal, whatever the edge instant this run is for.
    moment = datetime(2026, 11, 5, 12, tzinfo=UTC)
    with time_machine.travel(moment, tick=True):
        sim = Simulator()
        with sim.running():
            start = (moment - timedelta(days=60)).isoformat()
            result = sync(sim, "settlement_reports", marketplaces=["DE"], start_date=start)
            made = [r for r in store(sim).reports.values() if DE in r.marketplace_ids]
    types = Counter(r.report_type for r in made)
    v2 = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
    assert types[v2] > 0
    assert types == {t: types[v2] for t in (v2, SETTLEMENT_V1, SETTLEMENT_XML)}
    rows = result.records["settlement_reports"]
    read = {r["report_id"] for r in rows}
    # The settlements listed since start_date, each from its _V2 report alone.
    assert read and read <= {r.report_id for r in made if r.report_type == v2}
    for summary in (r for r in rows if r["total_amount"] is not None):
        lines = [
            r
            for r in rows
            if r["settlement_id"] == summary["settlement_id"] and r["amount"] is not None
        ]
        assert sum(Decimal(str(r["amount"])) for r in lines) == Decimal(
            str(summary["total_amount"])
        )


def test_a_settlement_made_only_as_the_first_flat_file_is_read() -> None:
    """The planner drops a first-flat-file report only where _V2 covers its period."""
    from tap_amazon_seller.reports import planner
    from tap_amazon_seller.reports.registry import REPORT_SPECS_BY_STREAM

    spec = REPORT_SPECS_BY_STREAM["settlement_reports"]

    def listed(report_id: str, report_type: str, start: str) -> dict[str, Any]:
        return {
            "reportId": report_id,
            "reportType": report_type,
            "marketplaceIds": [DE],
            "dataStartTime": f"{start}T00:00:00+00:00",
            "dataEndTime": "2026-10-15T00:00:00+00:00",
            "createdTime": "2026-10-16T00:00:00+00:00",
            "reportDocumentId": f"doc-{report_id}",
        }

    moment = datetime(2026, 10, 20, tzinfo=UTC)
    partition = planner.Partition(
        region="eu", marketplace_id=DE, options=(), start_date=moment, limit=moment
    )
    reports = [
        listed("1", spec.report_type, "2026-10-01"),
        listed("2", SETTLEMENT_V1, "2026-10-01"),  # the same period: read from _V2
        listed("3", SETTLEMENT_V1, "2026-09-17"),  # only as the first flat file
    ]
    jobs = planner.listed_jobs(spec, partition, reports)
    assert sorted(job.report_id for job in jobs) == ["1", "3"]


@pytest.mark.parametrize("country", ["DE", "GB", "FR", "US", "JP"])
def test_listing_open_dates_are_read_by_the_marketplaces_convention(
    sim: Simulator, country: str
) -> None:
    """open-date as each marketplace writes it (07/08/2024 07:31:42 MESZ is 7 August in
    Germany), exactly, for days of the month both above and up to 12."""
    marketplace = next(m for m in MARKETPLACES_BY_ID.values() if m.country_code == country)
    result = sync(sim, "products_inventory", marketplaces=[country])
    rows = {r["seller_sku"]: r for r in result.records["products_inventory"]}
    products = sim.data.products(marketplace.id)
    assert set(rows) == {p.sku for p in products}
    for product in products:
        assert rows[product.sku]["open_date"] == utc(product.opened), product.sku
    days = {p.opened.day for p in products}
    assert min(days) <= 12 < max(days), days  # a month-first reading would fail or err


def test_a_settlement_report_read_once_is_not_downloaded_again(sim: Simulator) -> None:
    """The bookmark is the newest settlement's creation time, and getReports' createdSince
    lists that one again: the next run neither downloads nor emits it; a settlement Amazon
    makes later is read whole."""
    import time_machine

    download = "reports_2021-06-30.getReportDocument"
    first = sync(sim, "settlement_reports", marketplaces=["US", "DE"])
    read = {r["report_id"] for r in first.records["settlement_reports"]}
    downloads = sim.calls[download]
    assert downloads == len(read) > 0
    again = sync(sim, "settlement_reports", marketplaces=["US", "DE"], state=first.states[-1])
    assert again.records.get("settlement_reports", []) == []
    assert sim.calls[download] == downloads
    # Two weeks on, Amazon has made one more settlement per marketplace.
    with time_machine.travel(clock.now() + timedelta(days=15), tick=True):
        later = sync(sim, "settlement_reports", marketplaces=["US", "DE"], state=again.states[-1])
    new = {r["report_id"] for r in later.records["settlement_reports"]}
    assert len(new) == 2 and not new & read
    assert sim.calls[download] == downloads + 2


def test_sales_and_traffic_json_by_date_and_by_asin(sim: Simulator) -> None:
    start = instants.midnight() - timedelta(days=3)
    result = sync(
        sim,
        "sales_traffic_report",
        "sales_traffic_by_asin",
        marketplaces=["US"],
        start_date=start.isoformat(),
    )
    by_date = {r["date"]: r for r in result.records["sales_traffic_report"]}
    for offset in range(3):
        day = (start + timedelta(days=offset)).date()
        shipped = sim.data.day(US, day).shipments
        row = by_date[day.isoformat()]
        assert row["salesByDate"]["unitsOrdered"] == sum(s.quantity for s in shipped)
        assert Decimal(str(row["salesByDate"]["orderedProductSales"]["amount"])) == sum(
            (s.product.price * s.quantity for s in shipped), Decimal(0)
        )
    asin_rows = result.records["sales_traffic_by_asin"]
    assert all(r["sku"] == "" and r["childAsin"] for r in asin_rows)  # CHILD granularity
    # by-date: one 30-day report; by-ASIN: one report per day (Amazon totals ASIN rows
    # over a report's range): the three whole days and today's part up to two minutes ago
    # (in a day's first two minutes, yesterday's last part instead), each with rows when
    # the simulator shipped something that day.
    assert len({r["report_id"] for r in result.records["sales_traffic_report"]}) == 1
    end = clock.now() - timedelta(minutes=2)
    # A window needs 5 minutes at least: in a day's first minutes, that day is not asked yet.
    days = [
        start + timedelta(days=n)
        for n in range(5)
        if start + timedelta(days=n) <= end - timedelta(minutes=5)
    ]
    shipped_days = {
        day.date().isoformat()
        for day in days
        if any(s.shipped < end for s in sim.data.day(US, day.date()).shipments)
    }
    assert {r["report_start_date"][:10] for r in asin_rows} == shipped_days
    assert sim.calls[CREATE] == 1 + len(days)


def test_vendor_reports_keyed_by_day_and_asin(sim: Simulator) -> None:
    result = sync(
        sim,
        "vendor_sales_report",
        "vendor_traffic_report",
        marketplaces=["US"],
        start_date=(instants.midnight() - timedelta(days=10)).isoformat(),
    )
    sales = result.records["vendor_sales_report"]
    traffic = result.records["vendor_traffic_report"]
    assert sales and traffic
    assert len(unique(sales, "startDate", "asin")) == len(sales)
    # 72 hours of lag: no day after today - 3 days.
    assert (
        max(r["startDate"] for r in sales)
        <= (instants.midnight() - timedelta(days=3)).date().isoformat()
    )


def test_fatal_window_stops_its_partition_and_keeps_the_bookmark(sim: Simulator) -> None:
    second_window = (
        (instants.days_ago(45, at_midnight=True) + timedelta(days=30)).date().isoformat()
    )
    sim.faults.fatal_report_types = {f"GET_LEDGER_DETAIL_VIEW_DATA@{DE}@{second_window}"}
    result = sync(sim, "fba_inventory_ledger", "warehouse_inventory")
    ledger = result.records["fba_inventory_ledger"]
    de_windows = {r["report_end_date"] for r in ledger if r["marketplace_id"] == DE}
    assert de_windows == {
        utc(instants.days_ago(45, at_midnight=True) + timedelta(days=30)).replace("+00:00", "Z")
    }
    # Other partitions and streams are complete.
    assert {r["marketplace_id"] for r in ledger} == {US, DE, JP}
    assert {r["marketplace_id"] for r in result.records["warehouse_inventory"]} == {US, DE, JP}
    partitions = result.states[-1]["bookmarks"]["fba_inventory_ledger"]["partitions"]
    bookmarks = {p["context"]["marketplace_id"]: p.get("replication_key_value") for p in partitions}
    assert bookmarks[DE] == utc(
        instants.days_ago(45, at_midnight=True) + timedelta(days=30)
    ).replace("+00:00", "Z")
    assert bookmarks[US] > bookmarks[DE]


def test_a_window_that_breaks_after_some_rows_keeps_the_bookmark_before_it(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A document can fail halfway (JSON or XML that stops parsing), after rows were emitted:
    # those rows carry their window's end, yet the bookmark must stay before that window.
    first_end = utc(instants.days_ago(45, at_midnight=True) + timedelta(days=30)).replace(
        "+00:00", "Z"
    )
    whole = reader.records

    def breaks_after_one_row(*args: Any) -> Iterator[dict]:
        rows = whole(*args)
        base = args[3]
        if base["marketplace_id"] == DE and base["report_end_date"] != first_end:
            yield next(rows)
            raise DocumentError("the document is not valid JSON (cut by the test)")
        yield from rows

    monkeypatch.setattr(reader, "records", breaks_after_one_row)
    result = sync(sim, "fba_inventory_ledger")
    partitions = result.states[-1]["bookmarks"]["fba_inventory_ledger"]["partitions"]
    bookmarks = {p["context"]["marketplace_id"]: p.get("replication_key_value") for p in partitions}
    assert bookmarks[DE] == first_end
    assert bookmarks[US] > first_end
    second = [r for r in result.records["fba_inventory_ledger"] if r["marketplace_id"] == DE]
    assert {r["report_end_date"] for r in second} == {first_end, bookmarks[US]}  # row was sent
    assert result.tap.failed


def test_cancelled_report_means_no_data_and_moves_on(sim: Simulator) -> None:
    sim.faults.cancelled_report_types = {f"GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA@{DE}"}
    result = sync(sim, "fba_returns")
    rows = result.records["fba_returns"]
    assert DE not in {r["marketplace_id"] for r in rows}
    assert {r["marketplace_id"] for r in rows} == {US, JP}
    partitions = result.states[-1]["bookmarks"]["fba_returns"]["partitions"]
    bookmarks = {p["context"]["marketplace_id"]: p.get("replication_key_value") for p in partitions}
    assert bookmarks[DE] == bookmarks[US]  # "no data" is a complete answer


def test_truncated_gzip_and_expired_url_are_downloaded_again(sim: Simulator) -> None:
    sim.faults.truncate_documents = 1
    sim.faults.expire_urls = 1
    result = sync(sim, "warehouse_inventory", marketplaces=["US"])
    rows = result.records["warehouse_inventory"]
    assert len(rows) == len(sim.data.products(US))
    assert len({r["sku"] for r in rows}) == len(rows)  # nothing half-parsed, nothing twice
    assert sim.calls["documentHost.download"] == 2  # the truncated body and the whole one
    assert sim.calls[DOCUMENT] == 3


def test_interrupted_run_resumes_pending_reports_without_requesting_again(sim: Simulator) -> None:
    sim.config.report_seconds = 10**9  # reports never finish during the first run
    first = sync(sim, "fba_customer_shipment_sales", "warehouse_inventory", report_timeout=0.3)
    assert "fba_customer_shipment_sales" not in first.records
    created = sim.calls[CREATE]
    assert created == 3 * 2 + 3  # two windows per marketplace, one snapshot each
    state = first.states[-1]
    pending = state["bookmarks"]["fba_customer_shipment_sales"]["partitions"][0]["pending_reports"]
    assert len(pending) == 2

    sim.config.report_seconds = 0  # now Amazon has finished them
    second = sync(sim, "fba_customer_shipment_sales", "warehouse_inventory", state=state)
    assert sim.calls[CREATE] == created  # not one report requested again
    assert {r["marketplace_id"] for r in second.records["fba_customer_shipment_sales"]} == {
        US,
        DE,
        JP,
    }
    final = second.states[-1]["bookmarks"]["fba_customer_shipment_sales"]["partitions"]
    assert all("pending_reports" not in p for p in final)


def test_reports_already_made_are_found_and_reused_without_state(sim: Simulator) -> None:
    sync(sim, "fba_returns", "warehouse_inventory")
    created = sim.calls[CREATE]
    again = sync(sim, "fba_returns", "warehouse_inventory")
    assert sim.calls[CREATE] == created
    assert again.records["warehouse_inventory"]


def test_all_reports_are_requested_before_the_first_download(sim: Simulator) -> None:
    streams = [
        s.stream
        for s in REPORT_SPECS
        if s.requestable and not s.stream.startswith(("sales_traffic_by", "vendor"))
    ]
    sync(sim, *streams)
    order = [operation for operation, _, _ in sim.call_log]
    creates = [i for i, op in enumerate(order) if op == CREATE]
    first_download = order.index(DOCUMENT)
    assert len(creates) > 15
    assert sum(1 for i in creates if i < first_download) >= 15  # the whole burst, up front


def test_only_selected_streams_cause_report_requests(sim: Simulator) -> None:
    sync(sim, "reserved_inventory", marketplaces=["US"])
    assert sim.calls[CREATE] == 1


def test_reports_stream_lists_the_accounts_reports(sim: Simulator) -> None:
    sync(sim, "warehouse_inventory", marketplaces=["US"])
    result = sync(sim, "reports", marketplaces=["US", "DE"])
    rows = result.records["reports"]
    types = {r["reportType"] for r in rows}
    assert "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA" in types  # the one made above
    assert "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2" in types  # Amazon's own
    assert {r["region"] for r in rows} == {"na", "eu"}
    assert len({r["reportId"] for r in rows}) == len(rows)


def test_report_types_setting_adds_a_generic_stream(sim: Simulator) -> None:
    cfg = config(sim, marketplaces=["DE"], report_types=["GET_MERCHANT_LISTINGS_DEFECT_DATA"])
    from tap_amazon_seller.tap import TapAmazonSeller

    catalog = TapAmazonSeller(config=cfg).catalog_dict
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            if metadata["breadcrumb"] == []:
                metadata["metadata"]["selected"] = (
                    entry["tap_stream_id"] == "get_merchant_listings_defect_data"
                )
    result = run_sync(cfg, catalog=catalog)
    rows = result.records["get_merchant_listings_defect_data"]
    products = {p.sku: p for i, p in enumerate(sim.data.products(DE)) if i % 4 == 0}
    assert {r["extra_columns"]["sku"] for r in rows} == set(products)
    assert all(
        r["extra_columns"]["product-name"] == products[r["extra_columns"]["sku"]].name for r in rows
    )
    assert len({r["row_key"] for r in rows}) == len(rows)


def test_report_options_reach_create_report_and_shape_the_data(sim: Simulator) -> None:
    from sp_api_simulator.families.reports import store

    cfg = config(
        sim,
        marketplaces=["US"],
        report_types=["GET_MERCHANT_LISTINGS_DEFECT_DATA"],
        report_options={
            "fba_inventory_ledger": {"eventType": "Shipments"},
            "get_merchant_listings_defect_data": {"custom": "true"},
        },
    )
    catalog = select("fba_inventory_ledger", "get_merchant_listings_defect_data", config=cfg)
    result = run_sync(cfg, catalog=catalog)
    rows = result.records["fba_inventory_ledger"]
    expected = [
        e
        for day in sim.data.days(US, instants.days_ago(45, at_midnight=True), instants.midnight())
        for e in day.ledger
        if e.at >= instants.days_ago(45, at_midnight=True) and e.event_type == "Shipments"
    ]
    assert rows and {r["event_type"] for r in rows} == {"Shipments"}
    assert len(rows) == len([e for e in expected if e.at <= clock.now()])
    options = {
        r.report_type: r.options for r in store(sim).reports.values() if r.marketplace_ids == [US]
    }
    assert options["GET_LEDGER_DETAIL_VIEW_DATA"] == {"eventType": "Shipments"}
    assert options["GET_MERCHANT_LISTINGS_DEFECT_DATA"] == {"custom": "true"}


def test_open_listings_typed_by_sku(sim: Simulator) -> None:
    rows = sync(sim, "open_listings", marketplaces=["JP", "DE"]).records["open_listings"]
    for marketplace in (JP, DE):
        products = {p.sku: p for p in sim.data.products(marketplace)}
        got = {r["sku"]: r for r in rows if r["marketplace_id"] == marketplace}
        assert set(got) == set(products)
        for sku, row in got.items():
            assert Decimal(str(row["price"])) == products[sku].price
            assert row["quantity"] == products[sku].quantity
            assert row.get("business_price") is None  # a column the file does not have


def test_orders_by_order_date_rows_per_item(sim: Simulator) -> None:
    rows = sync(sim, "orders_by_order_date_report", marketplaces=["DE"]).records[
        "orders_by_order_date_report"
    ]
    end = max(datetime.fromisoformat(r["report_end_date"]) for r in rows)
    expected = sim.data.orders.created_between(DE, instants.days_ago(45, at_midnight=True), end)

    # Two lines of one SKU in an order are two rows, told apart by key_repeat (the file has
    # no order item id): every key once.
    def numbered(order: SimOrder) -> Iterator[tuple[tuple[str, str, int], OrderLine]]:
        seen: Counter[str] = Counter()
        for line in order.lines:
            yield (order.order_id, line.product.sku, seen[line.product.sku]), line
            seen[line.product.sku] += 1

    assert any(key[2] for order in expected for key, _ in numbered(order))
    keys = Counter((r["amazon_order_id"], r["sku"], r["key_repeat"]) for r in rows)
    assert keys == Counter(key for order in expected for key, _ in numbered(order))
    by_key = {(r["amazon_order_id"], r["sku"], r["key_repeat"]): r for r in rows}
    for order in expected:
        for key, line in numbered(order):
            row = by_key[key]
            assert row["purchase_date"] == utc(order.created)  # from a +01:00 local time
            assert row["product_name"] == line.product.name  # ß, ü, „quotes" in Cp1252
            assert row["quantity"] == line.quantity
            assert row["is_business_order"] is order.business  # "true"/"false" as text
            if order.status != "CANCELLED":
                assert Decimal(str(row["item_price"])) == line.price
    assert sim.calls[CREATE] == 2  # 45 days: two 30-day windows of purchase date


def test_fba_reimbursements_removals_and_stock_by_condition(sim: Simulator) -> None:
    streams = ("fba_reimbursements", "fba_removal_orders", "fba_removal_shipments", "afn_inventory")
    result = sync(sim, *streams, marketplaces=["US", "DE"])
    # Removal shipments are compared with the simulator's below, and may be none in a range
    # whose removals were all disposals: the others always have rows.
    assert [s for s in streams if not result.records.get(s)] in ([], ["fba_removal_shipments"])
    result.records.setdefault("fba_removal_shipments", [])
    end = clock.now() - timedelta(minutes=2)
    for marketplace in (US, DE):
        returns = [
            r
            for day in sim.data.days(
                marketplace, instants.days_ago(45, at_midnight=True) - timedelta(days=2), end
            )
            for r in day.returns
            if r.disposition != "SELLABLE"
            and instants.days_ago(45, at_midnight=True) <= r.returned + timedelta(days=2) <= end
        ]
        # A row on the edge of two windows comes in both and upserts by the stream's key
        # (an event at midnight sharp, on some days): compared once per key.
        got = [
            r
            for r in unique(
                result.records["fba_reimbursements"], "reimbursement_id", "sku"
            ).values()
            if r["marketplace_id"] == marketplace
        ]
        assert sorted((r["amazon_order_id"], r["amount_total"]) for r in got) == sorted(
            (r.order_id, float(r.refunded * r.quantity)) for r in returns
        )
        assert all(r["approval_date"].endswith("+00:00") for r in got)  # from local offsets

        removals = [
            e
            for day in sim.data.days(marketplace, instants.days_ago(45, at_midnight=True), end)
            for e in day.ledger
            if e.event_type == "Adjustments"
            and e.quantity < 0
            and instants.days_ago(45, at_midnight=True) <= e.at <= end
        ]
        orders = [
            r
            for r in unique(
                result.records["fba_removal_orders"], "order_id", "fnsku", "disposition"
            ).values()
            if r["marketplace_id"] == marketplace
        ]
        assert sorted((r["order_id"], r["requested_quantity"]) for r in orders) == sorted(
            (f"R{e.reference_id}", -e.quantity) for e in removals
        )
        shipments = [
            r for r in result.records["fba_removal_shipments"] if r["marketplace_id"] == marketplace
        ]
        assert {r["order_id"] for r in shipments} == {
            f"R{e.reference_id}" for e in removals if e.disposition != "DEFECTIVE"
        }
        assert all(r["carrier"] == "UPS, UPS" for r in shipments)  # lists stay text

        stock = [r for r in result.records["afn_inventory"] if r["marketplace_id"] == marketplace]
        sellable = {
            r["seller_sku"]: r["quantity_available"]
            for r in stock
            if r["warehouse_condition_code"] == "SELLABLE"
        }
        assert sellable == {p.sku: p.quantity for p in sim.data.products(marketplace)}
        assert len({(r["seller_sku"], r["warehouse_condition_code"]) for r in stock}) == len(stock)


def test_stranded_inventory_and_restock_with_amazons_365_plus(sim: Simulator) -> None:
    result = sync(
        sim, "fba_stranded_inventory", "fba_restock_recommendations", marketplaces=["US", "DE"]
    )
    for marketplace in (US, DE):
        products = sim.data.products(marketplace)
        stranded = [
            r
            for r in result.records["fba_stranded_inventory"]
            if r["marketplace_id"] == marketplace
        ]
        assert {r["sku"] for r in stranded} == {p.sku for i, p in enumerate(products) if i % 4 == 0}
        assert all(r["date_stranded"].endswith("+00:00") for r in stranded)
        restock = {
            r["merchant_sku"]: r
            for r in result.records["fba_restock_recommendations"]
            if r["marketplace_id"] == marketplace
        }
        assert set(restock) == {p.sku for p in products}
        for index, product in enumerate(products):
            row = restock[product.sku]
            sold = index % 5
            expected = 365 if sold == 0 else product.quantity // sold
            assert row["total_days_of_supply_including_units_from_open_shipments"] == expected
            assert row["supplier"] == "Müller GmbH"  # ü in ISO-8859-1 and Cp1252
            if row["recommended_ship_date"]:
                assert (
                    row["recommended_ship_date"]
                    == (clock.now() + timedelta(days=3)).date().isoformat()
                )


@pytest.mark.parametrize("marketplace", sorted(MARKETPLACES_BY_ID))
def test_every_simulated_report_encodes_in_its_marketplaces_charset(marketplace: str) -> None:
    """Text a region's charset cannot carry (an umlaut in Shift_JIS) would be a 500 there."""
    from sp_api_simulator.data import SellerData
    from sp_api_simulator.report_documents import RENDERERS

    data, profile = SellerData(), MARKETPLACES_BY_ID[marketplace]
    for report_type, render in RENDERERS.items():
        payload, _ = render(
            data, profile, instants.days_ago(45, at_midnight=True), instants.midnight(), {}
        ).encode()
        assert payload, report_type
