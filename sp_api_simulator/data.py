"""The simulated seller's data, generated deterministically from a seed and a size.

The same (seed, size) always gives the same data, so tests can compare what the
tap emitted with what the simulator holds. Text is deliberately international
(é, ü, ß, ñ, Japanese) and money is in each marketplace's currency.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sp_api_simulator import clock

# How much data each size generates (later API families scale their volumes by this).
SIZES = {"small": 1, "medium": 20, "large": 400}


@dataclass(frozen=True)
class MarketplaceProfile:
    id: str
    country_code: str
    name: str
    currency: str
    language: str
    domain: str
    region: str
    participating: bool = True
    suspended_listings: bool = False


MARKETPLACES = (
    MarketplaceProfile("ATVPDKIKX0DER", "US", "Amazon.com", "USD", "en_US", "www.amazon.com", "na"),
    MarketplaceProfile("A2EUQ1WTGCTBG2", "CA", "Amazon.ca", "CAD", "en_CA", "www.amazon.ca", "na"),
    MarketplaceProfile(
        "A1AM78C64UM0Y8",
        "MX",
        "Amazon.com.mx",
        "MXN",
        "es_MX",
        "www.amazon.com.mx",
        "na",
        participating=False,
    ),
    MarketplaceProfile("A1PA6795UKMFR9", "DE", "Amazon.de", "EUR", "de_DE", "www.amazon.de", "eu"),
    MarketplaceProfile("A13V1IB3VIYZZH", "FR", "Amazon.fr", "EUR", "fr_FR", "www.amazon.fr", "eu"),
    MarketplaceProfile(
        "A1F83G8C2ARO7P",
        "GB",
        "Amazon.co.uk",
        "GBP",
        "en_GB",
        "www.amazon.co.uk",
        "eu",
        suspended_listings=True,
    ),
    MarketplaceProfile("A1RKKUPIHCS9HS", "ES", "Amazon.es", "EUR", "es_ES", "www.amazon.es", "eu"),
    MarketplaceProfile(
        "A1VC38T7YXB528", "JP", "Amazon.co.jp", "JPY", "ja_JP", "www.amazon.co.jp", "fe"
    ),
)
MARKETPLACES_BY_ID = {m.id: m for m in MARKETPLACES}

_STORE_NAMES = (
    "Müller & Söhne Haushaltswaren",
    "Café Niño Importaciones",
    "Großhandel Weiß",
    "Boutique Élégance",
    "Señor Peñalosa Outdoor",
    "さくら雑貨店",
)
_BUSINESS_NAMES = ("Bäckerei Krüger GmbH", "Établissements Lefèvre SARL", "Peña y Muñoz S.L.")
_CONTACT_NAMES = ("José Muñoz", "Zoë Åkesson", "Jürgen Groß", "Hélène Côté")


# Product names in each marketplace's language; NA/EU ones are Latin-1 or Cp1252 safe.
_PRODUCT_NAMES = {
    "en": (
        "Café Crème Mug, Größe L",
        "Piñata Party Set - 12 pcs",
        "Señorita Sun Hat",
        "Jalapeño Hot Sauce Trio",
    ),
    "de": (
        "Küchenmesser Größe M – Edelstahl",
        "Weißbier-Gläser (4 Stück)",
        "Fußmatte „Grüß Gott“",
        "Brotdose für Kinder",
    ),
    "fr": (
        "Crème brûlée set – 6 ramequins",
        "Théière en fonte émaillée",
        "Tablier « Chef »",
        "Pâte à modeler",
    ),
    "es": (
        "Paella sartén - 38 cm",  # plain hyphen: MX files are ISO-8859-1
        "Jamón soporte de acero",
        "Cañas de pescar niño",
        "Mantel de algodón",
    ),
    "ja": ("ステンレス包丁 三徳", "抹茶ボウル（茶碗）", "和紙ノート　Ａ５", "木製おもちゃ・積み木"),
}
_CITIES = {
    "US": [("Seattle", "WA", "98101"), ("Austin", "TX", "73301")],
    "CA": [("Montréal", "QC", "H2X 1Y4"), ("Toronto", "ON", "M5V 2T6")],
    "MX": [("Ciudad de México", "CDMX", "06000")],
    "DE": [("München", "BY", "80331"), ("Köln", "NW", "50667")],
    "FR": [("Besançon", "", "25000"), ("Orléans", "", "45000")],
    "GB": [("London", "", "SW1A 1AA")],
    "ES": [("A Coruña", "", "15001"), ("Málaga", "", "29001")],
    "JP": [("東京都", "渋谷区", "150-0001")],
}
_FULFILLMENT_CENTERS = {"na": ("SEA8", "PHX6"), "eu": ("MUC3", "LEJ1", "BCN1"), "fe": ("NRT1",)}


@dataclass(frozen=True)
class Product:
    sku: str
    asin: str
    fnsku: str
    name: str
    price: Decimal
    quantity: int
    opened: datetime


@dataclass(frozen=True)
class Shipment:
    """One shipped order item (FBA): the shipment, sales and settlement reports read these."""

    order_id: str
    shipment_id: str
    item_id: str
    product: Product
    quantity: int
    purchased: datetime
    shipped: datetime
    fulfillment_center: str
    city: tuple[str, str, str]


@dataclass(frozen=True)
class Return:
    order_id: str
    rma_id: str
    product: Product
    quantity: int
    returned: datetime
    reason: str
    disposition: str
    refunded: Decimal


@dataclass(frozen=True)
class LedgerEvent:
    at: datetime
    product: Product
    event_type: str
    reference_id: str
    quantity: int
    fulfillment_center: str
    disposition: str


@dataclass(frozen=True)
class DayActivity:
    shipments: tuple[Shipment, ...]
    returns: tuple[Return, ...]
    ledger: tuple[LedgerEvent, ...]


class SellerData:
    """Everything the simulated seller has; API family modules read from it."""

    def __init__(
        self,
        *,
        seed: int = 1,
        size: str = "small",
        orders_as_of: datetime | None = None,
        orders_per_day: int | None = None,
    ) -> None:
        from sp_api_simulator.orders_data import OrderBook

        if size not in SIZES:
            raise ValueError(f"size must be one of {', '.join(SIZES)}")
        self.seed = seed
        self.size = size
        self.scale = SIZES[size]
        rng = random.Random(seed)
        self.store_names = {m.id: rng.choice(_STORE_NAMES) for m in MARKETPLACES}
        self.business_name = rng.choice(_BUSINESS_NAMES)
        self.contact_name = rng.choice(_CONTACT_NAMES)
        self._products: dict[str, list[Product]] = {}
        self._days: dict[tuple[str, date], DayActivity] = {}
        #: The orders (Orders APIs and order reports), frozen as of `orders_as_of`.
        self.orders = OrderBook(
            self,
            as_of=orders_as_of or clock.now() - timedelta(minutes=10),
            orders_per_day=orders_per_day,
        )

    # -- catalogue and activity, read by the report and order families -----------------

    def products(self, marketplace_id: str) -> list[Product]:
        """The seller's listings in a marketplace (fixed for a seed and size)."""
        if marketplace_id not in self._products:
            profile = MARKETPLACES_BY_ID[marketplace_id]
            rng = random.Random(f"{self.seed}:products:{marketplace_id}")
            names = _PRODUCT_NAMES.get(profile.language[:2], _PRODUCT_NAMES["en"])
            self._products[marketplace_id] = [
                Product(
                    sku=f"SKU-{profile.country_code}-{index:04d}",
                    asin=f"B0{rng.randrange(16**8):08X}",
                    fnsku=f"X00{rng.randrange(16**7):07X}",
                    name=f"{names[index % len(names)]} #{index}",
                    price=Decimal(rng.randrange(199, 9999))
                    / 100
                    * (100 if profile.currency == "JPY" else 1),
                    quantity=rng.randrange(0, 250),
                    opened=datetime(2024, 1, 1, tzinfo=UTC)
                    + timedelta(minutes=rng.randrange(600_000)),
                )
                for index in range(6 * self.scale)
            ]
        return self._products[marketplace_id]

    def day(self, marketplace_id: str, day: date) -> DayActivity:
        """What happened in a marketplace on a UTC day; the same for every call."""
        key = (marketplace_id, day)
        if key not in self._days:
            self._days[key] = self._make_day(marketplace_id, day)
        return self._days[key]

    def days(self, marketplace_id: str, start: datetime, end: datetime) -> list[DayActivity]:
        first, last = start.astimezone(UTC).date(), end.astimezone(UTC).date()
        return [
            self.day(marketplace_id, first + timedelta(days=n))
            for n in range((last - first).days + 1)
        ]

    def _make_day(self, marketplace_id: str, day: date) -> DayActivity:
        profile = MARKETPLACES_BY_ID[marketplace_id]
        rng = random.Random(f"{self.seed}:{marketplace_id}:{day.isoformat()}")
        products = self.products(marketplace_id)
        midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
        centers = _FULFILLMENT_CENTERS[profile.region]
        cities = _CITIES.get(profile.country_code, [("City", "", "00000")])

        def moment(index: int) -> datetime:
            # Every seventh day the first event falls exactly on midnight: a window edge.
            if index == 0 and day.toordinal() % 7 == 0:
                return midnight
            return midnight + timedelta(seconds=rng.randrange(1, 86400))

        shipments = []
        for index in range(rng.randrange(0, 3 * self.scale + 1)):
            product = rng.choice(products)
            shipped = moment(index)
            order = (
                f"{rng.randrange(100, 999)}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
            )
            shipments.append(
                Shipment(
                    order_id=order,
                    shipment_id=f"D{rng.randrange(10**9):09d}",
                    item_id=f"{rng.randrange(10**13):013d}",
                    product=product,
                    quantity=rng.randrange(1, 4),
                    purchased=shipped - timedelta(hours=rng.randrange(1, 48)),
                    shipped=shipped,
                    fulfillment_center=rng.choice(centers),
                    city=rng.choice(cities),
                )
            )
        returns = []
        for index in range(rng.randrange(0, self.scale + 1)):
            product = rng.choice(products)
            returns.append(
                Return(
                    order_id=f"{rng.randrange(100, 999)}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}",
                    rma_id=f"D{rng.randrange(10**8):08d}RMA",
                    product=product,
                    quantity=1,
                    returned=moment(index + 1),
                    reason=rng.choice(("DEFECTIVE", "UNWANTED_ITEM", "NOT_AS_DESCRIBED")),
                    disposition=rng.choice(("SELLABLE", "CUSTOMER_DAMAGED", "DEFECTIVE")),
                    refunded=product.price,
                )
            )
        ledger = [
            LedgerEvent(
                at=moment(index),
                product=rng.choice(products),
                event_type=rng.choice(("Shipments", "Receipts", "CustomerReturns", "Adjustments")),
                reference_id=f"{rng.randrange(10**10):010d}",
                quantity=rng.choice((-2, -1, 1, 5, 12)),
                fulfillment_center=rng.choice(centers),
                disposition=rng.choice(("SELLABLE", "DEFECTIVE")),
            )
            for index in range(rng.randrange(0, 2 * self.scale + 1))
        ]
        return DayActivity(tuple(shipments), tuple(returns), tuple(ledger))

    def marketplaces(self, region: str | None = None) -> list[MarketplaceProfile]:
        return [m for m in MARKETPLACES if region is None or m.region == region]

    def participations(self, region: str) -> list[dict[str, Any]]:
        """Sellers `MarketplaceParticipationList` of one region."""
        return [
            {
                "marketplace": {
                    "id": m.id,
                    "name": m.name,
                    "countryCode": m.country_code,
                    "defaultCurrencyCode": m.currency,
                    "defaultLanguageCode": m.language,
                    "domainName": m.domain,
                },
                "participation": {
                    "isParticipating": m.participating,
                    "hasSuspendedListings": m.suspended_listings,
                },
                "storeName": self.store_names[m.id],
            }
            for m in self.marketplaces(region)
        ]

    def account(self, region: str) -> dict[str, Any]:
        """Sellers `Account` as getAccount returns it in `region`."""
        return {
            "marketplaceParticipationList": self.participations(region),
            "businessType": "PRIVATE_LIMITED",
            "sellingPlan": "PROFESSIONAL",
            "business": {
                "name": self.business_name,
                "nonLatinName": "ミュラー商会株式会社",
                "registeredBusinessAddress": {
                    "addressLine1": "Königstraße 12",
                    "city": "München",
                    "postalCode": "80331",
                    "countryCode": "DE",
                },
                "companyRegistrationNumber": f"HRB {100000 + self.seed}",
            },
            "primaryContact": {
                "name": self.contact_name,
                "address": {
                    "addressLine1": "Calle de Alcalá 45",
                    "city": "Madrid",
                    "postalCode": "28014",
                    "countryCode": "ES",
                },
            },
        }
