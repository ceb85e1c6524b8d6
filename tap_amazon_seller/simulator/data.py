"""The simulated seller's data, generated deterministically from a seed and a size.

The same (seed, size) always gives the same data, so tests can compare what the
tap emitted with what the simulator holds. Text is deliberately international
(é, ü, ß, ñ, Japanese) and money is in each marketplace's currency.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

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


class SellerData:
    """Everything the simulated seller has; API family modules read from it."""

    def __init__(self, *, seed: int = 1, size: str = "small") -> None:
        if size not in SIZES:
            raise ValueError(f"size must be one of {', '.join(SIZES)}")
        self.seed = seed
        self.size = size
        self.scale = SIZES[size]
        rng = random.Random(seed)
        self.store_names = {m.id: rng.choice(_STORE_NAMES) for m in MARKETPLACES}
        self.business_name = rng.choice(_BUSINESS_NAMES)
        self.contact_name = rng.choice(_CONTACT_NAMES)

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
