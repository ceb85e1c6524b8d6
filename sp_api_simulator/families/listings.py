"""Listings Items 2021-08-01 (models/listingsItems_2021-08-01.json): searchListingsItems and
getListingsItem."""

from __future__ import annotations

from typing import Any

from sp_api_simulator.paging import page_of
from sp_api_simulator.server import Request, Response, Simulator, error_response, route

ROLES = ("Product Listing",)
INCLUDED = (
    "summaries",
    "attributes",
    "issues",
    "offers",
    "fulfillmentAvailability",
    "procurement",
    "relationships",
    "productTypes",
)
PAGE = 10  # Amazon's default pageSize (at most 20)


def listings_item(product: Any, profile: Any, included: set[str], index: int) -> dict[str, Any]:
    stamp = product.opened.isoformat().replace("+00:00", "Z")
    item: dict[str, Any] = {"sku": product.sku}
    if "summaries" in included:
        item["summaries"] = [
            {
                "marketplaceId": profile.id,
                "asin": product.asin,
                "productType": "KITCHEN",
                "conditionType": "new_new",
                "status": ["BUYABLE", "DISCOVERABLE"] if product.quantity else ["DISCOVERABLE"],
                "fnSku": product.fnsku,
                "itemName": product.name,
                "createdDate": stamp,
                "lastUpdatedDate": stamp,
            }
        ]
    if "attributes" in included:
        item["attributes"] = {"item_name": [{"value": product.name, "marketplace_id": profile.id}]}
    if "issues" in included:
        item["issues"] = (
            []
            if index % 3
            else [
                {
                    "code": "90220",
                    "message": "'brand' is required but not supplied.",
                    "severity": "ERROR",
                    "attributeNames": ["brand"],
                    "categories": ["MISSING_ATTRIBUTE"],
                }
            ]
        )
    if "offers" in included:
        amount = f"{product.price:.0f}" if profile.currency == "JPY" else f"{product.price:.2f}"
        item["offers"] = [
            {
                "marketplaceId": profile.id,
                "offerType": "B2C",
                "price": {"currencyCode": profile.currency, "amount": amount},
            }
        ]
    if "fulfillmentAvailability" in included:
        item["fulfillmentAvailability"] = [
            {"fulfillmentChannelCode": "DEFAULT", "quantity": product.quantity}
        ]
    return item


#: Filters and sorting of Amazon's model the simulator does not apply: refused by name.
SEARCH_REFUSED = frozenset(
    (
        "issueLocale",
        "identifiers",
        "identifiersType",
        "variationParentSku",
        "packageHierarchySku",
        "createdAfter",
        "createdBefore",
        "lastUpdatedAfter",
        "lastUpdatedBefore",
        "withIssueSeverity",
        "withStatus",
        "withoutStatus",
        "sortBy",
        "sortOrder",
    )
)
GET_REFUSED = frozenset(("issueLocale",))


def _asked(sim: Simulator, request: Request, refused: frozenset[str]) -> Any:
    """(marketplace profile, includedData) of a request, or the 400 answering it."""
    if answer := request.unsimulated(refused):
        return answer
    if request.path_params["sellerId"] != sim.config.seller_id:
        return error_response(400, "InvalidInput", "Invalid sellerId.")
    marketplaces = request.param_list("marketplaceIds")
    included = set(request.param_list("includedData") or ["summaries"])
    if len(marketplaces) != 1:
        return error_response(400, "InvalidInput", "marketplaceIds takes exactly one marketplace.")
    if unknown := included - set(INCLUDED):
        return error_response(400, "InvalidInput", f"Invalid includedData {sorted(unknown)}.")
    profile = sim.data_marketplace(marketplaces[0])
    if profile is None or profile.region != request.region:
        return error_response(
            400, "InvalidInput", f"Invalid marketplaceId {marketplaces[0]} for this region."
        )
    return profile, included


@route("listingsItems_2021-08-01.getListingsItem", ROLES)
def get_listings_item(sim: Simulator, request: Request) -> Response:
    asked = _asked(sim, request, GET_REFUSED)
    if isinstance(asked, Response):
        return asked
    profile, included = asked
    products = sim.data.products(profile.id)
    for index, product in enumerate(products):
        if product.sku == request.path_params["sku"]:
            return Response(200, listings_item(product, profile, included, index))
    return error_response(404, "NOT_FOUND", f"SKU '{request.path_params['sku']}' not found.")


@route("listingsItems_2021-08-01.searchListingsItems", ROLES)
def search_listings_items(sim: Simulator, request: Request) -> Response:
    asked = _asked(sim, request, SEARCH_REFUSED)
    if isinstance(asked, Response):
        return asked
    profile, included = asked
    try:
        size = int(request.param("pageSize") or PAGE)
    except ValueError:
        size = 0
    if not 1 <= size <= 20:
        return error_response(400, "InvalidInput", "pageSize must be between 1 and 20.")
    products = sim.data.products(profile.id)
    items = [listings_item(p, profile, included, i) for i, p in enumerate(products)]
    page, token = page_of(sim, "listings", items, request.param("pageToken"), size)
    if page is None:
        return error_response(400, "InvalidInput", "Invalid pageToken.")
    body: dict[str, Any] = {"numberOfResults": len(items), "items": page}
    if token:
        body["pagination"] = {"nextToken": token}
    return Response(200, body)
