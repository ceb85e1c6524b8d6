"""Report documents of the listings family (active, back-compat, cancelled, suppressed,
defects), seller feedback, and the archived and unshipped orders reports.

Columns follow Amazon's report type pages and Seller Central's downloads; the registry
declares them independently, so a mismatch fails a comparison test. Seller feedback is
the one report Amazon writes in the marketplace's language: localised headers and dates
the way the marketplace's site writes them (11/20/26, 20/11/2026, 20.11.26, 2026/11/20).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sp_api_simulator.data import MarketplaceProfile, SellerData
from sp_api_simulator.report_documents import (
    CHARSETS,
    LISTING_HEADER,
    ORDERS_HEADER,
    Rendered,
    _order_rows,
    iso_local,
    listing_row,
    listing_state,
    renderer,
)

# Months the listings stay in Amazon's files after they were archived: the archived orders
# report holds orders older than this (18 months).
ARCHIVE_AGE = timedelta(days=548)


def _listings(data: SellerData, mp: MarketplaceProfile, state: str) -> list[list[str]]:
    return [
        listing_row(
            f"{2000 + i:04d}{p.asin[-6:]}",
            p,
            mp,
            quantity=str(p.quantity) if state == "Active" else "0",
        )
        for i, p in enumerate(data.products(mp.id))
        if listing_state(i) == state
    ]


@renderer("GET_MERCHANT_LISTINGS_DATA")
def active_listings(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    # Business prices come as extra columns for B2B sellers: here in EU files.
    header = list(LISTING_HEADER)
    rows = _listings(data, mp, "Active")
    if mp.region == "eu":
        header.append("Business Price")
        rows = [[*row, row[4]] for row in rows]
    return Rendered(header, rows, charset=CHARSETS[mp.region])


@renderer("GET_MERCHANT_LISTINGS_DATA_BACK_COMPAT")
def active_listings_back_compat(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """The older layout of the active listings: the same columns without the shipping group."""
    rows = [row[:-1] for row in _listings(data, mp, "Active")]
    return Rendered(LISTING_HEADER[:-1], rows, charset=CHARSETS[mp.region])


@renderer("GET_MERCHANT_CANCELLED_LISTINGS_DATA")
def cancelled_listings(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    return Rendered(
        [*LISTING_HEADER, "status"],
        [[*row, "Cancelled"] for row in _listings(data, mp, "Cancelled")],
        charset=CHARSETS[mp.region],
    )


_SUPPRESSION_REASONS = (
    ("Missing information", "Missing main image: add a main image to the listing."),
    ("Pricing error", "Price is much higher than recent prices of this product."),
    ("Detail page removed", "The listing was removed for a policy violation."),
)


def local_date(moment: datetime, mp: MarketplaceProfile, *, short_year: bool = False) -> str:
    """A date the way the marketplace's site writes it. The short-year forms are the seller
    feedback report's, unpadded (M/D/YY in the US, D.M.YY in Germany, YY/M/D in Japan,
    D/M/YY elsewhere: the formats Airbyte's connector reads them with, airbytehq/airbyte#8810)."""
    if short_year:
        day, month, year = moment.day, moment.month, moment.strftime("%y")
        if mp.country_code in ("US", "CA"):
            return f"{month}/{day}/{year}"
        if mp.country_code == "JP":
            return f"{year}/{month}/{day}"
        if mp.country_code == "DE":
            return f"{day}.{month}.{year}"
        return f"{day}/{month}/{year}"
    if mp.country_code in ("US", "CA"):
        return moment.strftime("%m/%d/%Y")
    if mp.country_code == "JP":
        return moment.strftime("%Y/%m/%d")
    if mp.country_code == "DE":
        return moment.strftime("%d.%m.%Y")
    return moment.strftime("%d/%m/%Y")


@renderer("GET_MERCHANTS_LISTINGS_FYP_REPORT")
def suppressed_listings(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """Suppressed listings ("Fix Your Products"): every fifth product, with the reason."""
    header = [
        "Status",
        "Reason",
        "SKU",
        "ASIN",
        "Product name",
        "Condition",
        "Status Change Date",
        "Issue Description",
    ]
    rows = []
    for i, p in enumerate(data.products(mp.id)):
        if i % 5 != 2:
            continue
        reason, issue = _SUPPRESSION_REASONS[i % len(_SUPPRESSION_REASONS)]
        changed = p.opened + timedelta(days=30 + i)
        rows.append(
            [
                "Search Suppressed",
                reason,
                p.sku,
                p.asin,
                p.name,
                "New",
                local_date(changed, mp),
                issue,
            ]
        )
    return Rendered(header, rows, charset=CHARSETS[mp.region])


@renderer("GET_MERCHANT_LISTINGS_DEFECT_DATA")
def listing_defects(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """Listing quality alerts: a report type the tap has no stream for (read generically)."""
    header = ["sku", "product-name", "asin", "field-name", "alert-type", "current-value"]
    rows = [
        [p.sku, p.name, p.asin, "main_image_url", "Missing", ""]
        for i, p in enumerate(data.products(mp.id))
        if i % 4 == 0
    ]
    return Rendered(header, rows, charset=CHARSETS[mp.region])


# -- seller feedback ----------------------------------------------------------------------

FEEDBACK_HEADERS = {
    "en": ["Date", "Rating", "Comments", "Response", "Order ID", "Rater Email"],
    "de": [
        "Datum",
        "Bewertung",
        "Kommentare",
        "Ihre Antwort",
        "Bestellnummer",
        "E-Mail des Bewerters",
    ],
    "fr": [
        "Date",
        "Évaluation",
        "Commentaires",
        "Réponse",
        "Numéro de commande",
        "E-mail de l'évaluateur",
    ],
    "es": [
        "Fecha",
        "Valoración",
        "Comentarios",
        "Respuesta",
        "Número de pedido",
        "Correo electrónico del evaluador",
    ],
    "ja": ["日付", "評価", "コメント", "回答", "注文番号", "評価者のEメール"],
}
FEEDBACK_COMMENTS = {
    "en": ("Arrived quickly, as described.", "Très bien, merci!", "Box was damaged."),
    "de": (
        "Schnelle Lieferung, gerne wieder!",
        "Artikel wie beschrieben – danke.",
        "Verpackung beschädigt.",
    ),
    "fr": ("Très bon vendeur, livraison rapide.", "Conforme à la description.", "Colis abîmé."),
    "es": ("Envío rápido, todo correcto.", "Producto según la descripción.", "Llegó dañado."),
    "ja": (
        "迅速な対応ありがとうございました。",
        "説明通りの商品でした。",
        "箱が破損していました。",
    ),
}


def feedback_of(data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime) -> list:
    """(date left, rating, comment, response, order id, rater email) of the feedback left in
    start..end: one buyer in four leaves it, two to nine days after ordering."""
    language = mp.language[:2] if mp.language[:2] in FEEDBACK_HEADERS else "en"
    comments = FEEDBACK_COMMENTS[language]
    result = []
    orders = data.orders.created_between(mp.id, start - timedelta(days=9), end)
    for order in orders:
        rng = random.Random(f"feedback:{order.order_id}")
        if order.status == "CANCELLED" or rng.random() > 0.25:
            continue
        left = order.created + timedelta(days=rng.randint(2, 9))
        if not start <= left <= end or left > data.orders.as_of:
            continue
        rating = rng.choice((5, 5, 5, 4, 3, 1))
        comment = comments[0] if rating >= 4 else comments[1] if rating == 3 else comments[2]
        response = "Sorry about that: a replacement is on its way." if rating == 1 else ""
        email = f"{order.order_id[-7:]}@marketplace.{mp.domain.removeprefix('www.')}"
        result.append((left, rating, comment, response, order.order_id, email))
    return sorted(result)


@renderer("GET_SELLER_FEEDBACK_DATA", windowed=True)
def seller_feedback(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    language = mp.language[:2] if mp.language[:2] in FEEDBACK_HEADERS else "en"
    rows = [
        [local_date(left, mp, short_year=True), str(rating), comment, response, order_id, email]
        for left, rating, comment, response, order_id, email in feedback_of(data, mp, start, end)
    ]
    return Rendered(FEEDBACK_HEADERS[language], rows, charset=CHARSETS[mp.region])


# -- orders: archived, unshipped --------------------------------------------------------


@renderer("GET_FLAT_FILE_ARCHIVED_ORDERS_DATA_BY_ORDER_DATE", windowed=True)
def archived_orders(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """The All Orders columns, for orders placed in the window that are archived (older
    than 18 months)."""
    archived_before = data.orders.as_of - ARCHIVE_AGE
    orders = sorted(
        (o for o in data.orders.created_between(mp.id, start, end) if o.created < archived_before),
        key=lambda o: o.created,
    )
    return Rendered(ORDERS_HEADER, _order_rows(orders, mp), charset=CHARSETS[mp.region])


UNSHIPPED_HEADER = [
    "order-id",
    "order-item-id",
    "purchase-date",
    "payments-date",
    "reporting-date",
    "promise-date",
    "days-past-promise",
    "buyer-email",
    "buyer-name",
    "buyer-phone-number",
    "sku",
    "product-name",
    "quantity-purchased",
    "quantity-shipped",
    "quantity-to-ship",
    "ship-service-level",
    "recipient-name",
    "ship-address-1",
    "ship-address-2",
    "ship-address-3",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "is-business-order",
    "purchase-order-number",
    "price-designation",
    "is-prime",
]
UNSHIPPED_DAYS = 30  # how far back the unshipped orders report looks


@renderer("GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING")
def unshipped_orders(
    data: SellerData, mp: MarketplaceProfile, start: datetime, end: datetime, options: dict
) -> Rendered:
    """Seller-fulfilled order items still to ship, with the buyer's name and address (a
    restricted report: its document is only given for a Restricted Data Token)."""
    now = data.orders.as_of
    orders = data.orders.created_between(mp.id, now - timedelta(days=UNSHIPPED_DAYS), now)
    rows = []
    for order in sorted(orders, key=lambda o: o.created):
        if order.fulfilled_by != "MERCHANT" or order.status not in (
            "UNSHIPPED",
            "PARTIALLY_SHIPPED",
        ):
            continue
        promise = order.created + timedelta(days=2)
        late = max(0, (now - promise).days)
        for index, line in enumerate(order.lines):
            shipped = line.quantity if order.status == "PARTIALLY_SHIPPED" and index == 0 else 0
            rows.append(
                [
                    order.order_id,
                    line.item_id,
                    iso_local(order.created, mp),
                    iso_local(order.created, mp),
                    iso_local(order.created + timedelta(minutes=5), mp),
                    iso_local(promise, mp),
                    str(late),
                    order.buyer_email,
                    order.buyer_name,
                    order.phone,
                    line.product.sku,
                    line.product.name,
                    str(line.quantity),
                    str(shipped),
                    str(line.quantity - shipped),
                    "Standard",
                    order.buyer_name,
                    order.street,
                    "",
                    "",
                    *order.city,
                    order.country,
                    "true" if order.business else "false",
                    order.purchase_order_number or "",
                    "",
                    "false",
                ]
            )
    # UTF-8 in every region: buyers' names and addresses hold any script.
    return Rendered(UNSHIPPED_HEADER, rows, charset="UTF-8")
