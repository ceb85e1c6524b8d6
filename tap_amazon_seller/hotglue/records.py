"""Records in the shapes hotglue's tap emits, from the records this tap reads.

Each function takes one record of a stream of this tap and gives the record of the hotglue
stream made from it, with every property of hotglue's schema (tap_amazon_seller/data/
hotglue_schemas.json) and nothing else; what the source does not carry is null. Written from
hotglue's declared schemas and Amazon's models, not from hotglue's code.
"""

from __future__ import annotations

import re
import typing as t
from datetime import date, datetime
from decimal import Decimal

from tap_amazon_seller import clock
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


def snake(name: str) -> str:
    """A report header as the tap names its column: `seller-sku`, `Event Type` ->
    seller_sku, event_type."""
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


Special = t.Mapping[str, t.Callable[[Record], t.Any]]


def fitted(row: Record, schema: dict[str, t.Any], special: Special | None = None) -> Record:
    """The record of hotglue's `schema` from one of the tap's: each property from the
    row's field of its name, else of its snake_case name (the tap's name of a report
    column hotglue keeps as Amazon heads it), else null; `marketplace_id` as the country
    code; a number or boolean as text where hotglue types the property as text only.
    `special` gives the properties made otherwise."""
    special = special or {}
    record: Record = {}
    for name, declared in schema["properties"].items():
        if name in special:
            value = special[name](row)
        elif name == "marketplace_id":
            value = country(row.get("marketplace_id"))
        else:
            value = row[name] if name in row else row.get(snake(name))
        types = declared.get("type") or ()
        if not isinstance(value, str | dict | list) and set(types) <= {"string", "null"}:
            value = text(value)
        record[name] = value
    return record


def marketplace(row: Record) -> Record:
    return {"id": row.get("countryCode"), "name": row.get("name")}


def _extra_column(name: str) -> t.Callable[[Record], t.Any]:
    return lambda row: (row.get("extra_columns") or {}).get(name)


#: products_inventory: hotglue's `fulfilment_channel` is the report's fulfillment-channel;
#: `marketplaceIds` is report metadata, not a column; the last two are columns some
#: marketplaces' files add (kept by the tap in extra_columns).
LISTING: Special = {
    "fulfilment_channel": lambda row: row.get("fulfillment_channel"),
    "marketplaceIds": lambda row: None,
    "Minimum order quantity": _extra_column("Minimum order quantity"),
    "Sell remainder": _extra_column("Sell remainder"),
}
#: warehouse_inventory: summaries asked with granularity Marketplace.
INVENTORY_SUMMARY: Special = {
    "granularityType": lambda row: "Marketplace",
    "granularityId": lambda row: row.get("marketplace_id"),
}


def _interval(end: str) -> t.Callable[[Record], t.Any]:
    return lambda row: (row.get("timeInterval") or {}).get(end)


#: Replenishment: the interval as Amazon wrote it (the tap's report_* dates are normalised).
INTERVAL: Special = {
    "interval_start_date": _interval("startDate"),
    "interval_end_date": _interval("endDate"),
}
#: The forecast also says when it was read, by the tap's clock.
FORECAST: Special = {
    **INTERVAL,
    "synced_at": lambda row: clock.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
}


def _month_first(value: t.Any) -> str | None:
    """An ISO date as the ledger report writes it, MM/DD/YYYY."""
    return date.fromisoformat(value).strftime("%m/%d/%Y") if isinstance(value, str) else None


#: hotglue's `reports`: the ledger's rows with the report's id, `Date` as the report wrote
#: it (MM/DD/YYYY: hotglue keeps it so there, though it declares a date-time).
LEDGER_AS_LISTED: Special = {
    "reportId": lambda row: row.get("report_id"),
    "marketplaceIds": lambda row: None,
    "Date": lambda row: _month_first(row.get("date")),
}


#: hotglue's sales_traffic_report: one record a report document, with the report's id.
REPORT_DOCUMENT: Special = {"reportId": lambda row: row.get("report_id")}


def _event_list(name: str) -> t.Callable[[Record], t.Any]:
    # Null where the order had no event of the kind that day: [] would say it has none at
    # all, which a record of one day of its events cannot tell.
    return lambda row: (row.get("events") or {}).get(name)


def order_events(names: t.Iterable[str]) -> Special:
    """hotglue's orderfinancialevents: each of Amazon's event lists (`ShipmentEventList`...)
    from the tap's record of an order's events of one day."""
    lists = {name: _event_list(name) for name in names if name.endswith("EventList")}
    return {"AmazonOrderId": lambda row: row.get("amazon_order_id"), **lists}


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
