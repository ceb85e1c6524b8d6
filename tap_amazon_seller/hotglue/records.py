"""Records in the shapes hotglue's tap emits, from the records this tap reads.

Each function takes one record of a stream of this tap and gives the record of the hotglue
stream made from it, with every property of hotglue's schema (tap_amazon_seller/data/
hotglue_schemas.json) and nothing else; what the source does not carry is null. Written from
hotglue's declared schemas and Amazon's models, not from hotglue's code.
"""

from __future__ import annotations

import typing as t
from datetime import date, datetime
from decimal import Decimal

from tap_amazon_seller.regions import MARKETPLACES_BY_ID

Record = dict[str, t.Any]


def country(marketplace_id: t.Any) -> str | None:
    """hotglue's `marketplace_id`: the marketplace's country code ("US"), not Amazon's id."""
    marketplace = MARKETPLACES_BY_ID.get(str(marketplace_id))
    return marketplace.country_code if marketplace else None


def text(value: t.Any) -> str | None:
    """A typed value back as the text hotglue's string-typed report columns hold: numbers
    with their exact digits, dates in ISO 8601, booleans as "true"/"false"."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def marketplace(row: Record) -> Record:
    return {"id": row.get("countryCode"), "name": row.get("name")}


# hotglue's products_inventory columns that are not the All Listings header with '-' as
# '_': its `fulfilment_channel` is the report's fulfillment-channel; the last two are
# columns some marketplaces' files add (kept by this tap in extra_columns).
_LISTING_RENAMES = {"fulfilment_channel": "fulfillment_channel"}
_LISTING_EXTRAS = ("Minimum order quantity", "Sell remainder")


def listing(row: Record, properties: t.Iterable[str]) -> Record:
    """A products_inventory record: every column as text, as hotglue's schema types it."""
    extras = row.get("extra_columns") or {}
    record: Record = {}
    for name in properties:
        if name == "marketplace_id":
            record[name] = country(row.get("marketplace_id"))
        elif name == "marketplaceIds":
            record[name] = None  # report metadata hotglue's schema names; not a column
        elif name in _LISTING_EXTRAS:
            record[name] = text(extras.get(name))
        else:
            record[name] = text(row.get(_LISTING_RENAMES.get(name, name)))
    return record


def inventory_summary(row: Record) -> Record:
    """A warehouse_inventory record: an FBA inventory summary of one marketplace."""
    return {
        "marketplace_id": country(row.get("marketplace_id")),
        "granularityType": "Marketplace",
        "granularityId": row.get("marketplace_id"),
        "asin": row.get("asin"),
        "fnSku": row.get("fnSku"),
        "sellerSku": row.get("sellerSku"),
        "condition": row.get("condition"),
        "lastUpdatedTime": row.get("lastUpdatedTime"),
        "productName": row.get("productName"),
        "totalQuantity": row.get("totalQuantity"),
        "inventoryDetails": row.get("inventoryDetails"),
    }


def _of_marketplace(entries: t.Any, marketplace_id: str) -> dict:
    """The entry of a Catalog Items 2022-04-01 per-marketplace list for this marketplace."""
    return next(
        (
            e
            for e in entries or []
            if isinstance(e, dict) and e.get("marketplaceId") == marketplace_id
        ),
        {},
    )


def catalog_item_v0(row: Record) -> Record:
    """A product_details record in Catalog Items v0's vocabulary (`Identifiers`,
    `AttributeSets`, `SalesRankings`) from the 2022-04-01 item this tap reads."""
    marketplace_id = str(row.get("marketplace_id"))
    asin = row.get("asin")
    identifiers: dict[str, t.Any] = {
        "MarketplaceASIN": {"MarketplaceId": marketplace_id, "ASIN": asin}
    }
    sku = next(
        (
            i.get("identifier")
            for i in _of_marketplace(row.get("identifiers"), marketplace_id).get("identifiers")
            or []
            if i.get("identifierType") == "SKU"
        ),
        None,
    )
    if sku:
        # v0's SKUIdentifier also names the seller, which the 2022-04-01 item does not.
        identifiers["SKUIdentifier"] = {
            "MarketplaceId": marketplace_id,
            "SellerId": None,
            "SellerSKU": sku,
        }
    summary = _of_marketplace(row.get("summaries"), marketplace_id)
    product_type = _of_marketplace(row.get("productTypes"), marketplace_id).get("productType")
    attribute_sets = (
        [
            {
                "Title": summary.get("itemName"),
                "Brand": summary.get("brand"),
                "Manufacturer": summary.get("manufacturer"),
                "ProductTypeName": product_type,
            }
        ]
        if summary or product_type
        else None
    )
    ranks = _of_marketplace(row.get("salesRanks"), marketplace_id)
    rankings = [
        {"ProductCategoryId": r.get("classificationId"), "Rank": r.get("rank")}
        for r in ranks.get("classificationRanks") or []
    ] + [
        {"ProductCategoryId": r.get("websiteDisplayGroup"), "Rank": r.get("rank")}
        for r in ranks.get("displayGroupRanks") or []
    ]
    return {
        "ASIN": asin,
        "Identifiers": identifiers,
        "AttributeSets": attribute_sets,
        "Relationships": None,  # not read (the relationships dataset is not asked for)
        "SalesRankings": rankings if ranks else None,
        "marketplace_id": country(marketplace_id),
    }


def catalog_item(row: Record) -> Record:
    """A product_catalog_details record: the 2022-04-01 item's identifiers and attributes."""
    return {
        "ASIN": row.get("asin"),
        "identifiers": row.get("identifiers"),
        "attributes": row.get("attributes"),
        "marketplace_id": country(row.get("marketplace_id")),
    }
