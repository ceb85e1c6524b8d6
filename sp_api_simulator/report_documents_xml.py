"""XML report documents the simulator serves: the XML All Orders reports and the browse tree.

Element names and nesting follow Amazon's XML order report (an AmazonEnvelope of
Message/Order elements, one OrderItem per item, prices as typed Components with a
currency attribute, ISO 8601 UTC dates) and its Browse Tree Report guide (a Result of
Node elements, paths by id and by name, child node ids, attributes and refinements).
Each document is in its marketplace's charset and its XML declaration names it. The
orders are the same as the flat-file orders reports' (report_documents.py), so the two
agree order for order.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from sp_api_simulator.data import MARKETPLACES_BY_ID, MarketplaceProfile, SellerData
from sp_api_simulator.report_documents import (
    _REPORT_STATUS,
    _SERVICE_LEVEL_TEXT,
    CHARSETS,
    Rendered,
    Settlement,
    money,
    renderer,
)

ORDERS_XML_TYPE = "GET_XML_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL"
ORDERS_XML_BY_UPDATE_TYPE = "GET_XML_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL"
BROWSE_TREE_TYPE = "GET_XML_BROWSE_TREE_DATA"
SHIPPING_ORDERS_TYPE = "GET_ORDER_REPORT_DATA_SHIPPING"
SETTLEMENT_XML_TYPE = "GET_V2_SETTLEMENT_REPORT_DATA_XML"
#: Roles Amazon's Report Type Values pages give these types (the reports family reads it).
XML_REPORT_ROLES = {
    ORDERS_XML_TYPE: "Inventory and Order Tracking",
    ORDERS_XML_BY_UPDATE_TYPE: "Inventory and Order Tracking",
    BROWSE_TREE_TYPE: "Product Listing",
    SHIPPING_ORDERS_TYPE: "Inventory and Order Tracking",
    SETTLEMENT_XML_TYPE: "Finance and Accounting",
}

# The name each region's charset goes by in an XML declaration (NA files carry no charset
# in their Content-Type: ISO-8859-1).
XML_ENCODING = {None: "ISO-8859-1", "Cp1252": "windows-1252", "Shift_JIS": "Shift_JIS"}


def declaration(profile: MarketplaceProfile) -> str:
    return f'<?xml version="1.0" encoding="{XML_ENCODING[CHARSETS[profile.region]]}"?>\n'


def element(name: str, value: Any, attributes: dict[str, str] | None = None) -> str:
    """<name attr="...">value</name>, escaped; empty values make an empty element."""
    attrs = "".join(f" {k}={quoteattr(v)}" for k, v in (attributes or {}).items())
    text = "" if value is None else escape(str(value))
    return f"<{name}{attrs}>{text}</{name}>" if text else f"<{name}{attrs}/>"


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


# -- the XML All Orders report ------------------------------------------------------------


@renderer(ORDERS_XML_TYPE, windowed=True)
def orders_xml(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """The orders placed in the window (both edges in), one Message each."""
    orders = sorted(data.orders.created_between(mp.id, start, end), key=lambda o: o.created)
    return _orders_envelope(orders, mp)


@renderer(ORDERS_XML_BY_UPDATE_TYPE, windowed=True)
def orders_xml_by_last_update(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """The orders last updated in the window (both edges in), one Message each."""
    orders = sorted(data.orders.updated_between(mp.id, start, end), key=lambda o: o.last_updated)
    return _orders_envelope(orders, mp)


def _orders_envelope(orders: list[Any], mp: MarketplaceProfile) -> Rendered:
    parts = [
        declaration(mp),
        '<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">\n',
        "<Header><DocumentVersion>1.00</DocumentVersion></Header>\n",
        "<MessageType>AllOrdersReport</MessageType>\n",
    ]
    parts.extend(_order_message(order, mp) for order in orders)
    parts.append("</AmazonEnvelope>\n")
    return Rendered(xml="".join(parts), records=len(orders), charset=CHARSETS[mp.region])


def _order_message(order: Any, mp: MarketplaceProfile) -> str:
    order_status, item_status = _REPORT_STATUS[order.status]
    city, state, postal_code = order.city
    lines = [
        "<Message><Order>",
        element("AmazonOrderID", order.order_id),
        element("MerchantOrderID", order.seller_order_id),
        element("PurchaseDate", utc_iso(order.created)),
        element("LastUpdatedDate", utc_iso(order.last_updated)),
        element("OrderStatus", order_status),
        element("SalesChannel", mp.name),
        "<FulfillmentData>",
        element("FulfillmentChannel", "Amazon" if order.fulfilled_by == "AMAZON" else "Merchant"),
        element("ShipServiceLevel", _SERVICE_LEVEL_TEXT.get(order.service_level)),
        "<Address>",
        element("City", city),
        element("State", state),
        element("PostalCode", postal_code),
        element("Country", order.country),
        "</Address></FulfillmentData>",
        element("IsBusinessOrder", "true" if order.business else "false"),
    ]
    if order.purchase_order_number:
        lines.append(element("PurchaseOrderNumber", order.purchase_order_number))
    for line in order.lines:
        lines += [
            "<OrderItem>",
            element("AmazonOrderItemCode", line.item_id),
            element("ASIN", line.product.asin),
            element("SKU", line.product.sku),
            element("ItemStatus", item_status),
            element("ProductName", line.product.name),
            element("Quantity", line.quantity),
        ]
        if order.status != "CANCELLED":  # no prices on cancelled orders, as in the flat file
            lines.append("<ItemPrice>")
            for kind, amount in (
                ("Principal", line.price),
                ("Tax", line.tax),
                ("Shipping", line.shipping),
                ("ShippingTax", Decimal(0)),
            ):
                lines.append(
                    f"<Component>{element('Type', kind)}"
                    f"{element('Amount', money(amount, mp), {'currency': mp.currency})}"
                    "</Component>"
                )
            lines.append("</ItemPrice>")
        lines.append("</OrderItem>")
    lines.append("</Order></Message>\n")
    return "".join(lines)


# -- the order report for shipping (restricted) ------------------------------------------


@renderer(SHIPPING_ORDERS_TYPE, windowed=True)
def shipping_orders_xml(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """Seller-fulfilled orders placed in the window, as the order report Amazon made for
    shipping software: an OrderReport per order with the buyer and the ship-to address
    (buyer PII, hence a restricted report), and each item's price components."""
    orders = sorted(
        (
            o
            for o in data.orders.created_between(mp.id, start, end)
            if o.fulfilled_by == "MERCHANT" and o.status != "CANCELLED"
        ),
        key=lambda o: o.created,
    )
    parts = [
        declaration(mp),
        '<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">\n',
        "<Header><DocumentVersion>1.01</DocumentVersion></Header>\n",
        "<MessageType>OrderReport</MessageType>\n",
    ]
    parts.extend(_order_report(number, order, mp) for number, order in enumerate(orders, 1))
    parts.append("</AmazonEnvelope>\n")
    return Rendered(xml="".join(parts), records=len(orders), charset=CHARSETS[mp.region])


def _order_report(number: int, order: Any, mp: MarketplaceProfile) -> str:
    city, state, postal_code = order.city
    lines = [
        "<Message>",
        element("MessageID", number),
        "<OrderReport>",
        element("AmazonOrderID", order.order_id),
        element("OrderDate", utc_iso(order.created)),
        element("OrderPostedDate", utc_iso(order.created)),
        "<BillingData>",
        element("BuyerEmailAddress", order.buyer_email),
        element("BuyerName", order.buyer_name),
        element("BuyerPhoneNumber", order.phone),
        "</BillingData><FulfillmentData>",
        element("FulfillmentMethod", "Ship"),
        element("FulfillmentServiceLevel", _SERVICE_LEVEL_TEXT.get(order.service_level)),
        "<Address>",
        element("Name", order.buyer_name),
        element("AddressFieldOne", order.street),
        element("City", city),
        element("StateOrRegion", state),
        element("PostalCode", postal_code),
        element("CountryCode", order.country),
        element("PhoneNumber", order.phone),
        "</Address></FulfillmentData>",
        element("IsBusinessOrder", "true" if order.business else "false"),
    ]
    for line in order.lines:
        lines += [
            "<Item>",
            element("AmazonOrderItemCode", line.item_id),
            element("SKU", line.product.sku),
            element("Title", line.product.name),
            element("Quantity", line.quantity),
            "<ItemPrice>",
        ]
        for kind, amount in (
            ("Principal", line.price),
            ("Shipping", line.shipping),
            ("Tax", line.tax),
        ):
            lines.append(
                f"<Component>{element('Type', kind)}"
                f"{element('Amount', money(amount, mp), {'currency': mp.currency})}"
                "</Component>"
            )
        lines.append("</ItemPrice></Item>")
    lines.append("</OrderReport></Message>\n")
    return "".join(lines)


# -- the browse tree --------------------------------------------------------------------

# Each language's top categories and their subcategories (leaves are numbered below them).
# Names carry the language's own letters, commas and ampersands, as Amazon's do.
_TREES: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "en": (
        ("Home & Kitchen", "KITCHEN", ("Kitchen & Dining", "Café Furniture", "Bedding")),
        ("Toys & Games", "TOYS_AND_GAMES", ("Piñatas", "Puzzles")),
        ("Grocery & Gourmet Food", "GROCERY", ("Jalapeño Sauces", "Coffee, Tea & Cocoa")),
    ),
    "de": (
        ("Küche, Haushalt & Wohnen", "KITCHEN", ("Küchenmesser", "Gläser & Geschirr", "Fußmatten")),
        ("Spielzeug", "TOYS_AND_GAMES", ("Holzspielzeug", "Bälle")),
        ("Lebensmittel & Getränke", "GROCERY", ("Weißbier", "Brot & Backwaren")),
    ),
    "fr": (
        ("Cuisine & Maison", "KITCHEN", ("Théières", "Ustensiles de pâtisserie", "Tabliers")),
        ("Jeux et Jouets", "TOYS_AND_GAMES", ("Pâte à modeler", "Puzzles")),
    ),
    "es": (
        ("Hogar y cocina", "KITCHEN", ("Sartenes de paella", "Manteles de algodón")),
        ("Deportes y aire libre", "SPORTING_GOODS", ("Cañas de pescar", "Montañismo")),
    ),
    "ja": (
        ("ホーム＆キッチン", "KITCHEN", ("包丁・ナイフ", "茶道具")),
        ("おもちゃ", "TOYS_AND_GAMES", ("積み木", "パズル")),
    ),
}
# What the brand refinement is called on each language's site.
_BRAND = {"en": "Brand", "de": "Marke", "fr": "Marque", "es": "Marca", "ja": "ブランド"}


@dataclass(frozen=True)
class BrowseNode:
    node_id: str
    name: str
    path_ids: tuple[str, ...]  # from the root down to this node, itself included
    path_names: tuple[str, ...]
    product_type: str
    children: tuple[str, ...]
    item_type_keyword: str | None  # leaves only


def browse_tree(data: SellerData, marketplace_id: str) -> list[BrowseNode]:
    """The marketplace's browse tree, parents before children (fixed for a seed and size)."""
    profile = MARKETPLACES_BY_ID[marketplace_id]
    language = profile.language[:2]
    leaves_per_category = 2 * data.scale

    def node_id(*names: str) -> str:
        key = f"{data.seed}:{marketplace_id}:{'/'.join(names)}"
        return str(100_000 + zlib.crc32(key.encode()) % 900_000_000)

    nodes: list[BrowseNode] = []
    for root, product_type, categories in _TREES.get(language, _TREES["en"]):
        root_id = node_id(root)
        category_nodes = []
        for category in categories:
            category_id = node_id(root, category)
            leaves = [
                BrowseNode(
                    node_id(root, category, str(n)),
                    f"{category} {n}",
                    (root_id, category_id, node_id(root, category, str(n))),
                    (root, category, f"{category} {n}"),
                    product_type,
                    (),
                    f"{product_type.lower().replace('_', '-')}-{n}",
                )
                for n in range(1, leaves_per_category + 1)
            ]
            category_nodes.append(
                (
                    BrowseNode(
                        category_id,
                        category,
                        (root_id, category_id),
                        (root, category),
                        product_type,
                        tuple(leaf.node_id for leaf in leaves),
                        None,
                    ),
                    leaves,
                )
            )
        nodes.append(
            BrowseNode(
                root_id,
                root,
                (root_id,),
                (root,),
                product_type,
                tuple(parent.node_id for parent, _ in category_nodes),
                None,
            )
        )
        for parent, children in category_nodes:
            nodes.append(parent)
            nodes.extend(children)
    return nodes


def select_nodes(nodes: list[BrowseNode], options: dict[str, str]) -> list[BrowseNode]:
    """Amazon's options: RootNodesOnly wins over BrowseNodeId, which gives that node's subtree."""
    if options.get("RootNodesOnly", "").lower() == "true":
        return [n for n in nodes if len(n.path_ids) == 1]
    wanted = options.get("BrowseNodeId")
    if wanted:
        return [n for n in nodes if wanted in n.path_ids]
    return nodes


@renderer(BROWSE_TREE_TYPE)
def browse_tree_xml(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """The browse tree of MarketplaceId (the requested marketplace when the option is absent)."""
    profile = MARKETPLACES_BY_ID.get(options.get("MarketplaceId", ""), mp)
    nodes = select_nodes(browse_tree(data, profile.id), options)
    brand = _BRAND.get(profile.language[:2], "Brand")
    parts = [declaration(mp), "<Result>\n"]
    for node in nodes:
        parts.append(_node(node, brand))
    parts.append("</Result>\n")
    return Rendered(xml="".join(parts), records=len(nodes), charset=CHARSETS[mp.region])


def _node(node: BrowseNode, brand: str) -> str:
    attributes = (
        element("attribute", node.item_type_keyword, {"name": "item_type_keyword"})
        if node.item_type_keyword
        else ""
    )
    children = "".join(element("id", child) for child in node.children)
    refinements = (
        ""
        if node.item_type_keyword
        else (
            f"<refinementName name={quoteattr(brand)}><refinementField>"
            "<acceptedValues/><hasModifier>No</hasModifier><modifiers/>"
            "<refinementAttribute>brand</refinementAttribute>"
            "</refinementField></refinementName>"
        )
    )
    return "".join(
        (
            "<Node>",
            element("browseNodeId", node.node_id),
            f'<browseNodeAttributes count="{1 if attributes else 0}">{attributes}'
            "</browseNodeAttributes>",
            element("browseNodeName", node.name),
            element("browseNodeStoreContextName", node.path_names[0]),
            element("browsePathById", ",".join(node.path_ids)),
            element("browsePathByName", ",".join(node.path_names)),
            element("hasChildren", "true" if node.children else "false"),
            f'<childNodes count="{len(node.children)}">{children}</childNodes>',
            element("productTypeDefinitions", node.product_type),
            f'<refinementsInformation count="{1 if refinements else 0}">{refinements}'
            "</refinementsInformation>",
            "</Node>\n",
        )
    )


# -- the XML settlement report (removed by Amazon on 2026-11-11) ---------------------------


def settlement_xml(period: Settlement, mp: MarketplaceProfile) -> Rendered:
    """The settlement period of the flat files as Amazon's XML settlement report: one
    SettlementReport with its SettlementData, then an Order per shipment, its Item's
    Principal as an ItemPrice Component and its Commission as an ItemFees Fee."""
    currency = {"currency": mp.currency}
    parts = [
        declaration(mp),
        '<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">\n',
        "<Header><DocumentVersion>1.01</DocumentVersion></Header>\n",
        "<MessageType>SettlementReport</MessageType>\n",
        "<Message><MessageID>1</MessageID><SettlementReport>\n",
        "<SettlementData>",
        element("AmazonSettlementID", period.settlement_id),
        element("TotalAmount", f"{period.total:.2f}", currency),
        element("StartDate", utc_iso(period.start)),
        element("EndDate", utc_iso(period.end)),
        element("DepositDate", utc_iso(period.end + timedelta(days=1))),
        "</SettlementData>\n",
    ]
    by_shipment: dict[str, list[Any]] = {}
    for charge in period.charges:
        by_shipment.setdefault(charge.shipment.shipment_id, []).append(charge)
    for charges in by_shipment.values():
        s = charges[0].shipment
        prices = "".join(
            "<Component>"
            + element("Type", c.description)
            + element("Amount", f"{c.amount:.2f}", currency)
            + "</Component>"
            for c in charges
            if c.kind == "ItemPrice"
        )
        fees = "".join(
            "<Fee>"
            + element("Type", c.description)
            + element("Amount", f"{c.amount:.2f}", currency)
            + "</Fee>"
            for c in charges
            if c.kind == "ItemFees"
        )
        parts.append(
            "<Order>"
            + element("AmazonOrderID", s.order_id)
            + element("ShipmentID", s.shipment_id)
            + element("MarketplaceName", mp.name)
            + "<Fulfillment>"
            + element("MerchantFulfillmentID", "AFN")
            + element("PostedDate", utc_iso(s.shipped))
            + "<Item>"
            + element("AmazonOrderItemCode", s.item_id)
            + element("SKU", s.product.sku)
            + element("Quantity", s.quantity)
            + f"<ItemPrice>{prices}</ItemPrice><ItemFees>{fees}</ItemFees>"
            + "</Item></Fulfillment></Order>\n"
        )
    parts.append("</SettlementReport></Message>\n</AmazonEnvelope>\n")
    return Rendered(xml="".join(parts), records=len(by_shipment), charset=CHARSETS[mp.region])
