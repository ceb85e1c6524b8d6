"""Vendor Orders v1 (models/vendorOrders.json): the vendor's purchase orders."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from tap_amazon_seller.simulator.paging import page_of
from tap_amazon_seller.simulator.server import Request, Response, Simulator, error_response, route

ROLES = ("Inventory and Order Management",)
DAYS = 60


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def purchase_orders(sim: Simulator) -> list[dict[str, Any]]:
    """About two purchase orders a day over the last 60 days; older ones moved on to
    Acknowledged and Closed, so their change dates differ from their creation dates."""

    def make(_sim: Simulator) -> list[dict[str, Any]]:
        rng = random.Random(f"{sim.config.seed}:vendor-orders")
        now = datetime.now(UTC)
        products = sim.data.products("ATVPDKIKX0DER")
        orders = []
        for day in range(DAYS):
            for _ in range(rng.randrange(1, 3) * sim.data.scale):
                created = now - timedelta(days=day, seconds=rng.randrange(86400))
                acknowledged = created + timedelta(hours=rng.randrange(2, 48))
                closed = acknowledged + timedelta(days=rng.randrange(3, 20))
                state, changed = "New", created
                if acknowledged < now:
                    state, changed = "Acknowledged", acknowledged
                if closed < now:
                    state, changed = "Closed", closed
                items = [
                    {
                        "itemSequenceNumber": str(index + 1),
                        "amazonProductIdentifier": product.asin,
                        "vendorProductIdentifier": f"EAN{product.asin[-8:]}",
                        "orderedQuantity": {
                            "amount": rng.randrange(6, 120),
                            "unitOfMeasure": "Eaches",
                        },
                        "isBackOrderAllowed": rng.random() < 0.3,
                        "netCost": {
                            "currencyCode": "USD",
                            "amount": f"{product.price * Decimal('0.6'):.2f}",
                        },
                        "listPrice": {"currencyCode": "USD", "amount": f"{product.price:.2f}"},
                    }
                    for index, product in enumerate(rng.sample(products, k=min(3, len(products))))
                ]
                orders.append(
                    {
                        "purchaseOrderNumber": f"{rng.randrange(16**8):08X}",
                        "purchaseOrderState": state,
                        "orderDetails": {
                            "purchaseOrderDate": _iso(created),
                            "purchaseOrderStateChangedDate": _iso(changed),
                            **(
                                {"purchaseOrderChangedDate": _iso(changed)}
                                if state != "New"
                                else {}
                            ),
                            "purchaseOrderType": "RegularOrder",
                            "paymentMethod": "Invoice",
                            "buyingParty": {
                                "partyId": "AMZN-US",
                                "address": {
                                    "name": "Amazon.com Services LLC",
                                    "addressLine1": "410 Terry Ave N",
                                    "city": "Seattle",
                                    "stateOrRegion": "WA",
                                    "postalCode": "98109",
                                    "countryCode": "US",
                                },
                            },
                            "sellingParty": {"partyId": "VNDR1"},
                            "shipToParty": {"partyId": rng.choice(("SEA8", "PHX6", "ONT8"))},
                            "billToParty": {"partyId": "AMZN-US-BILL"},
                            "shipWindow": f"{_iso(created + timedelta(days=2))}--{_iso(created + timedelta(days=5))}",
                            "items": items,
                        },
                    }
                )
        return sorted(orders, key=lambda o: o["orderDetails"]["purchaseOrderDate"])

    return sim.family_state("vendor:orders", make)


def _changed(order: dict[str, Any]) -> datetime:
    details = order["orderDetails"]
    return datetime.fromisoformat(details["purchaseOrderStateChangedDate"].replace("Z", "+00:00"))


def _created(order: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(order["orderDetails"]["purchaseOrderDate"].replace("Z", "+00:00"))


def _time(request: Request, name: str) -> datetime | None:
    value = request.param(name)
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


@route("vendorOrders.getPurchaseOrders", ROLES, regions=("na",))
def get_purchase_orders(sim: Simulator, request: Request) -> Response:
    try:
        limit = int(request.param("limit") or 100)
        bounds = {
            name: _time(request, name)
            for name in ("createdAfter", "createdBefore", "changedAfter", "changedBefore")
        }
    except ValueError:
        return error_response(400, "InvalidInput", "Invalid limit or date parameter.")
    if not 1 <= limit <= 100:
        return error_response(400, "InvalidInput", "limit must be between 1 and 100.")
    now = datetime.now(UTC)
    if any(v is not None and v > now for v in bounds.values()):
        return error_response(400, "InvalidInput", "Date filters must not be in the future.")
    matches = [
        o
        for o in purchase_orders(sim)
        if (bounds["createdAfter"] is None or _created(o) > bounds["createdAfter"])
        and (bounds["createdBefore"] is None or _created(o) < bounds["createdBefore"])
        and (bounds["changedAfter"] is None or _changed(o) > bounds["changedAfter"])
        and (bounds["changedBefore"] is None or _changed(o) < bounds["changedBefore"])
    ]
    if (request.param("sortOrder") or "DESC") == "DESC":
        matches.reverse()
    page, token = page_of(sim, "vendorOrders", matches, request.param("nextToken"), limit)
    if page is None:
        return error_response(400, "InvalidInput", "Invalid nextToken.")
    payload: dict[str, Any] = {"orders": page}
    if token:
        payload["pagination"] = {"nextToken": token}
    return Response(200, {"payload": payload})
