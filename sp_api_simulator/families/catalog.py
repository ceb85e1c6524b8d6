"""Catalog Items 2022-04-01 (models/catalogItems_2022-04-01.json): searchCatalogItems."""

from __future__ import annotations

from typing import Any

from sp_api_simulator.paging import page_of
from sp_api_simulator.server import Request, Response, Simulator, error_response, route

ROLES = ("Product Listing", "Brand Analytics", "Pricing")
INCLUDED = (
    "attributes",
    "classifications",
    "dimensions",
    "identifiers",
    "images",
    "productTypes",
    "relationships",
    "salesRanks",
    "summaries",
    "vendorDetails",
)
IDENTIFIER_TYPES = ("ASIN", "EAN", "GTIN", "ISBN", "JAN", "MINSAN", "SKU", "UPC")


def catalog_item(
    product: Any, marketplace_id: str, included: set[str], rank: int
) -> dict[str, Any]:
    """One catalog Item of a product of the simulated seller, with the data asked for."""
    ean = f"40{int(product.asin[2:], 16) % 10**11:011d}"
    item: dict[str, Any] = {"asin": product.asin}
    if "attributes" in included:
        item["attributes"] = {
            "item_name": [{"value": product.name, "marketplace_id": marketplace_id}],
            "list_price": [{"value": float(product.price), "marketplace_id": marketplace_id}],
        }
    if "identifiers" in included:
        item["identifiers"] = [
            {
                "marketplaceId": marketplace_id,
                "identifiers": [
                    {"identifierType": "EAN", "identifier": ean},
                    {"identifierType": "SKU", "identifier": product.sku},
                ],
            }
        ]
    if "images" in included:
        item["images"] = [
            {
                "marketplaceId": marketplace_id,
                "images": [
                    {
                        "variant": "MAIN",
                        "link": f"https://m.media-amazon.com/images/I/{product.asin}.jpg",
                        "height": 500,
                        "width": 500,
                    },
                ],
            }
        ]
    if "salesRanks" in included:
        item["salesRanks"] = [
            {
                "marketplaceId": marketplace_id,
                "displayGroupRanks": [
                    {
                        "websiteDisplayGroup": "home_display_on_website",
                        "title": "Home & Kitchen",
                        "rank": rank,
                    },
                ],
            }
        ]
    if "summaries" in included:
        item["summaries"] = [
            {
                "marketplaceId": marketplace_id,
                "brand": "Müller & Söhne",
                "itemName": product.name,
                "manufacturer": "Müller & Söhne GmbH",
                "itemClassification": "BASE_PRODUCT",
            }
        ]
    if "productTypes" in included:
        item["productTypes"] = [{"marketplaceId": marketplace_id, "productType": "KITCHEN"}]
    return item


#: searchCatalogItems refinements of Amazon's model the simulator does not apply: refused.
SEARCH_REFUSED = frozenset(("brandNames", "classificationIds", "locale", "keywordsLocale"))
#: Amazon's page of a keyword search (pageSize at most 20).
KEYWORD_PAGE = 10


@route("catalogItems_2022-04-01.searchCatalogItems", ROLES)
def search_catalog_items(sim: Simulator, request: Request) -> Response:
    if refused := request.unsimulated(SEARCH_REFUSED):
        return refused
    marketplaces = request.param_list("marketplaceIds")
    identifiers = request.param_list("identifiers")
    identifiers_type = request.param("identifiersType")
    keywords = [k.casefold() for k in request.param_list("keywords")]
    included = set(request.param_list("includedData") or ["summaries"])
    if len(marketplaces) != 1:
        return error_response(400, "InvalidInput", "marketplaceIds takes exactly one marketplace.")
    if not identifiers and not keywords:
        return error_response(400, "InvalidInput", "Either identifiers or keywords is required.")
    if identifiers and keywords:
        return error_response(
            400, "InvalidInput", "identifiers cannot be used together with keywords."
        )
    try:
        page_size = int(request.param("pageSize") or KEYWORD_PAGE)
    except ValueError:
        return error_response(400, "InvalidInput", "pageSize must be a number.")
    if not 1 <= page_size <= 20:
        return error_response(400, "InvalidInput", "pageSize must be between 1 and 20.")
    if identifiers and identifiers_type not in IDENTIFIER_TYPES:
        return error_response(400, "InvalidInput", "identifiersType is required with identifiers.")
    if len(identifiers) > 20:
        return error_response(400, "InvalidInput", "identifiers takes at most 20 identifiers.")
    if identifiers_type == "SKU" and not request.param("sellerId"):
        return error_response(
            400, "InvalidInput", "sellerId is required when identifiersType is SKU."
        )
    if unknown := included - set(INCLUDED):
        return error_response(400, "InvalidInput", f"Invalid includedData {sorted(unknown)}.")
    profile = sim.data_marketplace(marketplaces[0])
    if profile is None or profile.region != request.region:
        return error_response(
            400, "InvalidInput", f"Invalid marketplaceId {marketplaces[0]} for this region."
        )
    sim.count("catalog.identifiers")  # one per call; tests count ASINs looked up
    products = sim.data.products(profile.id)
    wanted = set(identifiers)
    items = [
        catalog_item(p, profile.id, included, 1000 + index)
        for index, p in enumerate(products)
        if (identifiers_type == "ASIN" and p.asin in wanted)
        or (identifiers_type == "SKU" and p.sku in wanted)
        # A keyword search: the items whose name holds every keyword.
        or (keywords and all(k in p.name.casefold() for k in keywords))
    ]
    pagination: dict[str, str] = {}
    if keywords:
        page, token = page_of(sim, "catalog", items, request.param("pageToken"), page_size)
        if page is None:
            return error_response(400, "InvalidInput", "Invalid pageToken.")
        if token:
            pagination["nextToken"] = token
    else:
        page = items
    return Response(
        200,
        {
            "numberOfResults": len(items),
            "pagination": pagination,
            "refinements": {"brands": [], "classifications": []},
            "items": page,
        },
    )
