"""Sellers API: the marketplaces the seller participates in, and the account."""

from __future__ import annotations

import typing as t
from collections.abc import Iterable

from singer_sdk import typing as th

from tap_amazon_seller.casting import as_bool
from tap_amazon_seller.streams.base import SpApiStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_amazon_seller.client import SpApiClient

_ADDRESS = th.ObjectType(
    th.Property("addressLine1", th.StringType),
    th.Property("addressLine2", th.StringType),
    th.Property("countryCode", th.StringType),
    th.Property("stateOrProvinceCode", th.StringType),
    th.Property("city", th.StringType),
    th.Property("postalCode", th.StringType),
)
_MARKETPLACE = th.ObjectType(
    th.Property("id", th.StringType),
    th.Property("name", th.StringType),
    th.Property("countryCode", th.StringType),
    th.Property("defaultCurrencyCode", th.StringType),
    th.Property("defaultLanguageCode", th.StringType),
    th.Property("domainName", th.StringType),
)
_PARTICIPATION = th.ObjectType(
    th.Property("isParticipating", th.BooleanType),
    th.Property("hasSuspendedListings", th.BooleanType),
)
_MARKETPLACE_PARTICIPATION = th.ObjectType(
    th.Property("marketplace", _MARKETPLACE),
    th.Property("participation", _PARTICIPATION),
    th.Property("storeName", th.StringType),
)


_MARKETPLACE_FIELDS = (
    "id",
    "name",
    "countryCode",
    "defaultCurrencyCode",
    "defaultLanguageCode",
    "domainName",
)


class MarketplacesStream(SpApiStream):
    """Every marketplace of `getMarketplaceParticipations`, one flat record each.

    Non-participating marketplaces are emitted too, with `isParticipating` false, so
    the table shows the whole account; partitioned streams use only participating ones.
    """

    name = "marketplaces"
    primary_keys: t.ClassVar[list[str]] = ["id"]
    replication_key = None
    required_role = "Product Listing (or Selling Partner Insights)"
    schema = th.PropertiesList(
        th.Property("id", th.StringType, required=True, description="Amazon marketplace id"),
        th.Property("name", th.StringType),
        th.Property("countryCode", th.StringType),
        th.Property("defaultCurrencyCode", th.StringType),
        th.Property("defaultLanguageCode", th.StringType),
        th.Property("domainName", th.StringType),
        th.Property("storeName", th.StringType),
        th.Property("isParticipating", th.BooleanType),
        th.Property("hasSuspendedListings", th.BooleanType),
        th.Property("region", th.StringType, description="SP-API region: na, eu or fe"),
    ).to_dict()

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterable[dict]:
        for item in self.amazon.participations(client.region):
            marketplace = item.get("marketplace") or {}
            participation = item.get("participation") or {}
            yield {
                **{key: marketplace.get(key) for key in _MARKETPLACE_FIELDS},
                "storeName": item.get("storeName"),
                "isParticipating": as_bool(participation.get("isParticipating")),
                "hasSuspendedListings": as_bool(participation.get("hasSuspendedListings")),
                "region": client.region,
            }


class AccountStream(SpApiStream):
    """`getAccount`, as Amazon's model shapes it; Amazon offers it in the EU region only."""

    name = "account"
    primary_keys: t.ClassVar[list[str]] = ["region"]
    replication_key = None
    required_role = "Finance and Accounting (or Account Information Service Provider)"
    available_regions = ("eu",)
    schema = th.PropertiesList(
        th.Property("region", th.StringType, required=True),
        th.Property("businessType", th.StringType),
        th.Property("sellingPlan", th.StringType),
        th.Property(
            "business",
            th.ObjectType(
                th.Property("name", th.StringType),
                th.Property("registeredBusinessAddress", _ADDRESS),
                th.Property("companyRegistrationNumber", th.StringType),
                th.Property("companyTaxIdentificationNumber", th.StringType),
                th.Property("nonLatinName", th.StringType),
            ),
        ),
        th.Property(
            "primaryContact",
            th.ObjectType(
                th.Property("name", th.StringType),
                th.Property("address", _ADDRESS),
                th.Property("nonLatinName", th.StringType),
            ),
        ),
        th.Property("marketplaceParticipationList", th.ArrayType(_MARKETPLACE_PARTICIPATION)),
    ).to_dict()

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterable[dict]:
        payload = client.call("sellers.getAccount").get("payload") or {}
        for item in payload.get("marketplaceParticipationList") or []:
            participation = item.get("participation") or {}
            for flag in ("isParticipating", "hasSuspendedListings"):
                if flag in participation:
                    participation[flag] = as_bool(participation[flag])
        yield {"region": client.region, **payload}
