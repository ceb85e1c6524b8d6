"""hotglue_compatible: a job written for hotglue's tap-amazon-seller runs unchanged.

The oracles are not the tap's: hotglue's declared schemas (tests/data/hotglue_declared.json,
read off hotglue's source), a consumer's field mapping written against hotglue's output, and
the simulator's own data.
"""

from __future__ import annotations

import functools
import gzip
import json
import logging
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sp_api_simulator import Simulator, SimulatorConfig
from sp_api_simulator.families.catalog import catalog_item
from sp_api_simulator.families.finances import events_between
from sp_api_simulator.families.inventory import inventory_summary
from sp_api_simulator.families.reports import store
from tap_amazon_seller import clock
from tap_amazon_seller.errors import CatalogError, StateError
from tap_amazon_seller.hotglue import VIEWS, orders_v0
from tap_amazon_seller.hotglue.state import from_hotglue
from tap_amazon_seller.hotglue.streams import LAST_UPDATE
from tap_amazon_seller.reports import reader
from tap_amazon_seller.reports.documents import Document, DocumentError
from tap_amazon_seller.reports.engine import ReportJob
from tap_amazon_seller.streams.orders import SOURCE
from tap_amazon_seller.streams.reports import ReportStream
from tap_amazon_seller.tap import TapAmazonSeller
from tests import instants
from tests.conftest import FAST, SyncResult, run_sync, schema_errors

pytestmark = pytest.mark.edges

DECLARED: dict[str, Any] = {
    name: entry
    for name, entry in json.loads(
        (Path(__file__).parent / "data" / "hotglue_declared.json").read_text()
    ).items()
    if not name.startswith("_")
}
US, CA = "ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"
LEDGER = "GET_LEDGER_DETAIL_VIEW_DATA"


@pytest.fixture
def sim() -> Iterator[Simulator]:
    simulator = Simulator(SimulatorConfig(time_scale=FAST, page_size=25))
    with simulator.running():
        yield simulator


def since() -> datetime:
    return instants.days_ago(20)


def config(sim: Simulator, **overrides: Any) -> dict:
    return sim.tap_config(
        **{
            "marketplaces": "US,CA",  # hotglue configs often give lists as comma-separated text
            "start_date": since().isoformat(),
            "hotglue_compatible": True,
            **overrides,
        }
    )


def hotglue_catalog(*selected: str) -> dict:
    """A catalog as hotglue's tap writes it (singer-sdk 0.4's --discover): its stream names,
    schemas and keys, `selected` in each stream's metadata."""
    streams = []
    for name, entry in DECLARED.items():
        metadata: dict[str, Any] = {
            "inclusion": "available",
            "selected": name in selected,
            "table-key-properties": entry["primary_keys"],
        }
        stream: dict[str, Any] = {
            "tap_stream_id": name,
            "stream": name,
            "schema": entry["schema"],
            "key_properties": entry["primary_keys"],
            "replication_method": "INCREMENTAL" if entry["replication_key"] else "FULL_TABLE",
        }
        if entry["replication_key"]:
            stream["replication_key"] = entry["replication_key"]
            metadata["valid-replication-keys"] = [entry["replication_key"]]
        stream["metadata"] = [{"breadcrumb": [], "metadata": metadata}] + [
            {"breadcrumb": ["properties", p], "metadata": {"inclusion": "available"}}
            for p in entry["schema"]["properties"]
        ]
        streams.append(stream)
    return {"streams": streams}


def sync(sim: Simulator, *streams: str, **kwargs: Any) -> SyncResult:
    return run_sync(config(sim), catalog=hotglue_catalog(*streams), **kwargs)


def _amount(money: dict | None) -> Decimal | None:
    return Decimal(money["Amount"]) if money and money.get("Amount") is not None else None


def test_a_hotglue_consumer_reads_every_value_it_maps(sim: Simulator) -> None:
    """A replenishment planner's ETL, written against hotglue's output, applied as it is
    written to this tap's: products, stock, sell orders and their lines."""
    wanted = (
        "products_inventory",
        "product_catalog_details",
        "warehouse_inventory",
        "orders",
        "orderitems",
    )
    records = sync(sim, *wanted).records
    assert all(records.get(name) for name in wanted), {n: len(records.get(n, [])) for n in wanted}

    # products: name and price from products_inventory (hotglue's newest writes the report's
    # item-name as item_name); SKU and EAN codes from the catalog identifiers; remoteId is
    # the catalog item's ASIN; stock is warehouse_inventory.totalQuantity summed per SKU.
    catalog = {(r["marketplace_id"], r["ASIN"]): r for r in records["product_catalog_details"]}
    stock: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in records["warehouse_inventory"]:
        stock[(row["marketplace_id"], row["sellerSku"])] += Decimal(str(row["totalQuantity"]))
    products = {}
    for listing in records["products_inventory"]:
        item = catalog[(listing["marketplace_id"], listing["asin1"])]
        codes = {
            i["identifierType"]: i["identifier"]
            for entry in item["identifiers"]
            for i in entry["identifiers"]
        }
        products[(listing["marketplace_id"], listing["seller_sku"])] = {
            "name": listing["item_name"],
            "skuCode": codes.get("SKU"),
            "eanCode": codes.get("EAN"),
            "price": Decimal(listing["price"]),
            "stockLevel": stock[(listing["marketplace_id"], listing["seller_sku"])],
            "remoteId": item["ASIN"],
        }
    truth = {}
    for marketplace, country in ((US, "US"), (CA, "CA")):
        for product in sim.data.products(marketplace):
            codes = {
                i["identifierType"]: i["identifier"]
                for entry in catalog_item(product, marketplace, {"identifiers"}, 0)["identifiers"]
                for i in entry["identifiers"]
            }
            truth[(country, product.sku)] = {
                "name": product.name,
                "skuCode": product.sku,
                "eanCode": codes["EAN"],
                "price": product.price,
                "stockLevel": Decimal(inventory_summary(product, details=False)["totalQuantity"]),
                "remoteId": product.asin,
            }
    assert products == truth

    # sell orders and their lines
    expected = {
        o.order_id: o
        for m in (US, CA)
        for o in sim.data.orders.updated_between(m, since(), clock.now())
    }
    orders = {o["AmazonOrderId"]: o for o in records["orders"]}
    assert len(orders) == len(records["orders"]) == len(expected)
    assert set(orders) == set(expected)
    lines = {i["AmazonOrderId"]: i["OrderItems"] for i in records["orderitems"]}
    priced = 0
    for order_id, sim_order in expected.items():
        order = orders[order_id]
        assert order["PurchaseDate"] == sim_order.created.isoformat()  # placed
        got_lines = sorted(
            (line["ASIN"], line["QuantityOrdered"], _amount(line["ItemPrice"]))
            for line in lines[order_id]
        )
        total = sum((line.price + line.shipping + line.tax for line in sim_order.lines), Decimal(0))
        if sim_order.status == "CANCELLED" and order["OrderTotal"] is None:
            # The orders report carries no prices for a cancelled order: unknown, not 0.
            assert all(price is None for _, _, price in got_lines)
            got_lines = [(asin, quantity, None) for asin, quantity, _ in got_lines]
            want = sorted((line.product.asin, line.quantity, None) for line in sim_order.lines)
        else:
            priced += 1
            assert _amount(order["OrderTotal"]) == total  # totalValue
            want = sorted(
                (line.product.asin, line.quantity, line.price) for line in sim_order.lines
            )
        assert got_lines == want  # productId, quantity, subtotalValue
    assert priced > len(expected) // 2


def _tap(**config: Any) -> TapAmazonSeller:
    return TapAmazonSeller(
        config={"marketplaces": ["US", "DE"], "hotglue_compatible": True, **config},
        validate_config=False,
    )


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_each_compatible_stream_has_hotglues_declared_schema(name: str) -> None:
    """The schema discovery gives each stream is hotglue's: the same properties, nesting and
    types; besides them only the tap's bookmark and key where hotglue declares none (the
    orders' children carry the order's LastUpdateDate, a vendor stream its window's end)."""
    declared = DECLARED[name]["schema"]
    stream = _tap().streams[name]
    schema = stream.schema
    assert {k: v for k, v in schema["properties"].items() if k in declared["properties"]} == (
        declared["properties"]
    )
    assert {k: v for k, v in schema.items() if k != "properties"} == {
        k: v for k, v in declared.items() if k != "properties"
    }
    extras = set(schema["properties"]) - set(declared["properties"])
    assert extras <= {stream.replication_key, *stream.primary_keys}, extras


def test_every_compatible_record_fits_hotglues_schema(sim: Simulator) -> None:
    """Every stream offered in hotglue's shape, from one sync of a seller and vendor in the
    US and Germany: each record valid against hotglue's declared schema, with no property
    besides those and the tap's bookmark and key."""
    cfg = config(sim, marketplaces="US,DE", account_type="both")
    records = run_sync(cfg, catalog=hotglue_catalog(*VIEWS)).records
    tap = _tap()
    for name in VIEWS:
        rows = records.get(name) or []
        assert rows, f"{name}: no records"
        declared = DECLARED[name]["schema"]
        validator = jsonschema.Draft7Validator(declared)
        stream = tap.streams[name]
        allowed = set(declared["properties"]) | {stream.replication_key, *stream.primary_keys}
        for row in rows:
            assert schema_errors(validator, row) == [], (name, row)
            assert set(row) <= allowed, (name, set(row) - allowed)


def test_shipment_sales_in_hotglues_shape_match_the_simulator(sim: Simulator) -> None:
    """hotglue keeps the report's headers (`amazon-order-id`) and its values as text."""
    rows = sync(sim, "fba_customer_shipment_sales").records["fba_customer_shipment_sales"]
    latest = max(datetime.fromisoformat(r["report_end_date"]) for r in rows)
    expected = {
        (s.order_id, s.product.sku): s
        for m in (US, CA)
        for day in sim.data.days(m, since(), latest)
        for s in day.shipments
        if since() <= s.shipped <= latest
    }
    got = {(r["amazon-order-id"], r["sku"]): r for r in rows}  # an edge row comes twice
    assert set(got) == set(expected)
    for key, shipment in expected.items():
        row = got[key]
        assert row["quantity"] == str(shipment.quantity)
        assert Decimal(row["item-price-per-unit"]) == shipment.product.price
        assert datetime.fromisoformat(row["shipment-date"]) == shipment.shipped
        assert row["ship-city"] == shipment.city[0]


def test_hotglue_names_only_with_the_setting(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    plain = TapAmazonSeller(config=config(sim, hotglue_compatible=False), validate_config=False)
    assert "orderitems" not in plain.streams
    assert "lastUpdatedTime" in plain.streams["orders"].schema["properties"]
    compatible = TapAmazonSeller(config=config(sim), validate_config=False)
    assert {"orderitems", "orderbuyerinfo", "orderaddress", "product_catalog_details"} <= set(
        compatible.streams
    )
    assert "AmazonOrderId" in compatible.streams["orders"].schema["properties"]
    # The tap's own shapes of the same data stay, off by default.
    assert compatible.streams["order_items"].selected_by_default is False


def test_a_hotglue_state_resumes_from_its_bookmarks(sim: Simulator) -> None:
    """hotglue's state names marketplaces by country code and keeps no bookmark for the
    orders' child streams: the run reads each marketplace's orders from its bookmark on,
    children included, and every order updated since is delivered once."""
    moment = clock.now().replace(microsecond=0) - (clock.now() - since()) / 2
    bookmark = moment.isoformat().replace("+00:00", "Z")
    state = {
        "bookmarks": {
            "marketplaces": {},
            "orders": {
                "partitions": [
                    {
                        "context": {"marketplace_id": country},
                        "replication_key": "LastUpdateDate",
                        "replication_key_value": bookmark,
                    }
                    for country in ("US", "CA")
                ]
            },
            "orderitems": {"partitions": []},
            "orderbuyerinfo": {"partitions": []},
            "orderaddress": {"partitions": []},
            "products_inventory": {"partitions": []},
        }
    }
    result = sync(sim, "orders", "orderitems", "orderbuyerinfo", state=state)
    expected = {
        o.order_id
        for m in (US, CA)
        for o in sim.data.orders.updated_between(m, moment, clock.now())
    }
    for name in ("orders", "orderitems", "orderbuyerinfo"):
        ids = [r["AmazonOrderId"] for r in result.records.get(name, [])]
        assert len(ids) == len(set(ids)), name
        assert set(ids) == expected, name
    last = result.states[-1]["bookmarks"]
    for name in ("orders", "orderitems", "orderbuyerinfo"):
        contexts = [p["context"]["marketplace_id"] for p in last[name]["partitions"]]
        assert sorted(contexts) == sorted([US, CA]), name
    # From then on the state is the tap's: the next run, still with hotglue's catalog (its
    # child streams FULL_TABLE), reads only the orders that changed since, children too.
    touched = sim.mutate_orders(marketplace_ids=[US, CA], new=1, advance=1, cancel=0)
    changed = {i for ids in touched.values() for i in ids}
    bookmarks = {p["replication_key_value"] for p in last["orders"]["partitions"]}
    again = sync(sim, "orders", "orderitems", "orderbuyerinfo", state=result.states[-1])
    for name in ("orders", "orderitems", "orderbuyerinfo"):
        rows = again.records.get(name, [])
        # Besides the changes, only an order updated at the bookmark itself (inclusive).
        assert changed <= {r["AmazonOrderId"] for r in rows}, name
        assert all(r["AmazonOrderId"] in changed or r[LAST_UPDATE] in bookmarks for r in rows), name


def test_a_bookmark_that_cannot_be_mapped_is_refused_before_any_call(sim: Simulator) -> None:
    state = {
        "bookmarks": {
            # hotglue's sales_traffic_report keeps one bookmark for the stream (it reads one
            # marketplace); this tap's is per marketplace: which ones it stands for is unknown.
            "sales_traffic_report": {
                "replication_key": "report_end_date",
                "replication_key_value": "2026-10-15T00:00:00",
            }
        }
    }
    with pytest.raises(StateError) as refused:
        TapAmazonSeller(config=config(sim), state=state)
    message = str(refused.value)
    assert "bookmarks.sales_traffic_report" in message
    assert "start_date" in message
    assert sum(sim.calls.values()) == 0


def test_a_hotglue_catalog_without_the_setting_says_how(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    plain = config(sim, hotglue_compatible=False)
    with caplog.at_level(logging.WARNING), pytest.raises(CatalogError, match="selects none"):
        TapAmazonSeller(config=plain, catalog=hotglue_catalog("orderitems"))._check_catalog()
    assert "'orderitems'" in caplog.text and "hotglue_compatible: true" in caplog.text
    with pytest.raises(CatalogError, match="hotglue_compatible: true"):
        TapAmazonSeller(config=plain, catalog=hotglue_catalog("orders"))._check_catalog()
    assert sum(sim.calls.values()) == 0


# -- the v0 vocabulary, field by field ------------------------------------------------------


def _asserted(value: Any, path: str = "") -> set[str]:
    if isinstance(value, dict):
        return {p for k, v in value.items() for p in _asserted(v, f"{path}.{k}")}
    if isinstance(value, list):
        return {p for i, v in enumerate(value) for p in _asserted(v, f"{path}[{i}]")} or {path}
    return set() if value is None else {path}


@pytest.mark.parametrize("source", ["report", "v0"])
def test_a_bare_order_asserts_nothing_it_was_not_told(source: str) -> None:
    bare = {"orderId": "028-1", "orderItems": [{"orderItemId": "1"}], SOURCE: source}
    assert _asserted(orders_v0.order(bare)) == {".AmazonOrderId"}
    assert _asserted(orders_v0.order_item(bare, bare["orderItems"][0])) == {".OrderItemId"}


def test_search_orders_answers_whole_so_what_it_leaves_out_is_false() -> None:
    order = {
        "orderId": "028-1",
        "programs": ["PRIME"],
        "fulfillment": {"fulfillmentStatus": "CANCELLED", "fulfilledBy": "AMAZON"},
        "orderItems": [
            {"orderItemId": "1", "product": {"asin": "B0"}, "fulfillment": {}},
            {
                "orderItemId": "2",
                "product": {"asin": "B1", "condition": {"conditionSubtype": "VERY_GOOD"}},
                "programs": ["TRANSPARENCY"],
                "fulfillment": {"packing": {"giftOption": {"giftMessage": "Enjoy"}}},
            },
        ],
    }
    v0 = orders_v0.order(order)
    assert (v0["IsPrime"], v0["IsBusinessOrder"], v0["IsReplacementOrder"]) == (True, False, False)
    assert (v0["OrderStatus"], v0["FulfillmentChannel"]) == ("Canceled", "AFN")
    plain, gift = (orders_v0.order_item(order, i) for i in order["orderItems"])
    assert (plain["IsGift"], gift["IsGift"]) == ("false", "true")  # v0's strings
    assert (plain["IsTransparency"], gift["IsTransparency"]) == (False, True)
    assert gift["ConditionSubtypeId"] == "Very Good"
    assert gift["BuyerInfo"] == {
        "BuyerCustomizedInfo": None,
        "GiftMessageText": "Enjoy",
        "GiftWrapLevel": None,
    }


def test_money_keeps_its_digits_and_a_missing_breakdown_is_null() -> None:
    item = {
        "orderItemId": "1",
        "proceeds": {
            "breakdowns": [
                {"type": "ITEM", "subtotal": {"amount": "20.10", "currencyCode": "EUR"}},
                {
                    "type": "TAX",
                    "detailedBreakdowns": [
                        {"subtype": "ITEM", "value": {"amount": "3.82", "currencyCode": "EUR"}}
                    ],
                },
            ]
        },
    }
    v0 = orders_v0.order_item({"orderId": "028-1"}, item)
    assert v0["ItemPrice"] == {"CurrencyCode": "EUR", "Amount": "20.10"}
    assert v0["ItemTax"] == {"CurrencyCode": "EUR", "Amount": "3.82"}
    assert v0["ShippingPrice"] is None  # not "0.00": nothing says there was no shipping


def test_hotglue_bookmarks_by_country_code_are_read_per_marketplace() -> None:
    """hotglue's replenishment bookmark, on the same field as the tap's, keeps its value;
    its partition names the marketplace by country code."""
    value = "2026-10-10T00:00:00Z"
    hotglue = {
        "bookmarks": {
            "replenishment_daily_metrics": {
                "partitions": [
                    {
                        "context": {"marketplace_id": "DE"},
                        "replication_key": "report_end_date",
                        "replication_key_value": value,
                    }
                ]
            },
            "vendor_purchase_orders": {"partitions": []},
        }
    }
    tap = _tap(refresh_token="r", lwa_client_id="i", lwa_client_secret="s")
    state, errors = from_hotglue(hotglue, tap.streams)
    assert errors == []
    (partition,) = state["bookmarks"]["replenishment_daily_metrics"]["partitions"]
    assert partition == {
        "context": {"region": "eu", "marketplace_id": "A1PA6795UKMFR9"},
        "replication_key": "report_end_date",
        "replication_key_value": value,
    }


def test_the_ledger_in_hotglues_two_shapes_matches_the_simulator(sim: Simulator) -> None:
    """hotglue's `reports` is the inventory ledger's rows, `Date` as the report writes it;
    its `fba_inventory_ledger_detailed` the adjustments only. Both from the same reports."""
    result = sync(sim, "reports", "fba_inventory_ledger_detailed")
    latest = max(datetime.fromisoformat(r["report_end_date"]) for r in result.records["reports"])
    events = [
        e
        for m in (US, CA)
        for day in sim.data.days(m, since(), latest)
        for e in day.ledger
        if since() <= e.at <= latest
    ]
    rows = result.records["reports"]
    assert {r["Reference ID"] for r in rows} == {e.reference_id for e in events}
    assert {r["Date"] for r in rows} == {e.at.strftime("%m/%d/%Y") for e in events}
    adjustments = result.records["fba_inventory_ledger_detailed"]
    assert {r["Reference ID"] for r in adjustments} == {
        e.reference_id for e in events if e.event_type == "Adjustments"
    }
    assert {r["Event Type"] for r in adjustments} == {"Adjustments"}
    # One report per marketplace and window serves both streams.
    ledgers = [r for r in store(sim).reports.values() if r.report_type == LEDGER]
    windows = [(tuple(r.marketplace_ids), r.data_start, r.data_end) for r in ledgers]
    assert ledgers and len(windows) == len(set(windows))


def _canonical(value: Any) -> str:
    """A JSON value as text, its numbers by their decimal value (12.5 == Decimal("12.50"))."""

    def numbers(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: numbers(x) for k, x in v.items()}
        if isinstance(v, list):
            return [numbers(x) for x in v]
        if isinstance(v, int | float | Decimal) and not isinstance(v, bool):
            return str(Decimal(str(v)).normalize())
        return v

    return json.dumps(numbers(value), sort_keys=True, default=str)


def test_order_events_in_hotglues_shape_are_every_event_of_each_order(sim: Simulator) -> None:
    """hotglue's orderfinancialevents asked Amazon for each order's events; here they come
    from the posted-date windows, a record per order and day. Together they hold exactly
    the events the simulator posted for each order, each list under its own name."""
    rows = sync(sim, "orderfinancialevents").records["orderfinancialevents"]
    assert sim.calls["financesV0.listFinancialEventsByOrderId"] == 0
    assert len({(r["AmazonOrderId"], r["posted_day"]) for r in rows}) == len(rows)
    got: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in rows:
        for name, events in row.items():
            if name.endswith("EventList") and events is not None:
                assert events, (row["AmazonOrderId"], name)  # a list read is never empty
                for event in events:
                    assert event["PostedDate"][:10] == row["posted_day"]
                    got[row["AmazonOrderId"], name].append(_canonical(event))
    end = max(datetime.fromisoformat(r["windowEnd"]) for r in rows)
    expected: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, event in events_between(sim, "na", clock.midnight(since()), end):
        if event.get("AmazonOrderId"):
            expected[event["AmazonOrderId"], name].append(_canonical(event))
    assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in expected.items()}


def test_sales_and_traffic_in_hotglues_shape_is_one_record_a_day(sim: Simulator) -> None:
    """hotglue's sales_traffic_report keeps a report's date and ASIN lists together: here
    one record a marketplace and day, its lists that day's, as the simulator sold."""
    start = instants.days_ago(3, at_midnight=True)
    result = run_sync(
        config(sim, start_date=start.isoformat()), catalog=hotglue_catalog("sales_traffic_report")
    )
    rows = result.records["sales_traffic_report"]
    keys = [(r["marketplace_id"], r["report_start_date"]) for r in rows]
    assert len(set(keys)) == len(keys) and {m for m, _ in keys} == {"US", "CA"}
    assert len({r["reportId"] for r in rows}) == len(rows)
    for row in rows:
        (day,) = [d for d in row["salesAndTrafficByDate"]]
        marketplace = {"US": US, "CA": CA}[row["marketplace_id"]]  # by country code, as hotglue
        first = datetime.fromisoformat(row["report_start_date"])
        last = datetime.fromisoformat(row["report_end_date"])
        assert day["date"] == first.date().isoformat()
        sold = [s for s in sim.data.day(marketplace, first.date()).shipments if s.shipped <= last]
        assert day["salesByDate"]["unitsOrdered"] == sum(s.quantity for s in sold)
        units: dict[str, int] = defaultdict(int)
        for s in sold:
            units[s.product.asin] += s.quantity
        by_asin = {a["parentAsin"]: a for a in row["salesAndTrafficByAsin"]}
        assert {a: r["salesByAsin"]["unitsOrdered"] for a, r in by_asin.items()} == units
        assert all("childAsin" not in a for a in by_asin.values())  # PARENT, as hotglue asks
        spec = row["reportSpecification"]
        assert spec["marketplaceIds"] == [marketplace]
        assert spec["reportOptions"]["asinGranularity"] == "PARENT"


def _document_records(tmp_path: Path, document: dict | bytes) -> list[dict]:
    """The records hotglue's sales_traffic_report makes of one report document."""
    path = tmp_path / "document.gz"
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    path.write_bytes(gzip.compress(content))
    stream = _tap().streams["sales_traffic_report"]
    assert isinstance(stream, ReportStream)
    job = ReportJob("GET_SALES_AND_TRAFFIC_REPORT", "na", (US,))
    base = {"marketplace_id": US, "report_id": "7"}
    conform = functools.partial(stream.conformed, where="test")
    rows = reader.records(
        Document(path, True, "utf-8"), stream.spec, job, base, stream.logger, conform
    )
    return [stream.reshape(row, None) for row in rows]


def test_a_sales_and_traffic_document_is_one_record_or_an_error(tmp_path: Path) -> None:
    """The document whole is the record, its numbers by Amazon's types (a count Amazon
    sent as text is a number); a document without one of the report's lists is not this
    report: an error, never a record with the list missing."""
    by_date = [{"date": "2026-12-01", "salesByDate": {"unitsOrdered": "4"}}]
    document = {
        "reportSpecification": {"reportType": "GET_SALES_AND_TRAFFIC_REPORT"},
        "salesAndTrafficByDate": by_date,
        "salesAndTrafficByAsin": [{"parentAsin": "B0", "salesByAsin": {"unitsOrdered": 4}}],
    }
    (record,) = _document_records(tmp_path, document)
    assert record["reportId"] == "7"
    assert record["salesAndTrafficByDate"][0]["salesByDate"]["unitsOrdered"] == 4
    assert record["salesAndTrafficByAsin"] == document["salesAndTrafficByAsin"]
    del document["salesAndTrafficByAsin"]
    with pytest.raises(DocumentError, match="no salesAndTrafficByAsin"):
        _document_records(tmp_path, document)
    with pytest.raises(DocumentError, match="not valid JSON"):
        _document_records(tmp_path, b"<html>")


def test_hotglues_order_events_start_where_its_orders_stood() -> None:
    """hotglue's orderfinancialevents has no bookmark (it read each order's events with the
    order): this tap's, by posted date per region, starts at the region's earliest orders
    bookmark; a region with an order partition not yet read starts at start_date."""
    hotglue = {
        "bookmarks": {
            "orders": {
                "partitions": [
                    {
                        "context": {"marketplace_id": m},
                        "replication_key": "LastUpdateDate",
                        "replication_key_value": value,
                    }
                    for m, value in (
                        ("US", "2026-10-12T08:00:00Z"),
                        ("CA", "2026-10-10T23:30:00"),  # singer-sdk 0.4 wrote no zone
                        ("DE", None),
                    )
                ]
            },
            "orderfinancialevents": {"partitions": []},
        }
    }
    tap = _tap(marketplaces=["US", "CA", "DE"])
    state, errors = from_hotglue(hotglue, tap.streams)
    assert errors == []
    assert state["bookmarks"]["orderfinancialevents"] == {
        "partitions": [
            {
                "context": {"region": "na"},
                "replication_key": "windowEnd",
                "replication_key_value": "2026-10-10T23:30:00Z",
            }
        ]
    }
    # The tap's own state of the stream is left as it is.
    own = {
        "partitions": [
            {
                "context": {"region": "eu"},
                "replication_key": "windowEnd",
                "replication_key_value": "2026-11-01T00:00:00Z",
            }
        ]
    }
    hotglue["bookmarks"]["orderfinancialevents"] = own
    state, _ = from_hotglue(hotglue, tap.streams)
    assert state["bookmarks"]["orderfinancialevents"] == own


def test_a_state_this_tap_wrote_is_read_as_it_is() -> None:
    """With the setting on, the tap's own state (after a first run, every state is) passes
    the hotglue mapping unchanged: partitions by region, by marketplace id and region."""
    own = {
        "bookmarks": {
            "feeds": {
                "partitions": [
                    {
                        "context": {"region": "na"},
                        "replication_key": "createdTime",
                        "replication_key_value": "2026-11-01T00:00:00+00:00",
                    }
                ]
            },
            "fba_customer_shipment_sales": {
                "partitions": [
                    {
                        "context": {"region": "na", "marketplace_id": US},
                        "replication_key": "report_end_date",
                        "replication_key_value": "2026-11-01T00:00:00Z",
                        "read_at": "2026-11-01T00:00:00Z",
                        "pending_reports": [{"report_id": "1", "start": None, "end": None}],
                    }
                ]
            },
            "orders": {
                "partitions": [
                    {
                        "context": {"region": "na", "marketplace_id": US},
                        "replication_key": "LastUpdateDate",
                        "replication_key_value": "2026-11-02T00:00:00+00:00",
                    }
                ]
            },
            "orderitems": {
                "partitions": [
                    {
                        "context": {"marketplace_id": US},
                        "replication_key": "LastUpdateDate",
                        "replication_key_value": "2026-11-02T00:00:00+00:00",
                    }
                ]
            },
        }
    }
    tap = _tap(refresh_token="r", lwa_client_id="i", lwa_client_secret="s")
    assert from_hotglue(own, tap.streams) == (own, [])
