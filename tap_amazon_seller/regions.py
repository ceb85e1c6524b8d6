"""SP-API regions, their endpoints, and the marketplaces in each.

The marketplace table comes from python-amazon-sp-api's `Marketplaces` enum (it
is kept up to date with Amazon's list); this module only adds what the enum does
not carry: the short region code the tap uses and the per-region hosts.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from sp_api.base import Marketplaces

LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"


@dataclass(frozen=True)
class Region:
    code: str  # "na", "eu" or "fe"
    host: str
    sandbox_host: str
    aws_region: str

    def base_url(self, *, sandbox: bool = False) -> str:
        return f"https://{self.sandbox_host if sandbox else self.host}"


REGIONS: dict[str, Region] = {
    code: Region(
        code=code,
        host=f"sellingpartnerapi-{code}.amazon.com",
        sandbox_host=f"sandbox.sellingpartnerapi-{code}.amazon.com",
        aws_region=aws_region,
    )
    for code, aws_region in (("na", "us-east-1"), ("eu", "eu-west-1"), ("fe", "us-west-2"))
}


@dataclass(frozen=True)
class Marketplace:
    id: str
    country_code: str
    region: str


def _region_of_endpoint(endpoint: str) -> str:
    for code in REGIONS:
        if f"-{code}." in endpoint:
            return code
    raise ValueError(f"unknown SP-API endpoint {endpoint}")


MARKETPLACES_BY_COUNTRY: dict[str, Marketplace] = {
    member.name: Marketplace(
        member.marketplace_id, member.name, _region_of_endpoint(member.endpoint)
    )
    for member in Marketplaces
}
# "UK" is the enum's alias of "GB": keep it for lookups, but report "GB" as the country.
MARKETPLACES_BY_COUNTRY["UK"] = MARKETPLACES_BY_COUNTRY["GB"]
MARKETPLACES_BY_ID: dict[str, Marketplace] = {
    m.id: m for code, m in MARKETPLACES_BY_COUNTRY.items() if code != "UK"
}


def resolve_marketplace(value: str) -> Marketplace | None:
    """Look up a marketplace by its id (`ATVPDKIKX0DER`) or country code (`US`)."""
    text = value.strip()
    return MARKETPLACES_BY_ID.get(text) or MARKETPLACES_BY_COUNTRY.get(text.upper())


# How a marketplace's site writes a date, the order a local date column is read in. Month
# first in the US and Canada (11/20/2026, 11/20/26); year first in Japan (2026/11/20, and
# 26/11/20 with a short year, as its seller feedback writes it: Airbyte's connector reads JP
# feedback dates as YY/M/D, airbytehq/airbyte#8810); day first elsewhere (20/11/2026,
# 20.11.26).
MONTH_FIRST_COUNTRIES = frozenset(("US", "CA"))
YEAR_FIRST_COUNTRIES = frozenset(("JP",))

DateOrder = t.Literal["MDY", "DMY", "YMD"]


def date_order(marketplace_id: str) -> DateOrder:
    marketplace = MARKETPLACES_BY_ID.get(marketplace_id)
    if marketplace is None or marketplace.country_code in MONTH_FIRST_COUNTRIES:
        return "MDY"
    return "YMD" if marketplace.country_code in YEAR_FIRST_COUNTRIES else "DMY"
