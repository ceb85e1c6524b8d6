"""FBA flat-file reports the simulator serves: fee preview, promotions, replacements,
Subscribe & Save, monthly storage fees and the inventory ledger summary.

Columns follow Amazon's "FBA Payments / FBA Sales / FBA Customer Concessions / FBA Inventory
reports attributes" pages; header spellings, date formats and charsets follow real files
(NA fee files say "fulfillment", EU ones "fulfilment"; replacement files name the
replacement order id two ways; the ledger summary's headers come spaced or not, and its Date
is MM/DD/YYYY or MM/YYYY by period). Rows come from the same SellerData as the other reports
(products, shipments, returns, ledger events), so they agree with them.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sp_api_simulator import clock
from sp_api_simulator.data import MarketplaceProfile, Product, SellerData, Shipment
from sp_api_simulator.report_documents import (
    CHARSETS,
    LOCAL,
    Rendered,
    _in,
    iso_local,
    money,
    renderer,
)

FEES_TYPE = "GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA"
LEDGER_SUMMARY_TYPE = "GET_LEDGER_SUMMARY_VIEW_DATA"
# Amazon fails (FATAL) these reports when asked for a shorter data range (or none).
MIN_DATA_RANGE = {FEES_TYPE: timedelta(hours=72)}
# Report options whose values Amazon checks (createReport answers 400 otherwise).
OPTION_VALUES = {
    (LEDGER_SUMMARY_TYPE, "aggregateByLocation"): ("COUNTRY", "FC"),
    (LEDGER_SUMMARY_TYPE, "aggregatedByTimePeriod"): ("DAILY", "WEEKLY", "MONTHLY"),
}

# Brand names in text each region's charset carries (ISO-8859-1, Cp1252, Shift_JIS).
_BRANDS = {"na": "Café Niño", "eu": "Müller & Söhne", "fe": "さくら雑貨"}
# Promotion descriptions in each marketplace's language (ISO-8859-1 safe for NA).
_PROMOTIONS = {
    "en": "Save 10% on Café accessories",
    "de": "10 % Rabatt – Größe M",
    "fr": "Économisez 10 % sur la crème",
    "es": "Ahorra un 10% en jamón",
    "ja": "まとめ買い割引 10%",
}
# Marketplaces whose replacement files spell the id "replacement-customer-order-id".
_CUSTOMER_ORDER_ID_SPELLING = frozenset(("DE", "JP"))
_EFN_COUNTRIES = ("uk", "de", "fr", "it", "es", "se")
_CENTERS = {"na": ("SEA8", "PHX6"), "eu": ("MUC3", "LEJ1", "BCN1"), "fe": ("NRT1",)}


def _pick(key: str, choices: tuple[str, ...]) -> str:
    """A deterministic choice for `key` (the same every run)."""
    return choices[zlib.crc32(key.encode()) % len(choices)]


def _dec(value: Decimal, places: str = "0.01") -> str:
    return str(value.quantize(Decimal(places)))


def _dimensions(index: int) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(longest, median, shortest side in cm, weight in kg) of the index-th product."""
    return (
        Decimal(20 + index % 7),
        Decimal(12 + index % 5),
        Decimal(3 + index % 4),
        Decimal(250 + 40 * index) / 1000,
    )


@renderer(FEES_TYPE)
def estimated_fees(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """Fee preview per product; NA/FE files in US spelling, EU files with EFN fees."""
    eu = mp.region == "eu"
    header = [
        "sku",
        "fnsku",
        "asin",
        "product-name",
        "product-group",
        "brand",
        "fulfilled-by",
        "has-local-inventory",
        "your-price",
        "sales-price",
        "longest-side",
        "median-side",
        "shortest-side",
        "length-and-girth",
        "unit-of-dimension",
        "item-package-weight",
        "unit-of-weight",
        "product-size-weight-band" if eu else "product-size-tier",
        "currency",
        "estimated-fee-total",
        "estimated-referral-fee-per-unit",
        "estimated-variable-closing-fee",
    ]
    if eu:
        header += [
            "expected-domestic-fulfilment-fee-per-unit",
            *(f"expected-efn-fulfilment-fee-per-unit-{c}" for c in _EFN_COUNTRIES),
        ]
    else:
        header += [
            "estimated-order-handling-fee-per-order",
            "estimated-pick-pack-fee-per-unit",
            "estimated-weight-handling-fee-per-unit",
            "expected-fulfillment-fee-per-unit",
            # A column the tap's registry does not declare: kept in extra_columns.
            "current-fee-category",
        ]
    jpy = mp.currency == "JPY"
    rows = []
    for index, p in enumerate(data.products(mp.id)):
        longest, median, shortest, weight = _dimensions(index)
        referral = (p.price * Decimal("0.15")).quantize(Decimal(1 if jpy else "0.01"))
        fulfilment = Decimal(300 + 25 * index) if jpy else Decimal("3.22") + index % 4
        row = [
            p.sku,
            p.fnsku,
            p.asin,
            p.name,
            "Kitchen",
            _BRANDS[mp.region],
            "Amazon",
            "Y" if index % 3 else "N",
            money(p.price, mp),
            money(p.price, mp) if index % 2 else "",  # no sale price: an empty cell
            str(longest),
            str(median),
            str(shortest),
            str(longest + 2 * (median + shortest)),
            "centimeters",
            str(weight),
            "kilograms",
            "Standard-Size" if index % 4 else "Large Standard-Size",
            mp.currency,
            money(referral + fulfilment, mp),
            money(referral, mp),
            money(Decimal(0), mp),
        ]
        if eu:
            own = mp.country_code.lower().replace("gb", "uk")
            row += [money(fulfilment, mp)]
            # The marketplace's own country has no EFN fee: Amazon writes "--".
            row += [
                "--" if c == own else money(fulfilment + 1 + i, mp)
                for i, c in enumerate(_EFN_COUNTRIES)
            ]
        else:
            row += [money(Decimal(0), mp), money(fulfilment, mp), "0.00", money(fulfilment, mp)]
            row += ["Kitchen"]
        rows.append(row)
    return Rendered(header, rows, charset=CHARSETS[mp.region])


def _promotions(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime
) -> Iterator[tuple[Shipment, str, str, Decimal]]:
    """(shipment, promotion id, rule, discount) for every promoted shipment item: every third
    shipment item has a 10% promotion, every sixth also free shipping."""
    for day in data.days(mp.id, start, end):
        for s in day.shipments:
            if not _in(s.shipped, start, end):
                continue
            mark = zlib.crc32(s.item_id.encode())
            if mark % 3:
                continue
            discount = -(s.product.price * s.quantity / 10)
            yield s, f"PLM-{mark % 10**8:08d}", "10%", discount
            if mark % 2 == 0:
                yield s, "FreeShipping", "Free Shipping", Decimal("-2.99")


@renderer("GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_PROMOTION_DATA", windowed=True)
def promotions(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    header = [
        "shipment-date",
        "currency",
        "item-promotion-discount",
        "item-promotion-id",
        "description",
        "promotion-rule-value",
        "amazon-order-id",
        "shipment-id",
        "shipment-item-id",
    ]
    text = _PROMOTIONS.get(mp.language[:2], _PROMOTIONS["en"])
    rows = [
        [
            iso_local(s.shipped, mp),
            mp.currency,
            money(discount, mp),
            promotion_id,
            text if promotion_id != "FreeShipping" else "Free Shipping",
            rule,
            s.order_id,
            s.shipment_id,
            s.item_id,
        ]
        for s, promotion_id, rule, discount in _promotions(data, mp, start, end)
    ]
    return Rendered(header, rows, charset=CHARSETS[mp.region])


def replacement_order_id(order_id: str) -> str:
    """The replacement order's id, derived from the original one."""
    head, middle, tail = order_id.split("-")
    return f"{head}-{middle[::-1]}-{tail}"


@renderer("GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA", windowed=True)
def replacements(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """A free replacement one day after each return the customer got damaged; EU files write
    "DD.MM.YYYY HH:MM:SS CET", the others ISO 8601 with the local offset."""
    header = [
        "shipment-date",
        "sku",
        "asin",
        "fulfillment-center-id",
        "original-fulfillment-center-id",
        "quantity",
        "replacement-reason-code",
        "replacement-customer-order-id"
        if mp.country_code in _CUSTOMER_ORDER_ID_SPELLING
        else "replacement-amazon-order-id",
        "original-amazon-order-id",
    ]
    zone, zone_name = LOCAL[mp.region]
    centers = _CENTERS[mp.region]
    rows = []
    for day in data.days(mp.id, start - timedelta(days=1), end):
        for r in day.returns:
            shipped = r.returned + timedelta(days=1)
            if r.disposition != "CUSTOMER_DAMAGED" or not _in(shipped, start, end):
                continue
            when = (
                f"{shipped.astimezone(zone):%d.%m.%Y %H:%M:%S} {zone_name}"
                if mp.region == "eu"
                else iso_local(shipped, mp)
            )
            rows.append(
                [
                    when,
                    r.product.sku,
                    r.product.asin,
                    _pick(r.rma_id, centers),
                    _pick(r.order_id, centers),
                    str(r.quantity),
                    "CustomerDamaged",
                    replacement_order_id(r.order_id),
                    r.order_id,
                ]
            )
    return Rendered(header, rows, charset=CHARSETS[mp.region])


def _last_sunday(today: date) -> date:
    return today - timedelta(days=(today.weekday() + 1) % 7)


def _subscribed(data: SellerData, mp: MarketplaceProfile) -> list[tuple[int, Product]]:
    """Products in Subscribe & Save: every other one."""
    return [(i, p) for i, p in enumerate(data.products(mp.id)) if i % 2 == 0]


@renderer("GET_FBA_SNS_FORECAST_DATA")
def sns_forecast(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    header = [
        "offer-state",
        "snapshot-date",
        "sku",
        "fnsku",
        "asin",
        "estimated-avg-sns-discount-next-8-weeks",
        "product-name",
        "country",
        "active-subscriptions",
        "week-1-start-date",
        *(f"scheduled-sns-units-week-{week}" for week in range(1, 9)),
    ]
    sunday = _last_sunday(clock.today())
    # The snapshot's moment in the marketplace's local time, with its offset.
    snapshot = datetime(sunday.year, sunday.month, sunday.day, tzinfo=LOCAL[mp.region][0])
    rows = [
        [
            "Active" if i % 4 == 0 else "Eligible",
            snapshot.isoformat(timespec="seconds"),
            p.sku,
            p.fnsku,
            p.asin,
            "5.00" if i % 4 == 0 else "10.00",
            p.name,
            mp.country_code,
            str(p.quantity % 40),
            (sunday + timedelta(days=7)).isoformat(),
            *(str((p.quantity + 3 * week) % 25) for week in range(1, 9)),
        ]
        for i, p in _subscribed(data, mp)
    ]
    return Rendered(header, rows, charset=CHARSETS[mp.region])


@renderer("GET_FBA_SNS_PERFORMANCE_DATA")
def sns_performance(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    header = [
        "offer-state",
        "snapshot-date",
        "sku",
        "fnsku",
        "asin",
        "product-name",
        "country",
        "week-1-start-date",
    ]
    for week in range(1, 5):
        header += [
            f"sns-units-shipped-week-{week}",
            f"oos-rate-week-{week}",
            f"sns-sale-price-week-{week}",
            f"sns-discount-week-{week}",
        ]
    sunday = _last_sunday(clock.today())
    rows = []
    for i, p in _subscribed(data, mp):
        row = [
            "Active",
            sunday.isoformat(),
            p.sku,
            p.fnsku,
            p.asin,
            p.name,
            mp.country_code,
            f"{sunday - timedelta(days=28):%m/%d/%Y}",  # US-style date, as in real files
        ]
        for week in range(1, 5):
            row += [
                str((p.quantity + week) % 17),
                _dec(Decimal((i + week) % 5) / 2, "0.1"),
                money(p.price * Decimal("0.95"), mp),
                "5",
            ]
        rows.append(row)
    return Rendered(header, rows, charset=CHARSETS[mp.region])


def _months(start: datetime, end: datetime) -> list[date]:
    """The first days of the months [start, end] touches."""
    month = start.astimezone(UTC).date().replace(day=1)
    last = end.astimezone(UTC).date().replace(day=1)
    months = []
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


@renderer("GET_FBA_STORAGE_FEE_CHARGES_DATA", windowed=True)
def storage_fees(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """One row per product, fulfilment centre and month the range touches (snake_case
    headers, month_of_charge as YYYY-MM, volumes in cubic feet)."""
    header = [
        "asin",
        "fnsku",
        "product_name",
        "fulfillment_center",
        "country_code",
        "longest_side",
        "median_side",
        "shortest_side",
        "measurement_units",
        "weight",
        "weight_units",
        "item_volume",
        "volume_units",
        "product_size_tier",
        "average_quantity_on_hand",
        "average_quantity_pending_removal",
        "estimated_total_item_volume",
        "month_of_charge",
        "storage_rate",
        "currency",
        "estimated_monthly_storage_fee",
        "dangerous_goods_storage_type",
        "eligible_for_inventory_discount",
        "qualifies_for_inventory_discount",
        "total_incentive_fee_amount",
        "breakdown_incentive_fee_amount",
        "average_quantity_customer_orders",
    ]
    rate = Decimal(78) if mp.currency == "JPY" else Decimal("0.78")
    rows = []
    for month in _months(start, end):
        for index, p in enumerate(data.products(mp.id)):
            longest, median, shortest, weight = _dimensions(index)
            volume = (longest * median * shortest / Decimal("28316.8466")).quantize(
                Decimal("0.0001")
            )
            on_hand = (Decimal(p.quantity) * (month.month + 10) / 40).quantize(Decimal("0.01"))
            total_volume = (volume * on_hand).quantize(Decimal("0.0001"))
            rows.append(
                [
                    p.asin,
                    p.fnsku,
                    p.name,
                    _pick(f"{p.sku}:{month}", _CENTERS[mp.region]),
                    mp.country_code,
                    str(longest),
                    str(median),
                    str(shortest),
                    "centimeters",
                    str(weight),
                    "kilograms",
                    str(volume),
                    "cubic feet",
                    "Standard-Size",
                    str(on_hand),
                    "0.00",
                    str(total_volume),
                    f"{month:%Y-%m}",
                    money(rate, mp),
                    mp.currency,
                    _dec(total_volume * rate, "0.0001" if mp.currency != "JPY" else "1"),
                    "--",
                    "N",
                    "N",
                    "0.00",
                    "",
                    "0.50",
                ]
            )
    return Rendered(header, rows, charset=CHARSETS[mp.region])


_SUMMARY_HEADER = (
    "Date",
    "FNSKU",
    "ASIN",
    "MSKU",
    "Title",
    "Disposition",
    "Starting Warehouse Balance",
    "In Transit Between Warehouses",
    "Receipts",
    "Customer Shipments",
    "Customer Returns",
    "Vendor Returns",
    "Warehouse Transfer In/Out",
    "Found",
    "Lost",
    "Damaged",
    "Disposed",
    "Other Events",
    "Ending Warehouse Balance",
    "Unknown Events",
    "Location",
)
# Ledger event type -> summary column; Adjustments are Found (+) or Lost (-).
_SUMMARY_COLUMN = {
    "Receipts": "Receipts",
    "Shipments": "Customer Shipments",
    "CustomerReturns": "Customer Returns",
}


def summary_period(moment: datetime, period: str) -> date:
    """The first day of the day, week (Sunday to Saturday) or month `moment` (UTC) is in."""
    day = moment.astimezone(UTC).date()
    if period == "WEEKLY":
        return _last_sunday(day)
    if period == "MONTHLY":
        return day.replace(day=1)
    return day


@renderer(LEDGER_SUMMARY_TYPE, windowed=True)
def ledger_summary(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """The ledger's events in [start, end] summed per period, FNSKU, disposition and country
    or fulfilment centre (reportOptions aggregateByLocation, aggregatedByTimePeriod). Japan's
    files write the headers unspaced, as Amazon's attribute page does."""
    by_location = options.get("aggregateByLocation", "COUNTRY")
    period = options.get("aggregatedByTimePeriod", "DAILY")
    sums: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    products: dict[str, Product] = {}
    for day in data.days(mp.id, start, end):
        for e in day.ledger:
            if not _in(e.at, start, end):
                continue
            location = mp.country_code if by_location == "COUNTRY" else e.fulfillment_center
            key = (summary_period(e.at, period), e.product.sku, e.disposition, location)
            products[e.product.sku] = e.product
            if e.event_type == "Adjustments":
                column = "Found" if e.quantity > 0 else "Lost"
            else:
                column = _SUMMARY_COLUMN[e.event_type]
            sums[key][column] += e.quantity
    rows = []
    for (first_day, sku, disposition, location), moved in sorted(sums.items()):
        p = products[sku]
        starting = p.quantity  # the balance before the period (not chained between periods)
        values = {
            "Date": f"{first_day:%m/%Y}" if period == "MONTHLY" else f"{first_day:%m/%d/%Y}",
            "FNSKU": p.fnsku,
            "ASIN": p.asin,
            "MSKU": p.sku,
            "Title": p.name,
            "Disposition": disposition,
            "Starting Warehouse Balance": str(starting),
            "Ending Warehouse Balance": str(starting + sum(moved.values())),
            "Location": location,
        }
        rows.append([values.get(h) or str(moved.get(h, 0)) for h in _SUMMARY_HEADER])
    header = list(_SUMMARY_HEADER)
    if mp.region == "fe":
        header = [h.replace(" ", "") for h in header]
    return Rendered(header, rows, charset=CHARSETS[mp.region])
