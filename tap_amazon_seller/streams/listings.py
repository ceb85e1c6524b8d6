"""Listings Items 2021-08-01: the seller's listings with their status, offers and issues."""

from __future__ import annotations

import typing as t

from tap_amazon_seller.schemas import model_schema
from tap_amazon_seller.streams.base import PagedApiStream

if t.TYPE_CHECKING:
    from collections.abc import Iterable

    from singer_sdk.helpers.types import Context

    from tap_amazon_seller.client import SpApiClient


class ListingsItemsStream(PagedApiStream):
    """searchListingsItems per marketplace, 20 a page (full table). Needs `seller_id`."""

    name = "listings_items"
    primary_keys: t.ClassVar[list[str]] = ["marketplace_id", "sku"]
    replication_key = None
    required_role = "Product Listing"
    operation = "listingsItems_2021-08-01.searchListingsItems"
    records_path = ("items",)
    token_path = ("pagination", "nextToken")
    token_param = "pageToken"
    schema = model_schema(
        "listingsItems_2021-08-01.Item",
        marketplace_id={"type": ["string"]},
        region={"type": ["string", "null"]},
    )

    def params(self, context: Context | None) -> dict[str, t.Any]:
        assert context is not None
        return {
            "marketplaceIds": context["marketplace_id"],
            "includedData": "summaries,attributes,issues,offers,fulfillmentAvailability",
            "pageSize": 20,
        }

    def path_params(self, context: Context | None) -> dict[str, str]:
        return {"sellerId": self.amazon.settings.seller_id or ""}

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterable[dict]:
        if not self.amazon.settings.seller_id:
            self.logger.warning(
                "Stream listings_items needs seller_id (your merchant token, Seller Central > "
                "Settings > Account Info); set it to sync this stream. Skipped."
            )
            return []
        return super().fetch(client, context)
