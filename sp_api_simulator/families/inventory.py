"""FBA Inventory v1 (models/fbaInventory.json) and AWD 2024-05-09 (models/awd_2024-05-09.json)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sp_api_simulator.paging import page_of
from sp_api_simulator.server import Request, Response, Simulator, error_response, route

FBA_ROLES = ("Amazon Fulfillment",)
AWD_ROLES = ("Amazon Warehousing and Distribution",)
FBA_PAGE = 50  # Amazon's page size for getInventorySummaries


def inventory_summary(product: Any, details: bool) -> dict[str, Any]:
    """One FBA InventorySummary, derived from a product of the simulated seller."""
    reserved = product.quantity % 7
    unfulfillable = product.quantity % 3
    summary: dict[str, Any] = {
        "asin": product.asin,
        "fnSku": product.fnsku,
        "sellerSku": product.sku,
        "condition": "NewItem",
        "lastUpdatedTime": datetime(2026, 11, 1, tzinfo=UTC).isoformat().replace("+00:00", "Z"),
        "productName": product.name,
        "totalQuantity": product.quantity + reserved + unfulfillable,
    }
    if details:
        summary["inventoryDetails"] = {
            "fulfillableQuantity": product.quantity,
            "inboundWorkingQuantity": 0,
            "inboundShippedQuantity": 4,
            "inboundReceivingQuantity": 0,
            "reservedQuantity": {
                "totalReservedQuantity": reserved,
                "pendingCustomerOrderQuantity": reserved,
                "pendingTransshipmentQuantity": 0,
                "fcProcessingQuantity": 0,
            },
            "researchingQuantity": {
                "totalResearchingQuantity": 0,
                "researchingQuantityBreakdown": [],
            },
            "unfulfillableQuantity": {
                "totalUnfulfillableQuantity": unfulfillable,
                "customerDamagedQuantity": unfulfillable,
                "warehouseDamagedQuantity": 0,
                "distributorDamagedQuantity": 0,
                "carrierDamagedQuantity": 0,
                "defectiveQuantity": 0,
                "expiredQuantity": 0,
            },
        }
    return summary


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


@route("fbaInventory.getInventorySummaries", FBA_ROLES)
def get_inventory_summaries(sim: Simulator, request: Request) -> Response:
    skus = set(request.param_list("sellerSkus"))
    if len(skus) > 50:
        return error_response(400, "InvalidInput", "sellerSkus takes at most 50 SKUs.")
    if request.param("sellerSku"):
        skus.add(str(request.param("sellerSku")))
    try:
        since = request.param("startDateTime")
        changed_since = _parse(since) if since else None
    except ValueError:
        return error_response(400, "InvalidInput", "startDateTime must be ISO 8601.")
    granularity_type = request.param("granularityType")
    granularity_id = request.param("granularityId")
    marketplaces = request.param_list("marketplaceIds")
    if granularity_type != "Marketplace" or not granularity_id:
        return error_response(
            400, "InvalidInput", "granularityType must be Marketplace, with granularityId."
        )
    if len(marketplaces) != 1 or marketplaces[0] != granularity_id:
        return error_response(
            400, "InvalidInput", "marketplaceIds must hold the one granularityId marketplace."
        )
    profile = sim.data_marketplace(granularity_id)
    if profile is None or profile.region != request.region:
        return error_response(
            400, "InvalidInput", f"Invalid marketplaceId {granularity_id} for this region."
        )
    details = (request.param("details") or "false").lower() == "true"
    items = [
        summary
        for p in sim.data.products(granularity_id)
        if not skus or p.sku in skus
        for summary in [inventory_summary(p, details)]
        if changed_since is None or _parse(summary["lastUpdatedTime"]) >= changed_since
    ]
    page, token = page_of(sim, "fbaInventory", items, request.param("nextToken"), FBA_PAGE)
    if page is None:
        return error_response(400, "InvalidInput", "Invalid nextToken.")
    body: dict[str, Any] = {
        "payload": {
            "granularity": {"granularityType": "Marketplace", "granularityId": granularity_id},
            "inventorySummaries": page,
        }
    }
    if token:
        body["pagination"] = {"nextToken": token}
    return Response(200, body)


@route("awd_2024-05-09.listInventory", AWD_ROLES, regions=("na",))
def list_inventory(sim: Simulator, request: Request) -> Response:
    try:
        size = int(request.param("maxResults") or 25)
    except ValueError:
        size = 0
    if not 1 <= size <= 200:
        return error_response(400, "InvalidInput", "maxResults must be between 1 and 200.")
    details = (request.param("details") or "HIDE").upper() == "SHOW"
    items = []
    for profile in sim.data.marketplaces("na"):
        if not profile.participating:
            continue
        for product in sim.data.products(profile.id):
            item: dict[str, Any] = {
                "sku": product.sku,
                "totalInboundQuantity": product.quantity % 11,
                "totalOnhandQuantity": product.quantity * 3,
            }
            if details:
                item["inventoryDetails"] = {
                    "availableDistributableQuantity": product.quantity * 2,
                    "reservedDistributableQuantity": product.quantity,
                    "replenishmentQuantity": product.quantity % 5,
                }
            items.append(item)
    page, token = page_of(sim, "awd", items, request.param("nextToken"), size)
    if page is None:
        return error_response(400, "InvalidInput", "Invalid nextToken.")
    body: dict[str, Any] = {"inventory": page}
    if token:
        body["nextToken"] = token
    return Response(200, body)
