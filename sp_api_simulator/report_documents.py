"""Report documents the simulator serves, rendered from the seller's data.

Columns and date formats follow Amazon's report type pages and real files (see
the report registry's docstring), independently of the tap's registry, so a
mistake on one side shows up as a failing comparison. Each report spells its
dates the way Amazon does for it (ISO 8601 with offset, "PST" suffixes,
MM/DD/YYYY, DD.MM.YYYY, DD-Mon-YYYY), and each region uses its own charset.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sp_api_simulator import clock
from sp_api_simulator.data import MARKETPLACES_BY_ID, MarketplaceProfile, SellerData

# Local clock of each region in its files (fixed offsets, as Amazon's files carry them).
LOCAL = {
    "na": (timezone(timedelta(hours=-8)), "PST"),
    "eu": (timezone(timedelta(hours=1)), "CET"),
    "fe": (timezone(timedelta(hours=9)), "JST"),
}
# Charset of flat files per region: NA documents carry no charset (ISO-8859-1 by
# default), EU ones say Cp1252, FE (Japan) Shift_JIS.
CHARSETS = {"na": None, "eu": "Cp1252", "fe": "Shift_JIS"}


@dataclass
class Rendered:
    """A report's content: TSV (header and rows), a JSON document, or an XML document."""

    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    json: dict[str, Any] | None = None
    charset: str | None = None
    #: An XML document, rendered whole; `records` is how many records it holds.
    xml: str | None = None
    records: int = 0

    @property
    def empty(self) -> bool:
        if self.json is not None:
            return not any(isinstance(v, list) and v for v in self.json.values())
        if self.xml is not None:
            return self.records == 0
        return not self.rows

    def encode(self) -> tuple[bytes, str]:
        """Document bytes and their Content-Type."""
        if self.json is not None:
            return json.dumps(self.json, ensure_ascii=False, default=_json_number).encode(
                "utf-8"
            ), ("application/json;charset=UTF-8")
        codec = {"Cp1252": "cp1252", "Shift_JIS": "cp932", "UTF-8": "utf-8"}.get(
            self.charset or "", "latin-1"
        )
        charset = f";charset={self.charset}" if self.charset else ""
        if self.xml is not None:
            # A character the charset lacks becomes a character reference, as XML allows.
            return self.xml.encode(codec, "xmlcharrefreplace"), "text/xml" + charset
        lines = ["\t".join(self.header), *("\t".join(row) for row in self.rows)]
        text = "\r\n".join(lines) + "\r\n"
        return text.encode(codec), "text/plain" + charset


def _json_number(value: Any) -> Any:
    """Money is a JSON number in Amazon's JSON reports (the schemas say "number")."""
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def iso_local(moment: datetime, profile: MarketplaceProfile) -> str:
    return moment.astimezone(LOCAL[profile.region][0]).isoformat(timespec="seconds")


def named_zone(moment: datetime, profile: MarketplaceProfile) -> str:
    zone, name = LOCAL[profile.region]
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M:%S} {name}"


def money(value: Decimal, profile: MarketplaceProfile, *, decimal_comma: bool = False) -> str:
    text = f"{value:.2f}" if profile.currency != "JPY" else f"{value:.0f}"
    return text.replace(".", ",") if decimal_comma and profile.region == "eu" else text


def yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


Renderer = Callable[[SellerData, MarketplaceProfile, datetime, datetime, dict[str, str]], Rendered]
RENDERERS: dict[str, Renderer] = {}
WINDOWED: set[str] = set()  # types that select rows by dataStartTime..dataEndTime


def renderer(report_type: str, *, windowed: bool = False) -> Callable[[Renderer], Renderer]:
    def register(function: Renderer) -> Renderer:
        RENDERERS[report_type] = function
        if windowed:
            WINDOWED.add(report_type)
        return function

    return register


def _in(moment: datetime, start: datetime, end: datetime) -> bool:
    # Both edges inclusive, as Amazon's files are: a row on an edge is in both windows.
    return start <= moment <= end


@renderer("GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA")
def myi(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    return Rendered(MYI_HEADER, _myi_rows(data, mp), charset=CHARSETS[mp.region])


@renderer("GET_FBA_MYI_ALL_INVENTORY_DATA")
def myi_all(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """Manage FBA Inventory with archived listings too: the unsuppressed report's rows, then
    a few archived SKUs (no listing left, nothing in stock)."""
    archived = [
        [f"ARCHIVED-{mp.country_code}-{n:04d}", f"X00ARCH{n:04d}", f"B0ARCH{n:04d}"]
        + [f"Archived product {n}", "New", "", "No", "", "No"]
        + ["0"] * 5
        + ["", "0", "0", "0", "0", "0", "0", ""]
        for n in (1, 2)
    ]
    return Rendered(MYI_HEADER, _myi_rows(data, mp) + archived, charset=CHARSETS[mp.region])


MYI_HEADER = [
    "sku",
    "fnsku",
    "asin",
    "product-name",
    "condition",
    "your-price",
    "mfn-listing-exists",
    "mfn-fulfillable-quantity",
    "afn-listing-exists",
    "afn-warehouse-quantity",
    "afn-fulfillable-quantity",
    "afn-unsellable-quantity",
    "afn-reserved-quantity",
    "afn-total-quantity",
    "per-unit-volume",
    "afn-inbound-working-quantity",
    "afn-inbound-shipped-quantity",
    "afn-inbound-receiving-quantity",
    "afn-researching-quantity",
    "afn-reserved-future-supply",
    "afn-future-supply-buyable",
    "store",
]


def _myi_rows(data: SellerData, mp: MarketplaceProfile) -> list[list[str]]:
    return [
        [
            p.sku,
            p.fnsku,
            p.asin,
            p.name,
            "New",
            money(p.price, mp),
            "No",
            "",
            "Yes",
            str(p.quantity + 3),
            str(p.quantity),
            "1",
            "2",
            str(p.quantity + 3),
            "0.12",
            "0",
            "4",
            "0",
            "0",
            "0",
            "0",
            "",
        ]
        for p in data.products(mp.id)
    ]


@renderer("GET_AFN_INVENTORY_DATA_BY_COUNTRY")
def afn_by_country(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    header = [
        "seller-sku",
        "fulfillment-channel-sku",
        "asin",
        "condition-type",
        "country",
        "quantity-for-local-fulfillment",
    ]
    countries = [m.country_code for m in data.marketplaces(mp.region) if m.participating]
    rows = [
        [p.sku, p.fnsku, p.asin, "NewItem", country, str((p.quantity + i) % 40)]
        for p in data.products(mp.id)
        for i, country in enumerate(countries)
    ]
    return Rendered(header, rows, charset=CHARSETS[mp.region])


@renderer("GET_LEDGER_DETAIL_VIEW_DATA", windowed=True)
def ledger(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    header = [
        "Date",
        "FNSKU",
        "ASIN",
        "MSKU",
        "Title",
        "Event Type",
        "Reference ID",
        "Quantity",
        "Fulfillment Center",
        "Disposition",
        "Reason",
        "Country",
        "Reconciled Quantity",
        "Unreconciled Quantity",
        "Date and Time",
    ]
    rows = [
        [
            f"{e.at:%m/%d/%Y}",
            e.product.fnsku,
            e.product.asin,
            e.product.sku,
            e.product.name,
            e.event_type,
            e.reference_id,
            str(e.quantity),
            e.fulfillment_center,
            e.disposition,
            "",
            mp.country_code,
            str(e.quantity),
            "0",
            iso_local(e.at, mp),
        ]
        for day in data.days(mp.id, start, end)
        for e in day.ledger
        if _in(e.at, start, end)
        # reportOptions eventType keeps one kind of event, as Amazon's ledger does.
        and options.get("eventType", e.event_type) == e.event_type
    ]
    return Rendered(header, rows, charset=CHARSETS[mp.region])


@renderer("GET_FBA_INVENTORY_PLANNING_DATA")
def planning(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    header = [
        "snapshot-date",
        "sku",
        "fnsku",
        "asin",
        "product-name",
        "condition",
        "available",
        "pending-removal-quantity",
        "inv-age-0-to-90-days",
        "inv-age-91-to-180-days",
        "inv-age-181-to-270-days",
        "inv-age-271-to-365-days",
        "inv-age-365-plus-days",
        "currency",
        "units-shipped-t7",
        "units-shipped-t30",
        "units-shipped-t60",
        "units-shipped-t90",
        "alert",
        "your-price",
        "sales-price",
        "recommended-action",
        "sell-through",
        "storage-type",
        "marketplace",
        "sales-rank",
        "days-of-supply",
        # Columns Amazon added later than the tap's registry knows: kept as extras.
        "quantity-to-be-charged-ais-181-210-days",
        "estimated-ais-181-210-days",
    ]
    today = clock.today().isoformat()
    rows = [
        [
            today,
            p.sku,
            p.fnsku,
            p.asin,
            p.name,
            "New",
            str(p.quantity),
            "0",
            str(p.quantity),
            "0",
            "0",
            "0",
            "0",
            mp.currency,
            "3",
            "11",
            "20",
            "31",
            "",
            money(p.price, mp),
            money(p.price, mp),
            "No action required",
            "1.25",
            "Standard",
            mp.country_code,
            str(1000 + i),
            "45",
            "0",
            "0.00",
        ]
        for i, p in enumerate(data.products(mp.id))
    ]
    return Rendered(header, rows, charset=CHARSETS[mp.region])


@renderer("GET_RESERVED_INVENTORY_DATA")
def reserved(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    header = [
        "sku",
        "fnsku",
        "asin",
        "product-name",
        "reserved_qty",
        "reserved_customerorders",
        "reserved_fc-transfers",
        "reserved_fc-processing",
    ]
    rows = [
        [
            p.sku,
            p.fnsku,
            p.asin,
            p.name,
            str(p.quantity % 7),
            str(p.quantity % 3),
            str(p.quantity % 2),
            str(p.quantity % 7 - p.quantity % 3 - p.quantity % 2),
        ]
        for p in data.products(mp.id)
        if p.quantity % 7 >= p.quantity % 3 + p.quantity % 2
    ]
    return Rendered(header, rows, charset=CHARSETS[mp.region])


# The listings reports' columns (All Listings adds `status`).
LISTING_HEADER = [
    "item-name",
    "item-description",
    "listing-id",
    "seller-sku",
    "price",
    "quantity",
    "open-date",
    "image-url",
    "item-is-marketplace",
    "product-id-type",
    "zshop-shipping-fee",
    "item-note",
    "item-condition",
    "zshop-category1",
    "zshop-browse-path",
    "zshop-storefront-feature",
    "asin1",
    "asin2",
    "asin3",
    "will-ship-internationally",
    "expedited-shipping",
    "zshop-boldface",
    "product-id",
    "bid-for-featured-placement",
    "add-delete",
    "pending-quantity",
    "fulfillment-channel",
    "merchant-shipping-group",
]


# The listings reports write open-date in the marketplace's local time with its zone's
# name: year first in North America and Japan, day first in Europe, where German files
# name the zones MEZ/MESZ (a real DE file: "07/08/2024 07:31:42 MESZ", 7 August).
_LISTING_ZONES = {"na": "America/Los_Angeles", "GB": "Europe/London", "fe": "Asia/Tokyo"}
_GERMAN_ZONE_NAMES = {"CET": "MEZ", "CEST": "MESZ"}


def listing_date(moment: datetime, mp: MarketplaceProfile) -> str:
    zone = ZoneInfo(
        _LISTING_ZONES.get(mp.country_code) or _LISTING_ZONES.get(mp.region) or "Europe/Berlin"
    )
    local = moment.astimezone(zone)
    name = local.tzname() or ""
    if mp.country_code == "DE":
        name = _GERMAN_ZONE_NAMES.get(name, name)
    if mp.region == "eu":
        return f"{local:%d/%m/%Y %H:%M:%S} {name}"
    if mp.region == "fe":
        return f"{local:%Y/%m/%d %H:%M:%S} {name}"
    return f"{local:%Y-%m-%d %H:%M:%S} {name}"


def listing_state(index: int) -> str:
    """The status of the seller's index-th product: the same in every listings report."""
    if index % 3 == 0:
        return "Inactive"
    if index % 7 == 1:
        return "Cancelled"
    return "Active"


def listing_row(
    listing_id: str, p: Any, mp: MarketplaceProfile, *, quantity: str, channel: str = "DEFAULT"
) -> list[str]:
    """A product's row in the listings reports' layout (LISTING_HEADER)."""
    return [
        p.name,
        "",
        listing_id,
        p.sku,
        money(p.price, mp),
        quantity,
        listing_date(p.opened, mp),
        "",
        "y",
        "1",
        "",
        "",
        "11",
        "",
        "",
        "",
        p.asin,
        "",
        "",
        "",
        "",
        "",
        p.asin,
        "",
        "",
        "0",
        channel,
        "Migrated Template",
    ]


@renderer("GET_MERCHANT_LISTINGS_ALL_DATA")
def all_listings(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    header = [*LISTING_HEADER, "status"]
    rows = [
        [
            *listing_row(
                f"{1000 + i:04d}{p.asin[-6:]}",
                p,
                mp,
                quantity=str(p.quantity) if i % 2 else "",
                channel="DEFAULT" if i % 2 else f"AMAZON_{mp.region.upper()}",
            ),
            listing_state(i),
        ]
        for i, p in enumerate(data.products(mp.id))
    ]
    # Listings come as UTF-8 in every region.
    return Rendered(header, rows, charset="UTF-8")


@renderer("GET_FLAT_FILE_OPEN_LISTINGS_DATA")
def open_listings(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    header = ["sku", "asin", "price", "quantity"]
    rows = [[p.sku, p.asin, money(p.price, mp), str(p.quantity)] for p in data.products(mp.id)]
    return Rendered(header, rows, charset=CHARSETS[mp.region])


@renderer("GET_FBA_REIMBURSEMENTS_DATA", windowed=True)
def reimbursements(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """A reimbursement two days after each return Amazon damaged or lost (not SELLABLE)."""
    header = [
        "approval-date",
        "reimbursement-id",
        "case-id",
        "amazon-order-id",
        "reason",
        "sku",
        "fnsku",
        "asin",
        "product-name",
        "condition",
        "currency-unit",
        "amount-per-unit",
        "amount-total",
        "quantity-reimbursed-cash",
        "quantity-reimbursed-inventory",
        "quantity-reimbursed-total",
        "original-reimbursement-id",
        "original-reimbursement-type",
    ]
    rows = []
    for day in data.days(mp.id, start - timedelta(days=2), end):
        for r in day.returns:
            approved = r.returned + timedelta(days=2)
            if r.disposition == "SELLABLE" or not _in(approved, start, end):
                continue
            p = r.product
            rows.append(
                [
                    iso_local(approved, mp),
                    r.rma_id[1:9],
                    "",
                    r.order_id,
                    "CustomerReturn",
                    p.sku,
                    p.fnsku,
                    p.asin,
                    p.name,
                    "SellableMisc",
                    mp.currency,
                    money(r.refunded, mp),
                    money(r.refunded * r.quantity, mp),
                    str(r.quantity),
                    "0",
                    str(r.quantity),
                    "",
                    "",
                ]
            )
    return Rendered(header, rows, charset=CHARSETS[mp.region])


def _removals(data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime) -> list:
    """Removal orders: every negative inventory adjustment of the ledger is one."""
    return [
        e
        for day in data.days(mp.id, start, end)
        for e in day.ledger
        if e.event_type == "Adjustments" and e.quantity < 0 and _in(e.at, start, end)
    ]


@renderer("GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA", windowed=True)
def removal_orders(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    header = [
        "request-date",
        "order-id",
        "order-source",
        "order-type",
        "service-speed",
        "order-status",
        "last-updated-date",
        "sku",
        "fnsku",
        "disposition",
        "requested-quantity",
        "cancelled-quantity",
        "disposed-quantity",
        "shipped-quantity",
        "in-process-quantity",
        "removal-fee",
        "currency",
    ]
    rows = []
    for e in _removals(data, mp, start, end):
        disposal = e.disposition == "DEFECTIVE"
        quantity = -e.quantity
        rows.append(
            [
                e.at.isoformat(timespec="seconds"),
                f"R{e.reference_id}",
                "Seller-initiated Manual Removal",
                "Disposal" if disposal else "Return",
                "Standard",
                "Completed",
                (e.at + timedelta(days=1)).isoformat(timespec="seconds"),
                e.product.sku,
                e.product.fnsku,
                e.disposition,
                str(quantity),
                "0",
                str(quantity if disposal else 0),
                str(0 if disposal else quantity),
                "0",
                money(Decimal("0.25") * quantity, mp),
                mp.currency,
            ]
        )
    return Rendered(header, rows, charset=CHARSETS[mp.region])


@renderer("GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA", windowed=True)
def removal_shipments(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """The removal orders sent back to the seller (not disposals), shipped two days later."""
    header = [
        "request-date",
        "order-id",
        "shipment-date",
        "sku",
        "fnsku",
        "disposition",
        "shipped-quantity",
        "carrier",
        "tracking-number",
        "removal-order-type",
    ]
    rows = [
        [
            e.at.isoformat(timespec="seconds"),
            f"R{e.reference_id}",
            (e.at + timedelta(days=2)).isoformat(timespec="seconds"),
            e.product.sku,
            e.product.fnsku,
            e.disposition,
            str(-e.quantity),
            "UPS, UPS",
            f"1Z{e.reference_id}, 1Z{e.reference_id[::-1]}",
            "Return",
        ]
        for e in _removals(data, mp, start, end)
        if e.disposition != "DEFECTIVE"
    ]
    return Rendered(header, rows, charset=CHARSETS[mp.region])


@renderer("GET_AFN_INVENTORY_DATA")
def afn_inventory(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """Stock per SKU, SELLABLE and UNSELLABLE apart (Amazon's mixed-case headers)."""
    header = [
        "seller-sku",
        "fulfillment-channel-sku",
        "asin",
        "condition-type",
        "Warehouse-Condition-code",
        "Quantity Available",
    ]
    rows = []
    for p in data.products(mp.id):
        rows.append([p.sku, p.fnsku, p.asin, "NewItem", "SELLABLE", str(p.quantity)])
        if p.quantity % 5 == 0:
            rows.append([p.sku, p.fnsku, p.asin, "NewItem", "UNSELLABLE", str(p.quantity % 7)])
    return Rendered(header, rows, charset=CHARSETS[mp.region])


# (supplier, error message) in text each region's charset can carry (Shift_JIS has no "ü").
_LOCAL_TEXT = {
    "na": ("Müller GmbH", "Relist or remove the listing"),
    "eu": ("Müller GmbH", "Listing löschen oder bearbeiten"),
    "fe": ("山田商事株式会社", "出品情報を編集してください"),
}


@renderer("GET_STRANDED_INVENTORY_UI_DATA")
def stranded(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """Every fourth product is stranded (no active offer); ISO dates with a "Z"."""
    header = [
        "primary-action",
        "date-stranded",
        "Date-to-take-auto-removal",
        "status-primary",
        "status-secondary",
        "error-message",
        "stranded-reason",
        "asin",
        "sku",
        "fnsku",
        "product-name",
        "condition",
        "fulfilled-by",
        "fulfillable-qty",
        "your-price",
        "unfulfillable-qty",
        "reserved-quantity",
        "inbound-shipped-qty",
    ]
    rows = []
    for index, p in enumerate(data.products(mp.id)):
        if index % 4:
            continue
        stranded_at = p.opened + timedelta(days=30)
        rows.append(
            [
                "Relist",
                stranded_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                (stranded_at + timedelta(days=90)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "Unsellable",
                "",
                _LOCAL_TEXT[mp.region][1],
                "No listing for this FNSKU",
                p.asin,
                p.sku,
                p.fnsku,
                p.name,
                "New",
                "AMAZON_" + mp.region.upper(),
                str(p.quantity),
                money(p.price, mp),
                "0",
                "0",
                "",
            ]
        )
    return Rendered(header, rows, charset=CHARSETS[mp.region])


@renderer("GET_RESTOCK_INVENTORY_RECOMMENDATIONS_REPORT")
def restock(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """Restock advice per SKU; slow sellers have "365+" days of supply, as Amazon writes it."""
    header = [
        "Country",
        "Product Name",
        "FNSKU",
        "Merchant SKU",
        "ASIN",
        "Condition",
        "Supplier",
        "Supplier part no.",
        "Currency code",
        "Price",
        "Sales last 30 days",
        "Units Sold Last 30 Days",
        "Total Units",
        "Inbound",
        "Available",
        "FC transfer",
        "FC Processing",
        "Customer Order",
        "Unfulfillable",
        "Working",
        "Shipped",
        "Receiving",
        "Fulfilled by",
        "Total Days of Supply (including units from open shipments)",
        "Days of Supply at Amazon Fulfillment Network",
        "Alert",
        "Recommended replenishment qty",
        "Recommended ship date",
        "Recommended action",
        "Unit storage size",
    ]
    rows = []
    today = clock.now()
    for index, p in enumerate(data.products(mp.id)):
        sold = index % 5
        supply = "365+" if sold == 0 else str(p.quantity // sold)
        low = sold and p.quantity // sold < 30
        rows.append(
            [
                mp.country_code,
                p.name,
                p.fnsku,
                p.sku,
                p.asin,
                "New",
                _LOCAL_TEXT[mp.region][0],
                f"MG-{index}",
                mp.currency,
                money(p.price, mp),
                money(p.price * sold, mp),
                str(sold),
                str(p.quantity),
                "0",
                str(p.quantity),
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "Amazon",
                supply,
                supply,
                "reorder_now" if low else "",
                str(30 * sold if low else 0),
                f"{today + timedelta(days=3):%m/%d/%Y}" if low else "",
                "Restock" if low else "No action required",
                "Standard-size",
            ]
        )
    return Rendered(header, rows, charset=CHARSETS[mp.region])


@renderer("GET_MERCHANT_LISTINGS_INACTIVE_DATA")
def inactive_listings(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """Inactive listings (every third product), in the listings reports' column layout."""
    header = [
        "item-name",
        "item-description",
        "listing-id",
        "seller-sku",
        "price",
        "quantity",
        "open-date",
        "item-is-marketplace",
        "product-id-type",
        "item-condition",
        "asin1",
        "product-id",
        "fulfillment-channel",
        "merchant-shipping-group",
    ]
    rows = [
        [
            p.name,
            "",
            f"{index:04d}{p.asin[-6:]}",
            p.sku,
            money(p.price, mp),
            "0",
            named_zone(p.opened, mp),
            "y",
            "1",
            "11",
            p.asin,
            p.asin,
            "DEFAULT",
            "Migrated Template",
        ]
        for index, p in enumerate(data.products(mp.id))
        if listing_state(index) == "Inactive"
    ]
    return Rendered(header, rows, charset=CHARSETS[mp.region])


@renderer("GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_SALES_DATA", windowed=True)
def shipment_sales(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    header = [
        "shipment-date",
        "sku",
        "fnsku",
        "asin",
        "fulfillment-center-id",
        "quantity",
        "amazon-order-id",
        "currency",
        "item-price-per-unit",
        "shipping-price",
        "gift-wrap-price",
        "ship-city",
        "ship-state",
        "ship-postal-code",
    ]
    rows = [
        [
            s.shipped.isoformat(timespec="seconds"),
            s.product.sku,
            s.product.fnsku,
            s.product.asin,
            s.fulfillment_center,
            str(s.quantity),
            s.order_id,
            mp.currency,
            money(s.product.price, mp),
            "0.00",
            "0.00",
            *s.city,
        ]
        for day in data.days(mp.id, start, end)
        for s in day.shipments
        if _in(s.shipped, start, end)
    ]
    return Rendered(header, rows, charset=CHARSETS[mp.region])


@renderer("GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL", windowed=True)
def fulfilled_shipments(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    header = [
        "amazon-order-id",
        "merchant-order-id",
        "shipment-id",
        "shipment-item-id",
        "amazon-order-item-id",
        "merchant-order-item-id",
        "purchase-date",
        "payments-date",
        "shipment-date",
        "reporting-date",
        "buyer-email",
        "buyer-name",
        "buyer-phone-number",
        "sku",
        "product-name",
        "quantity-shipped",
        "currency",
        "item-price",
        "item-tax",
        "shipping-price",
        "shipping-tax",
        "gift-wrap-price",
        "gift-wrap-tax",
        "ship-service-level",
        "recipient-name",
        "ship-address-1",
        "ship-address-2",
        "ship-address-3",
        "ship-city",
        "ship-state",
        "ship-postal-code",
        "ship-country",
        "ship-phone-number",
        "bill-address-1",
        "bill-address-2",
        "bill-address-3",
        "bill-city",
        "bill-state",
        "bill-postal-code",
        "bill-country",
        "item-promotion-discount",
        "ship-promotion-discount",
        "carrier",
        "tracking-number",
        "estimated-arrival-date",
        "fulfillment-center-id",
        "fulfillment-channel",
        "sales-channel",
    ]
    rows = []
    for day in data.days(mp.id, start, end):
        for s in day.shipments:
            if not _in(s.shipped, start, end):
                continue
            total = s.product.price * s.quantity
            rows.append(
                [
                    s.order_id,
                    "",
                    s.shipment_id,
                    s.item_id,
                    s.item_id[:12],
                    "",
                    iso_local(s.purchased, mp),
                    iso_local(s.purchased, mp),
                    iso_local(s.shipped, mp),
                    iso_local(s.shipped, mp),
                    "",
                    "",
                    "",
                    s.product.sku,
                    s.product.name,
                    str(s.quantity),
                    mp.currency,
                    money(total, mp),
                    "0.00",
                    "0.00",
                    "0.00",
                    "0.00",
                    "0.00",
                    "Standard",
                    "",
                    "",
                    "",
                    "",
                    *s.city,
                    mp.country_code,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "0.00",
                    "0.00",
                    "AMZN_UK" if mp.country_code == "GB" else "UPS",
                    f"1Z{s.shipment_id}",
                    iso_local(s.shipped + timedelta(days=3), mp),
                    s.fulfillment_center,
                    "AFN",
                    mp.name,
                ]
            )
    return Rendered(header, rows, charset=CHARSETS[mp.region])


@renderer("GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA", windowed=True)
def fba_returns(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    header = [
        "return-date",
        "order-id",
        "sku",
        "asin",
        "fnsku",
        "product-name",
        "quantity",
        "fulfillment-center-id",
        "detailed-disposition",
        "reason",
        "status",
        "license-plate-number",
        "customer-comments",
    ]
    rows = [
        [
            r.returned.isoformat(timespec="seconds"),
            r.order_id,
            r.product.sku,
            r.product.asin,
            r.product.fnsku,
            r.product.name,
            str(r.quantity),
            "FC1",
            r.disposition,
            r.reason,
            "Unit returned to inventory",
            f"LPN{r.rma_id[1:9]}",
            "Trop petit – désolé" if mp.region == "eu" else "Too small",
        ]
        for day in data.days(mp.id, start, end)
        for r in day.returns
        if _in(r.returned, start, end)
    ]
    return Rendered(header, rows, charset=CHARSETS[mp.region])


@renderer("GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE", windowed=True)
def merchant_returns(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    header = [
        "Order ID",
        "Order date",
        "Return request date",
        "Return request status",
        "Amazon RMA ID",
        "Merchant RMA ID",
        "Label type",
        "Label cost",
        "Currency code",
        "Return carrier",
        "Tracking ID",
        "Label to be paid by",
        "A-to-Z Claim",
        "Is prime",
        "ASIN",
        "Merchant SKU",
        "Item Name",
        "Return quantity",
        "Return Reason",
        "In policy",
        "Return type",
        "Resolution",
        "Invoice number",
        "Return delivery date",
        "Order Amount",
        "Order quantity",
        "SafeT Action reason",
        "SafeT claim id",
        "SafeT claim state",
        "SafeT claim creation time",
        "SafeT claim reimbursement amount",
        "Refunded Amount",
        "Category",
    ]
    rows = [
        [
            r.order_id,
            f"{r.returned - timedelta(days=9):%d-%b-%Y}",
            f"{r.returned:%d-%b-%Y}",
            "Approved",
            r.rma_id,
            "",
            "AmazonUnPaidLabel",
            "0.00",
            mp.currency,
            "UPS",
            "",
            "Customer",
            "N",
            "Y" if len(r.order_id) % 2 else "N",
            r.product.asin,
            r.product.sku,
            r.product.name,
            str(r.quantity),
            r.reason,
            "Y",
            "C-Returns",
            "StandardRefund",
            "",
            "",
            money(r.product.price, mp),
            "1",
            "",
            "",
            "",
            "",
            "",
            money(r.refunded, mp),
            "Kitchen",
        ]
        for day in data.days(mp.id, start, end)
        for r in day.returns
        if r.reason != "DEFECTIVE" and _in(r.returned, start, end)
    ]
    return Rendered(header, rows, charset=CHARSETS[mp.region])


def _amount(value: Decimal, currency: str) -> dict[str, Any]:
    return {"amount": value, "currencyCode": currency}


@renderer("GET_SALES_AND_TRAFFIC_REPORT", windowed=True)
def sales_and_traffic(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    first, last = start.date(), end.date()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    # Whole days, but nothing after dataEndTime: today's part holds no sale still to come.
    sold = {
        day: tuple(s for s in data.day(mp.id, day).shipments if s.shipped <= end) for day in days
    }
    by_date = [_sales_and_traffic_day(sold[day], day, mp) for day in days]
    by_asin: dict[str, dict[str, Any]] = {}
    for day in days:
        for s in sold[day]:
            row = by_asin.setdefault(
                s.product.asin, {"units": 0, "sales": Decimal(0), "items": 0, "sku": s.product.sku}
            )
            row["units"] += s.quantity
            row["sales"] += s.product.price * s.quantity
            row["items"] += 1
    granularity = options.get("asinGranularity", "PARENT")
    asin_rows = [
        {
            "parentAsin": asin,
            **({"childAsin": asin} if granularity in ("CHILD", "SKU") else {}),
            **({"sku": row["sku"]} if granularity == "SKU" else {}),
            "salesByAsin": {
                "unitsOrdered": row["units"],
                "orderedProductSales": _amount(row["sales"], mp.currency),
                "totalOrderItems": row["items"],
            },
            "trafficByAsin": {
                "browserSessions": 6 + row["units"],
                "mobileAppSessions": 4,
                "sessions": 10 + row["units"],
                "browserSessionPercentage": Decimal("1.5"),
                "mobileAppSessionPercentage": Decimal("0.5"),
                "sessionPercentage": Decimal("2"),
                "browserPageViews": 12 + row["units"],
                "mobileAppPageViews": 8 + row["units"],
                "pageViews": 20 + row["units"] * 2,
                "browserPageViewsPercentage": Decimal("1.2"),
                "mobileAppPageViewsPercentage": Decimal("0.8"),
                "pageViewsPercentage": Decimal("2"),
                "buyBoxPercentage": Decimal("100"),
                "unitSessionPercentage": Decimal("8.5"),
            },
        }
        for asin, row in sorted(by_asin.items())
    ]
    return Rendered(
        json={
            "reportSpecification": {
                "reportType": "GET_SALES_AND_TRAFFIC_REPORT",
                "reportOptions": {
                    "dateGranularity": options.get("dateGranularity", "DAY"),
                    "asinGranularity": granularity,
                },
                "dataStartTime": first.isoformat(),
                "dataEndTime": last.isoformat(),
                "marketplaceIds": [mp.id],
            },
            "salesAndTrafficByDate": by_date,
            "salesAndTrafficByAsin": asin_rows,
        }
    )


def _sales_and_traffic_day(shipments: tuple, day: date, mp: MarketplaceProfile) -> dict[str, Any]:
    sales = sum((s.product.price * s.quantity for s in shipments), Decimal(0))
    units = sum(s.quantity for s in shipments)
    average = (sales / len(shipments)).quantize(Decimal("0.01")) if shipments else Decimal(0)
    return {
        "date": day.isoformat(),
        "salesByDate": {
            "orderedProductSales": _amount(sales, mp.currency),
            "unitsOrdered": units,
            "totalOrderItems": len(shipments),
            "averageSalesPerOrderItem": _amount(average, mp.currency),
            "averageUnitsPerOrderItem": (Decimal(units) / len(shipments))
            if shipments
            else Decimal(0),
            "averageSellingPrice": _amount(average, mp.currency),
            "unitsRefunded": 0,
            "refundRate": 0,
            "claimsGranted": 0,
            "claimsAmount": _amount(Decimal(0), mp.currency),
            "shippedProductSales": _amount(sales, mp.currency),
            "unitsShipped": units,
            "ordersShipped": len(shipments),
        },
        "trafficByDate": {
            "browserPageViews": 30 + units * 5,
            "mobileAppPageViews": 10 + units * 2,
            "pageViews": 40 + units * 7,
            "browserSessions": 18 + units * 2,
            "mobileAppSessions": 7 + units,
            "sessions": 25 + units * 3,
            "buyBoxPercentage": Decimal("97.5"),
            "orderItemSessionPercentage": Decimal("4.2"),
            "unitSessionPercentage": Decimal("5.1"),
            "averageOfferCount": 2,
            "averageParentItems": 6,
            "feedbackReceived": 1,
            "negativeFeedbackReceived": 0,
            "receivedNegativeFeedbackRate": 0,
        },
    }


def _vendor_days(start: datetime, end: datetime) -> list[date]:
    first, last = start.date(), end.date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _vendor(
    report_type: str, array: str, metrics: Callable[[Any, date], dict[str, Any]]
) -> Renderer:
    def render(
        data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
    ) -> Rendered:
        days = _vendor_days(start, end)
        rows = [
            {
                "startDate": day.isoformat(),
                "endDate": day.isoformat(),
                "asin": p.asin,
                **metrics((p, mp), day),
            }
            for day in days
            for p in data.products(mp.id)[:4]
        ]
        specification = {
            "reportType": report_type,
            "reportOptions": {k: v for k, v in options.items()},
            "lastUpdatedDate": days[-1].isoformat() if days else start.date().isoformat(),
            "dataStartTime": start.date().isoformat(),
            "dataEndTime": end.date().isoformat(),
            "marketplaceIds": [mp.id],
        }
        aggregate = array.replace("ByAsin", "Aggregate")
        return Rendered(json={"reportSpecification": specification, aggregate: [], array: rows})

    return render


def _sales_metrics(item: Any, day: date) -> dict[str, Any]:
    product, mp = item
    units = (day.toordinal() + len(product.asin)) % 5
    return {
        "shippedUnits": units,
        "shippedRevenue": _amount(product.price * units, mp.currency),
        "shippedCogs": _amount(
            (product.price * units * Decimal("0.6")).quantize(Decimal("0.01")), mp.currency
        ),
        "orderedUnits": units,
        "orderedRevenue": _amount(product.price * units, mp.currency),
        "customerReturns": 0,
    }


def _inventory_metrics(item: Any, day: date) -> dict[str, Any]:
    product, mp = item
    return {
        "netReceivedInventoryCost": _amount(product.price * 3, mp.currency),
        "netReceivedInventoryUnits": 3,
        "openPurchaseOrderUnits": 10,
        "sellableOnHandInventoryCost": _amount(product.price * product.quantity, mp.currency),
        "sellableOnHandInventoryUnits": product.quantity,
        "sellThroughRate": Decimal("0.25"),
    }


def _traffic_metrics(item: Any, day: date) -> dict[str, Any]:
    product, _ = item
    return {"glanceViews": 100 + (day.toordinal() % 17) + len(product.name)}


def _margin_metrics(item: Any, day: date) -> dict[str, Any]:
    product, _ = item
    return {
        "netPureProductMargin": round(
            0.05 + (day.toordinal() % 11) / 100 + len(product.sku) / 1000, 4
        )
    }


for _type, _array, _metrics in (
    ("GET_VENDOR_SALES_REPORT", "salesByAsin", _sales_metrics),
    ("GET_VENDOR_INVENTORY_REPORT", "inventoryByAsin", _inventory_metrics),
    ("GET_VENDOR_TRAFFIC_REPORT", "trafficByAsin", _traffic_metrics),
    ("GET_VENDOR_NET_PURE_PRODUCT_MARGIN_REPORT", "netPureProductMarginByAsin", _margin_metrics),
):
    renderer(_type, windowed=True)(_vendor(_type, _array, _metrics))


def _real_time(report_type: str, metrics: Callable[[Any, datetime], dict[str, Any]]) -> Renderer:
    """Vendor Rapid Retail Analytics: one row per ASIN and hour of the window."""

    def render(
        data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
    ) -> Rendered:
        hour = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        rows: list[dict[str, Any]] = []
        while hour + timedelta(hours=1) <= end:
            rows.extend(
                {
                    "startTime": hour.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "endTime": (hour + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "asin": p.asin,
                    **metrics((p, mp), hour),
                }
                for p in data.products(mp.id)[:3]
            )
            hour += timedelta(hours=1)
        specification: dict[str, Any] = {
            "reportType": report_type,
            "dataStartTime": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "dataEndTime": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "marketplaceIds": [mp.id],
        }
        if report_type == "GET_VENDOR_REAL_TIME_SALES_REPORT":
            specification["reportOptions"] = {"currencyCode": mp.currency}
        return Rendered(json={"reportSpecification": specification, "reportData": rows})

    return render


for _type, _hourly in (
    (
        "GET_VENDOR_REAL_TIME_SALES_REPORT",
        lambda item, hour: {
            "orderedUnits": hour.hour % 4,
            "orderedRevenue": float(item[0].price * (hour.hour % 4)),
        },
    ),
    (
        "GET_VENDOR_REAL_TIME_INVENTORY_REPORT",
        lambda item, hour: {"highlyAvailableInventory": item[0].quantity + hour.hour},
    ),
    (
        "GET_VENDOR_REAL_TIME_TRAFFIC_REPORT",
        lambda item, hour: {"glanceViews": 3 * hour.hour + len(item[0].name)},
    ),
):
    renderer(_type, windowed=True)(_real_time(_type, _hourly))


@renderer("GET_VENDOR_FORECASTING_REPORT")
def vendor_forecast(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """Weekly demand forecasts (mean and P70/P80/P90 units) for the next four weeks,
    generated on the last Sunday; FRESH forecasts cover fewer ASINs than RETAIL."""
    today = clock.today()
    generated = today - timedelta(days=(today.weekday() + 1) % 7)
    products = data.products(mp.id)[: 2 if options.get("sellingProgram") == "FRESH" else 4]
    rows = []
    for week in range(4):
        first = generated + timedelta(days=7 * week)
        for index, p in enumerate(products):
            mean = 10.0 + 3 * index + week
            rows.append(
                {
                    "forecastGenerationDate": generated.isoformat(),
                    "asin": p.asin,
                    "startDate": first.isoformat(),
                    "endDate": (first + timedelta(days=6)).isoformat(),
                    "meanForecastUnits": mean,
                    "p70ForecastUnits": round(mean * 1.2, 1),
                    "p80ForecastUnits": round(mean * 1.35, 1),
                    "p90ForecastUnits": round(mean * 1.6, 1),
                }
            )
    specification = {
        "reportType": "GET_VENDOR_FORECASTING_REPORT",
        "reportOptions": {"sellingProgram": options.get("sellingProgram", "RETAIL")},
        "lastUpdatedDate": generated.isoformat(),
        "marketplaceIds": [mp.id],
    }
    return Rendered(json={"reportSpecification": specification, "forecastByAsin": rows})


# -- settlements: Amazon makes them every 14 days on its own; the simulator lists them ----

ORDERS_HEADER = [
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "order-channel",
    "url",
    "ship-service-level",
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "promotion-ids",
    "is-business-order",
    "purchase-order-number",
    "price-designation",
]
_SERVICE_LEVEL_TEXT = {
    "STANDARD": "Standard",
    "EXPEDITED": "Expedited",
    "SECOND_DAY": "SecondDay",
    "NEXT_DAY": "NextDay",
}
_REPORT_STATUS = {
    "PENDING": ("Pending", "Unshipped"),
    "UNSHIPPED": ("Unshipped", "Unshipped"),
    "PARTIALLY_SHIPPED": ("PartiallyShipped", "Unshipped"),
    "SHIPPED": ("Shipped", "Shipped"),
    "CANCELLED": ("Cancelled", "Cancelled"),
}


@renderer("GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL", windowed=True)
def orders_by_last_update(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """One row per order item of the orders last updated in the window (both edges in).

    Dates in the region's local offset (ISO 8601), booleans as `true`/`false`, and no
    prices on cancelled orders, as Amazon's files have them. No PII columns: this report
    carries only city, state, postal code and country of the address.
    """
    orders = sorted(data.orders.updated_between(mp.id, start, end), key=lambda o: o.last_updated)
    return Rendered(ORDERS_HEADER, _order_rows(orders, mp), charset=CHARSETS[mp.region])


@renderer("GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL", windowed=True)
def orders_by_order_date(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """The same rows for the orders placed in the window, with Brazil's `cpf` column last."""
    orders = sorted(data.orders.created_between(mp.id, start, end), key=lambda o: o.created)
    rows = [[*row, ""] for row in _order_rows(orders, mp)]
    return Rendered([*ORDERS_HEADER, "cpf"], rows, charset=CHARSETS[mp.region])


def _order_rows(orders: list[Any], mp: MarketplaceProfile) -> list[list[str]]:
    rows = []
    for order in orders:
        order_status, item_status = _REPORT_STATUS[order.status]
        priced = order.status != "CANCELLED"
        for line in order.lines:
            rows.append(
                [
                    order.order_id,
                    order.seller_order_id,
                    iso_local(order.created, mp),
                    iso_local(order.last_updated, mp),
                    order_status,
                    "Amazon" if order.fulfilled_by == "AMAZON" else "Merchant",
                    mp.name,
                    "",
                    "",
                    _SERVICE_LEVEL_TEXT.get(order.service_level, order.service_level),
                    line.product.name,
                    line.product.sku,
                    line.product.asin,
                    item_status,
                    str(line.quantity),
                    mp.currency,
                    money(line.price, mp) if priced else "",
                    money(line.tax, mp) if priced else "",
                    money(line.shipping, mp) if priced else "",
                    money(Decimal(0), mp) if priced else "",
                    "",
                    "",
                    "",
                    "",
                    *order.city,
                    order.country,
                    "",
                    "true" if order.business else "false",
                    order.purchase_order_number or "",
                    "",
                ]
            )
    return rows


SETTLEMENT_TYPE = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
SETTLEMENT_HEADER = [
    "settlement-id",
    "settlement-start-date",
    "settlement-end-date",
    "deposit-date",
    "total-amount",
    "currency",
    "transaction-type",
    "order-id",
    "merchant-order-id",
    "adjustment-id",
    "shipment-id",
    "marketplace-name",
    "amount-type",
    "amount-description",
    "amount",
    "fulfillment-id",
    "posted-date",
    "posted-date-time",
    "order-item-code",
    "merchant-order-item-id",
    "merchant-adjustment-item-id",
    "sku",
    "quantity-purchased",
    "promotion-id",
]


@dataclass(frozen=True)
class SettlementCharge:
    """One charge of a settlement period: a shipment's principal or its commission."""

    shipment: Any
    kind: str  # ItemPrice, ItemFees
    description: str  # Principal, Commission
    amount: Decimal


@dataclass(frozen=True)
class Settlement:
    """One settlement period of a marketplace: every flat file and XML of it say this."""

    settlement_id: str
    start: datetime
    end: datetime
    charges: tuple[SettlementCharge, ...]

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.charges), Decimal(0))


def settlement_of(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime
) -> Settlement:
    """The period's charges: each shipment's principal and a 15 % commission."""
    settlement_id = f"{zlib.crc32(f'{data.seed}:{mp.id}:{start.date()}'.encode()):011d}"
    charges = []
    for day in data.days(mp.id, start, end - timedelta(seconds=1)):
        for s in day.shipments:
            if not start <= s.shipped < end:
                continue
            principal = s.product.price * s.quantity
            fee = (principal * Decimal("0.15")).quantize(Decimal("0.01"))
            charges.append(SettlementCharge(s, "ItemPrice", "Principal", principal))
            charges.append(SettlementCharge(s, "ItemFees", "Commission", -fee))
    return Settlement(settlement_id, start, end, tuple(charges))


def _settlement_when(mp: MarketplaceProfile, moment: datetime) -> str:
    # EU files write DD.MM.YYYY HH:MM:SS UTC, the others ISO 8601.
    return (
        f"{moment:%d.%m.%Y %H:%M:%S} UTC"
        if mp.region == "eu"
        else moment.isoformat(timespec="seconds")
    )


def _settlement_summary(period: Settlement, mp: MarketplaceProfile, width: int) -> list[str]:
    """The first row of a settlement flat file: the period, its deposit and total."""
    return [
        period.settlement_id,
        _settlement_when(mp, period.start),
        _settlement_when(mp, period.end),
        _settlement_when(mp, period.end + timedelta(days=1)),
        money(period.total, mp, decimal_comma=True),
        mp.currency,
    ] + [""] * (width - 6)


def settlement(period: Settlement, mp: MarketplaceProfile) -> Rendered:
    """One settlement period as the _V2 flat file: Amazon's summary row, then a row per
    charge (amount-type, amount-description, amount)."""
    lines = []
    for charge in period.charges:
        s = charge.shipment
        line = dict.fromkeys(SETTLEMENT_HEADER, "")
        line.update(
            {
                "settlement-id": period.settlement_id,
                "transaction-type": "Order",
                "order-id": s.order_id,
                "shipment-id": s.shipment_id,
                "marketplace-name": mp.name,
                "amount-type": charge.kind,
                "amount-description": charge.description,
                "amount": money(charge.amount, mp, decimal_comma=True),
                "fulfillment-id": "AFN",
                "posted-date": f"{s.shipped:%m/%d/%y}",
                "posted-date-time": f"{s.shipped:%Y-%m-%d %H:%M:%S} UTC",
                "order-item-code": s.item_id,
                "sku": s.product.sku,
                "quantity-purchased": str(s.quantity),
            }
        )
        lines.append(list(line.values()))
    summary = _settlement_summary(period, mp, len(SETTLEMENT_HEADER))
    return Rendered(SETTLEMENT_HEADER, [summary, *lines], charset=CHARSETS[mp.region])


#: The first settlement flat file (removed by Amazon on 2026-11-11): a charge's amount in a
#: column of its kind (price-amount, item-related-fee-amount) instead of amount-type/amount.
SETTLEMENT_V1_TYPE = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE"
SETTLEMENT_V1_HEADER = [
    "settlement-id",
    "settlement-start-date",
    "settlement-end-date",
    "deposit-date",
    "total-amount",
    "currency",
    "transaction-type",
    "order-id",
    "merchant-order-id",
    "adjustment-id",
    "shipment-id",
    "marketplace-name",
    "shipment-fee-type",
    "shipment-fee-amount",
    "order-fee-type",
    "order-fee-amount",
    "fulfillment-id",
    "posted-date",
    "order-item-code",
    "merchant-order-item-id",
    "merchant-adjustment-item-id",
    "sku",
    "quantity-purchased",
    "price-type",
    "price-amount",
    "item-related-fee-type",
    "item-related-fee-amount",
    "misc-fee-amount",
    "other-fee-amount",
    "other-fee-reason-description",
    "promotion-id",
    "promotion-type",
    "promotion-amount",
    "direct-payment-type",
    "direct-payment-amount",
    "other-amount",
]


def settlement_v1(period: Settlement, mp: MarketplaceProfile) -> Rendered:
    """The same settlement period as the first flat file."""
    lines = []
    for charge in period.charges:
        s = charge.shipment
        line = dict.fromkeys(SETTLEMENT_V1_HEADER, "")
        kind, amount = (
            ("price-type", "price-amount")
            if charge.kind == "ItemPrice"
            else ("item-related-fee-type", "item-related-fee-amount")
        )
        line.update(
            {
                "settlement-id": period.settlement_id,
                "transaction-type": "Order",
                "order-id": s.order_id,
                "shipment-id": s.shipment_id,
                "marketplace-name": mp.name,
                "fulfillment-id": "AFN",
                "posted-date": f"{s.shipped:%m/%d/%y}",
                "order-item-code": s.item_id,
                "sku": s.product.sku,
                "quantity-purchased": str(s.quantity),
                kind: charge.description,
                amount: money(charge.amount, mp, decimal_comma=True),
            }
        )
        lines.append(list(line.values()))
    summary = _settlement_summary(period, mp, len(SETTLEMENT_V1_HEADER))
    return Rendered(SETTLEMENT_V1_HEADER, [summary, *lines], charset=CHARSETS[mp.region])


def marketplace(marketplace_id: str) -> MarketplaceProfile:
    return MARKETPLACES_BY_ID[marketplace_id]


# -- the other report families: their renderers live in modules of their own and register
# with RENDERERS whenever this one is loaded (at its end, as they import from it).
from sp_api_simulator import (  # noqa: E402, F401
    report_documents_analytics,
    report_documents_fba,
    report_documents_seller,
    report_documents_xml,
)
