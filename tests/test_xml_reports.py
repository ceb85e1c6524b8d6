"""XML report streams: the XML All Orders report and the browse tree, end to end against the
simulator (values compared with the documents it rendered, read here with ElementTree on
their own), and the XML reader on crafted documents: dates, charsets, unknown elements,
entity expansion refused, and memory that does not grow with the document."""

from __future__ import annotations

import gzip
import logging
import re
import tracemalloc
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from singer_sdk.exceptions import ConfigValidationError

from sp_api_simulator import Simulator
from sp_api_simulator.data import MARKETPLACES_BY_ID
from sp_api_simulator.families.reports import store
from sp_api_simulator.report_documents import RENDERERS, Rendered, money
from sp_api_simulator.report_documents_xml import browse_tree
from tap_amazon_seller.reports import reader
from tap_amazon_seller.reports.documents import Document, DocumentError
from tap_amazon_seller.reports.engine import ReportJob
from tap_amazon_seller.reports.registry import REPORT_SPECS_BY_STREAM
from tap_amazon_seller.reports.xml_records import iter_xml_records
from tap_amazon_seller.streams.reports import ReportStream
from tap_amazon_seller.tap import TapAmazonSeller
from tests import instants
from tests.conftest import run_sync, select

# Dates decide what these tests read: each also runs at the edge instants (tests/instants.py).
pytestmark = pytest.mark.edges

US, DE, JP = "ATVPDKIKX0DER", "A1PA6795UKMFR9", "A1VC38T7YXB528"
ORDERS_XML = "GET_XML_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL"
BROWSE_TREE = "GET_XML_BROWSE_TREE_DATA"
CREATE = "reports_2021-06-30.createReport"
CONFIG = {"refresh_token": "r", "lwa_client_id": "c", "lwa_client_secret": "s", "region": "eu"}


def sync(sim: Simulator, *streams: str, state: dict | None = None, **overrides: Any):
    values: dict[str, Any] = {
        "marketplaces": ["DE", "JP"],
        "start_date": instants.days_ago(45, at_midnight=True).isoformat(),
        "report_poll_interval": 0.02,
    }
    values.update(overrides)
    cfg = sim.tap_config(**values)
    return run_sync(cfg, catalog=select(*streams, config=cfg), state=state or {})


def rendered_elements(sim: Simulator, report_type: str, record: str) -> list[tuple[str, Any]]:
    """(marketplace, element) for every record element of the documents the simulator made,
    parsed here from the bytes it served, by the charset their declaration names."""
    reports = store(sim)
    found = []
    for report in reports.reports.values():
        if report.report_type != report_type or not report.document_id:
            continue
        payload = gzip.decompress(reports.documents[report.document_id][0])
        declared = re.match(rb'<\?xml version="1.0" encoding="([^"]+)"\?>', payload)
        assert declared, payload[:100]
        # expat reads no multi-byte charset but UTF-8: decode first (Amazon's Shift_JIS
        # files are Windows-31J in practice).
        codec = {"Shift_JIS": "cp932"}.get(declared[1].decode(), declared[1].decode())
        root = ET.fromstring(payload.decode(codec))
        found.extend((report.marketplace_ids[0], e) for e in root.iterfind(record))
    return found


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


# -- orders --------------------------------------------------------------------------------


def test_xml_orders_one_record_per_order_agreeing_with_the_flat_file(sim: Simulator) -> None:
    result = sync(sim, "orders_xml_report", "orders_by_order_date_report")
    rows = result.records["orders_xml_report"]
    by_key = {(r["marketplace_id"], r["amazon_order_id"]): r for r in rows}
    assert sim.calls[CREATE] == 2 * 2 * 2  # two streams, two marketplaces, two windows each

    # Every order the simulator's documents hold, and only those, as records with its items.
    elements = rendered_elements(sim, ORDERS_XML, "Message/Order")
    assert {(mp, e.findtext("AmazonOrderID")) for mp, e in elements} == set(by_key)
    for marketplace, order_element in elements:
        record = by_key[(marketplace, order_element.findtext("AmazonOrderID"))]
        assert record["purchase_date"] == order_element.findtext("PurchaseDate")
        items = order_element.findall("OrderItem")
        assert [i["sku"] for i in record["order_items"]] == [i.findtext("SKU") for i in items]

    # ... which are the seller's orders placed in the windows, typed.
    end = max(datetime.fromisoformat(r["report_end_date"]) for r in rows)
    checked_non_ascii = False
    for marketplace in (DE, JP):
        profile = MARKETPLACES_BY_ID[marketplace]
        orders = sim.data.orders.created_between(
            marketplace, instants.days_ago(45, at_midnight=True), end
        )
        assert {o.order_id for o in orders} == {k for m, k in by_key if m == marketplace}
        for order in orders:
            record = by_key[(marketplace, order.order_id)]
            assert record["purchase_date"] == utc(order.created)
            assert record["last_updated_date"] == utc(order.last_updated)
            assert record["is_business_order"] is order.business
            assert record["ship_city"] == order.city[0]  # München, 東京都
            assert record["ship_country"] == order.country
            assert record["extra_elements"] is None
            for line, item in zip(order.lines, record["order_items"], strict=True):
                assert item["product_name"] == line.product.name  # ß, „quotes", 抹茶
                checked_non_ascii |= not item["product_name"].isascii()
                assert item["quantity"] == line.quantity
                assert item["amazon_order_item_code"] == line.item_id
                prices = {c["type"]: c for c in item["item_price"]}
                if order.status == "CANCELLED":
                    assert prices == {}
                    continue
                assert Decimal(str(prices["Principal"]["amount"])) == line.price
                # Yen without decimals, as Amazon writes them.
                assert Decimal(str(prices["Tax"]["amount"])) == Decimal(money(line.tax, profile))
                assert {c["currency"] for c in item["item_price"]} == {order.currency}
    assert checked_non_ascii

    # The flat file of the same windows says the same about every order item.
    flat = result.records["orders_by_order_date_report"]
    for row in flat:
        record = by_key[(row["marketplace_id"], row["amazon_order_id"])]
        # The flat file tells two lines of one SKU apart by key_repeat, in the XML's order.
        item = [i for i in record["order_items"] if i["sku"] == row["sku"]][row["key_repeat"]]
        assert item["product_name"] == row["product_name"]
        assert item["quantity"] == row["quantity"]
        assert record["purchase_date"] == row["purchase_date"]
        principal = [c["amount"] for c in item["item_price"] if c["type"] == "Principal"]
        assert principal == ([row["item_price"]] if row["item_price"] is not None else [])
    assert {(r["marketplace_id"], r["amazon_order_id"]) for r in flat} == set(by_key)

    # Incremental on purchase date: the bookmark is the end of the last window delivered.
    bookmarks = result.states[-1]["bookmarks"]["orders_xml_report"]["partitions"]
    assert {p["context"]["marketplace_id"] for p in bookmarks} == {DE, JP}
    assert {p["replication_key_value"][:16] for p in bookmarks} == {end.isoformat()[:16]}


def test_a_window_whose_document_declares_entities_stops_its_partition(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The second window's document is a "billion laughs": refused unread, and the bookmark
    stays at the end of the first window."""
    honest = RENDERERS[ORDERS_XML]

    def second_window_is_a_bomb(data: Any, mp: Any, start: datetime, *rest: Any) -> Rendered:
        if start > instants.days_ago(45, at_midnight=True) + timedelta(days=1):
            return Rendered(xml=BILLION_LAUGHS, records=1)
        return honest(data, mp, start, *rest)

    monkeypatch.setitem(RENDERERS, ORDERS_XML, second_window_is_a_bomb)
    with caplog.at_level(logging.ERROR):
        result = sync(sim, "orders_xml_report", marketplaces=["DE"])
    rows = result.records["orders_xml_report"]
    assert rows and {r["report_start_date"][:10] for r in rows} == {
        instants.days_ago(45, at_midnight=True).date().isoformat()
    }
    (partition,) = result.states[-1]["bookmarks"]["orders_xml_report"]["partitions"]
    first_end = datetime.fromisoformat(rows[0]["report_end_date"])
    assert datetime.fromisoformat(partition["replication_key_value"]) == first_end
    assert ORDERS_XML in caplog.text and "declares entities" in caplog.text


# -- browse tree ---------------------------------------------------------------------------


def test_browse_tree_one_record_per_node_with_paths_children_and_refinements(
    sim: Simulator,
) -> None:
    result = sync(sim, "browse_tree")
    rows = result.records["browse_tree"]
    for marketplace, brand in ((DE, "Marke"), (JP, "ブランド")):
        nodes = browse_tree(sim.data, marketplace)
        got = {r["browse_node_id"]: r for r in rows if r["marketplace_id"] == marketplace}
        assert set(got) == {n.node_id for n in nodes}
        for node in nodes:
            record = got[node.node_id]
            assert record["browse_node_name"] == node.name  # Küche, Haushalt & Wohnen; 茶道具
            assert record["browse_path_ids"] == list(node.path_ids)
            # Names may hold commas: the name path is kept whole, as Amazon writes it.
            assert record["browse_path_by_name"] == ",".join(node.path_names)
            assert record["browse_node_store_context_name"] == node.path_names[0]
            assert record["has_children"] is bool(node.children)
            assert record["child_node_ids"] == list(node.children)
            assert record["child_node_count"] == len(node.children)
            assert record["product_type_definitions"] == node.product_type
            if node.item_type_keyword:
                assert record["browse_node_attributes"] == [
                    {"name": "item_type_keyword", "value": node.item_type_keyword}
                ]
                assert record["refinements"] == [] and record["refinement_count"] == 0
            else:
                assert record["browse_node_attributes"] == []
                (refinement,) = record["refinements"]
                assert refinement["name"] == brand
                assert refinement["fields"] == [
                    {
                        "refinement_attribute": "brand",
                        "has_modifier": False,
                        "modifiers": None,
                        "accepted_values": None,
                    }
                ]
    assert any("," in r["browse_node_name"] for r in rows)
    # One snapshot per marketplace, which the report's MarketplaceId option names too.
    options = {
        r.marketplace_ids[0]: r.options
        for r in store(sim).reports.values()
        if r.report_type == BROWSE_TREE
    }
    assert options == {DE: {"MarketplaceId": DE}, JP: {"MarketplaceId": JP}}
    assert "browse_tree" not in result.states[-1].get("bookmarks", {}) or all(
        "replication_key_value" not in p
        for p in result.states[-1]["bookmarks"]["browse_tree"].get("partitions", [])
    )


def test_browse_tree_options_root_nodes_only_and_a_subtree(sim: Simulator) -> None:
    roots = sync(
        sim,
        "browse_tree",
        marketplaces=["DE"],
        report_options={"browse_tree": {"RootNodesOnly": "true"}},
    ).records["browse_tree"]
    tree = browse_tree(sim.data, DE)
    assert {r["browse_node_id"] for r in roots} == {n.node_id for n in tree if len(n.path_ids) == 1}

    category = next(n for n in tree if len(n.path_ids) == 2)
    subtree = sync(
        sim,
        "browse_tree",
        marketplaces=["DE"],
        report_options={"browse_tree": {"BrowseNodeId": category.node_id}},
    ).records["browse_tree"]
    assert {r["browse_node_id"] for r in subtree} == {category.node_id, *category.children}


def test_browse_tree_options_are_checked_and_the_marketplace_is_not_one_of_them() -> None:
    with pytest.raises(ConfigValidationError) as raised:
        TapAmazonSeller(
            config={
                **CONFIG,
                "report_options": {"browse_tree": {"RootNodesOnly": "yes", "MarketplaceId": US}},
            }
        )
    errors = " ".join(raised.value.errors)
    assert "report_options.browse_tree.RootNodesOnly: 'yes' is not one of true, false" in errors
    # Each partition names its own marketplace: one for all of them would mislabel records.
    assert f"{BROWSE_TREE} takes no option 'MarketplaceId'" in errors


# -- the XML reader on crafted documents ---------------------------------------------------


def write(tmp_path: Path, content: bytes, *, charset: str | None = None) -> Document:
    path = tmp_path / "doc.xml.gz"
    path.write_bytes(gzip.compress(content))
    return Document(path, True, "iso-8859-1", charset)


def read(document: Document, stream: str = "orders_xml_report") -> list[dict]:
    """Records as the stream emits them (keys filled, problems logged)."""
    tap = TapAmazonSeller(config=CONFIG)
    report_stream = tap.streams[stream]
    assert isinstance(report_stream, ReportStream)
    job = ReportJob(report_stream.spec.report_type, "eu", (DE,))
    base = {"marketplace_id": DE, "report_id": "1"}
    logger = report_stream.logger
    return list(reader.records(document, report_stream.spec, job, base, logger, dict))


ORDER_WITH_SURPRISES = """<?xml version="1.0" encoding="windows-1252"?>
<AmazonEnvelope xmlns="http://www.amazon.com/example" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Header><DocumentVersion>1.02</DocumentVersion></Header>
  <MessageType>AllOrdersReport</MessageType>
  <Message><MessageID>1</MessageID><Order>
    <AmazonOrderID>302-1111111-2222222</AmazonOrderID>
    <PurchaseDate>2026-11-20T09:00:00Z</PurchaseDate>
    <LastUpdatedDate>2026-11-20 02:00:00 PST</LastUpdatedDate>
    <SalesChannel>Amazon.de</SalesChannel>
    <FulfillmentData><Address><City>Köln</City><Country>DE</Country></Address>
      <DeliveryWindow>morgens</DeliveryWindow></FulfillmentData>
    <IsBusinessOrder>Yes</IsBusinessOrder>
    <IsPrime>false</IsPrime>
    <OrderItem>
      <SKU>SKU-1</SKU><ProductName>Fußmatte „Grüß Gott“</ProductName><Quantity>lots</Quantity>
      <ItemPrice><Component><Type>Principal</Type><Amount currency="EUR">1234.50</Amount></Component></ItemPrice>
      <Promotion><PromotionIDs>Spar-Aktion</PromotionIDs><ItemPromotionDiscount>-2.50</ItemPromotionDiscount></Promotion>
      <GiftWrapType>Weihnachten</GiftWrapType>
    </OrderItem>
    <OrderItem><SKU>SKU-2</SKU><Quantity>1</Quantity><GiftWrapType>Ostern</GiftWrapType></OrderItem>
  </Order></Message>
  <Message><Order>
    <AmazonOrderID>302-3333333-4444444</AmazonOrderID>
    <PurchaseDate>2026-11-20T10:00:00+01:00</PurchaseDate>
    <LastUpdatedDate>2026-11-20T10:00:00</LastUpdatedDate>
  </Order></Message>
</AmazonEnvelope>
"""


def test_unknown_elements_are_kept_and_every_date_spelling_is_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    document = write(tmp_path, ORDER_WITH_SURPRISES.encode("cp1252"))
    with caplog.at_level(logging.WARNING):
        first, second = read(document)
    assert first["amazon_order_id"] == "302-1111111-2222222"
    assert first["purchase_date"] == "2026-11-20T09:00:00+00:00"  # Z
    assert first["last_updated_date"] == "2026-11-20T10:00:00+00:00"  # PST named
    assert second["purchase_date"] == "2026-11-20T09:00:00+00:00"  # +01:00 offset
    assert second["last_updated_date"] == "2026-11-20T10:00:00+00:00"  # naive: UTC
    assert first["ship_city"] == "Köln" and first["is_business_order"] is True
    one, two = first["order_items"]
    assert one["product_name"] == "Fußmatte „Grüß Gott“"  # Cp1252-only quotes
    assert one["quantity"] is None  # "lots": logged, emitted as null
    assert one["item_price"] == [
        {"type": "Principal", "amount": Decimal("1234.50"), "currency": "EUR"}
    ]
    assert one["promotions"] == [
        {
            "promotion_ids": "Spar-Aktion",
            "item_promotion_discount": Decimal("-2.50"),
            "ship_promotion_discount": None,
        }
    ]
    assert two["quantity"] == 1 and two["item_price"] == []
    # Elements the stream does not declare are kept by path, never fatal.
    assert first["extra_elements"] == {
        "FulfillmentData/DeliveryWindow": "morgens",
        "IsPrime": "false",
        "OrderItem[1]/GiftWrapType": "Weihnachten",
        "OrderItem[2]/GiftWrapType": "Ostern",
    }
    assert second["extra_elements"] is None and second["order_items"] == []
    assert "record 1: quantity: not a number: 'lots'; emitted as null" in caplog.text


def test_charset_from_the_declaration_else_the_content_type_else_utf8(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    node = "<Result><Node><browseNodeId>1</browseNodeId><browseNodeName>{}</browseNodeName></Node></Result>"
    name = "抹茶ボウル（茶碗）"
    declared = f'<?xml version="1.0" encoding="Shift_JIS"?>\n{node.format(name)}'.encode("cp932")
    (record,) = read(write(tmp_path, declared, charset="UTF-8"), "browse_tree")
    assert record["browse_node_name"] == name  # the declaration names what the bytes are
    undeclared = node.format("Küche").encode("cp1252")
    (record,) = read(write(tmp_path, undeclared, charset="Cp1252"), "browse_tree")
    assert record["browse_node_name"] == "Küche"
    (record,) = read(write(tmp_path, node.format("Küche").encode()), "browse_tree")
    assert record["browse_node_name"] == "Küche"  # XML's default: UTF-8
    # A Latin-1 byte in a UTF-8 document: the record is emitted, the byte shown and logged.
    latin1_byte = node.format("K\xfcche").encode("latin-1")
    with caplog.at_level(logging.WARNING):
        (record,) = read(write(tmp_path, latin1_byte), "browse_tree")
    assert record["browse_node_name"] == "K\ufffdche"
    assert "record 1: browse_node_name: undecodable bytes" in caplog.text


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<AmazonEnvelope><Message><Order><AmazonOrderID>&lol9;</AmazonOrderID></Order></Message></AmazonEnvelope>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Result><Node><browseNodeId>&secret;</browseNodeId></Node></Result>
"""


@pytest.mark.parametrize(
    ("content", "stream", "report_type"),
    [
        (BILLION_LAUGHS, "orders_xml_report", ORDERS_XML),
        (EXTERNAL_ENTITY, "browse_tree", BROWSE_TREE),
    ],
)
def test_entity_declarations_are_refused_naming_the_report(
    tmp_path: Path, content: str, stream: str, report_type: str
) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(DocumentError, match=f"{report_type}.*declares entities"):
            read(write(tmp_path, content.encode()), stream)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # refused, not expanded (a billion laughs is gigabytes)


def test_a_malformed_document_is_an_error_naming_the_report(tmp_path: Path) -> None:
    cut = ORDER_WITH_SURPRISES.encode("cp1252")[:900]  # a document cut short
    with pytest.raises(DocumentError, match=f"{ORDERS_XML}.*not well-formed"):
        read(write(tmp_path, cut))


def test_a_large_document_is_read_with_memory_that_does_not_grow(tmp_path: Path) -> None:
    order = (
        "<Message><Order><AmazonOrderID>{n:03d}-0000000-{n:07d}</AmazonOrderID>"
        "<PurchaseDate>2026-11-20T10:00:00+00:00</PurchaseDate><OrderItem><SKU>SKU-{n}</SKU>"
        "<ProductName>Küchenmesser Größe M – Edelstahl</ProductName><Quantity>2</Quantity>"
        '<ItemPrice><Component><Type>Principal</Type><Amount currency="EUR">12.50</Amount>'
        "</Component></ItemPrice></OrderItem></Order></Message>\n"
    )
    count = 12_000
    path = tmp_path / "big.xml.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<AmazonEnvelope>\n')
        for n in range(count):
            out.write(order.format(n=n))
        out.write("</AmazonEnvelope>\n")
    size = count * len(order.format(n=0).encode())
    assert size > 4_000_000
    spec = REPORT_SPECS_BY_STREAM["orders_xml_report"]
    assert spec.xml_records is not None
    seen = 0
    tracemalloc.start()
    try:
        records = iter_xml_records(
            Document(path, True, "utf-8"), spec.xml_records, ORDERS_XML, lambda *_: None
        )
        for record in records:
            seen += 1
            if seen == count:
                assert record["order_items"][0]["sku"] == f"SKU-{count - 1}"
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count
    # One record at a time: a small fraction of the document, whatever its size.
    assert peak < min(size // 8, 1_500_000), (peak, size)
