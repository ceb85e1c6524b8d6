"""FBA Inventory v1 and AWD 2024-05-09: inventory levels read from the APIs."""

from __future__ import annotations

import typing as t

from tap_amazon_seller.schemas import model_schema
from tap_amazon_seller.streams.base import PagedApiStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

_MARKETPLACE = {"marketplace_id": {"type": ["string"]}, "region": {"type": ["string", "null"]}}


class FbaInventorySummariesStream(PagedApiStream):
    """getInventorySummaries with details, one marketplace at a time (full table)."""

    name = "fba_inventory_summaries"
    primary_keys: t.ClassVar[list[str]] = ["marketplace_id", "sellerSku"]
    replication_key = None
    required_role = "Amazon Fulfillment"
    operation = "fbaInventory.getInventorySummaries"
    records_path = ("payload", "inventorySummaries")
    token_path = ("pagination", "nextToken")
    schema = model_schema("fbaInventory.InventorySummary", **_MARKETPLACE)

    def params(self, context: Context | None) -> dict[str, t.Any]:
        assert context is not None
        marketplace = context["marketplace_id"]
        return {
            "details": "true",
            "granularityType": "Marketplace",
            "granularityId": marketplace,
            "marketplaceIds": marketplace,
        }


class AwdInventoryStream(PagedApiStream):
    """AWD listInventory with details, per region where AWD exists (North America)."""

    name = "awd_inventory"
    primary_keys: t.ClassVar[list[str]] = ["region", "sku"]
    replication_key = None
    required_role = "Amazon Warehousing and Distribution"
    available_regions = ("na",)
    per_marketplace = False
    operation = "awd_2024-05-09.listInventory"
    records_path = ("inventory",)
    schema = model_schema("awd_2024-05-09.InventorySummary", region={"type": ["string"]})

    def params(self, context: Context | None) -> dict[str, t.Any]:
        return {"details": "SHOW", "maxResults": 200}
