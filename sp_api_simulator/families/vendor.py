"""Vendor APIs: Vendor Orders v1, Direct Fulfillment Orders and Shipping 2021-12-28,
Vendor Shipments v1 (their models in models/)."""

from __future__ import annotations

import base64
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sp_api_simulator import clock
from sp_api_simulator.paging import page_of
from sp_api_simulator.server import Request, Response, Simulator, error_response, route

ROLES = ("Inventory and Order Management",)
DAYS = 60


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def purchase_orders(sim: Simulator) -> list[dict[str, Any]]:
    """About two purchase orders a day over the last 60 days; older ones moved on to
    Acknowledged and Closed, so their change dates differ from their creation dates."""

    def make(_sim: Simulator) -> list[dict[str, Any]]:
        rng = random.Random(f"{sim.config.seed}:vendor-orders")
        now = clock.now()
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


#: getPurchaseOrders filters of Amazon's model the simulator does not apply: refused.
PURCHASE_ORDER_REFUSED = frozenset(("poItemState", "isPOChanged", "orderingVendorCode"))
PURCHASE_ORDER_STATES = ("New", "Acknowledged", "Closed")


@route("vendorOrders.getPurchaseOrders", ROLES, regions=("na",))
def get_purchase_orders(sim: Simulator, request: Request) -> Response:
    if refused := request.unsimulated(PURCHASE_ORDER_REFUSED):
        return refused
    state = request.param("purchaseOrderState")
    if state is not None and state not in PURCHASE_ORDER_STATES:
        return error_response(400, "InvalidInput", f"Invalid purchaseOrderState {state!r}.")
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
    now = clock.now()
    if any(v is not None and v > now for v in bounds.values()):
        return error_response(400, "InvalidInput", "Date filters must not be in the future.")
    matches = [
        o
        for o in purchase_orders(sim)
        if (bounds["createdAfter"] is None or _created(o) > bounds["createdAfter"])
        and (bounds["createdBefore"] is None or _created(o) < bounds["createdBefore"])
        and (bounds["changedAfter"] is None or _changed(o) > bounds["changedAfter"])
        and (bounds["changedBefore"] is None or _changed(o) < bounds["changedBefore"])
        and (state is None or o["purchaseOrderState"] == state)
    ]
    if (request.param("sortOrder") or "DESC") == "DESC":
        matches.reverse()
    page, token = page_of(sim, "vendorOrders", matches, request.param("nextToken"), limit)
    if page is None:
        return error_response(400, "InvalidInput", "Invalid nextToken.")
    if (request.param("includeDetails") or "true").lower() == "false":
        page = [{k: v for k, v in o.items() if k != "orderDetails"} for o in page]
    payload: dict[str, Any] = {"orders": page}
    if token:
        payload["pagination"] = {"nextToken": token}
    return Response(200, {"payload": payload})


# -- Direct Fulfillment (vendorDirectFulfillmentOrders / Shipping 2021-12-28) and shipments --

DF_ROLES = ("Direct-to-Consumer Shipping",)
SHIP_TO = {
    "name": "Zoë Åkesson",
    "addressLine1": "Königstraße 12",
    "city": "Seattle",
    "stateOrRegion": "WA",
    "postalCode": "98109",
    "countryCode": "US",
}


def direct_fulfillment_orders(sim: Simulator) -> list[dict[str, Any]]:
    """About three customer orders a day over 60 days that the vendor ships directly."""

    def make(_sim: Simulator) -> list[dict[str, Any]]:
        rng = random.Random(f"{sim.config.seed}:df-orders")
        now = clock.now()
        products = sim.data.products("ATVPDKIKX0DER")
        orders = []
        for day in range(DAYS):
            for _ in range(rng.randrange(1, 4) * sim.data.scale):
                created = now - timedelta(days=day, seconds=rng.randrange(86400))
                product = rng.choice(products)
                quantity = rng.randrange(1, 3)
                orders.append(
                    {
                        "purchaseOrderNumber": f"DF{rng.randrange(10**8):08d}",
                        "orderDetails": {
                            "customerOrderNumber": f"{rng.randrange(100, 999)}-{rng.randrange(10**7):07d}",
                            "orderDate": _iso(created),
                            "orderStatus": "SHIPPED" if day > 2 else "NEW",
                            "shipmentDetails": {
                                "isPriorityShipment": False,
                                "isScheduledDeliveryShipment": False,
                                "isPslipRequired": True,
                                "isGift": False,
                                "shipMethod": "UPS_GR_RES",
                                "shipmentDates": {
                                    "requiredShipDate": _iso(created + timedelta(days=2))
                                },
                                "messageToCustomer": "Vielen Dank für Ihre Bestellung!",
                            },
                            "sellingParty": {"partyId": "VNDR1"},
                            "shipFromParty": {"partyId": "WHSE1"},
                            "shipToParty": SHIP_TO,
                            "billToParty": {"partyId": "AMZN-US-BILL"},
                            "items": [
                                {
                                    "itemSequenceNumber": "1",
                                    "buyerProductIdentifier": product.asin,
                                    "vendorProductIdentifier": product.sku,
                                    "title": product.name,
                                    "orderedQuantity": {
                                        "amount": quantity,
                                        "unitOfMeasure": "Each",
                                    },
                                    "netPrice": {
                                        "currencyCode": "USD",
                                        "amount": f"{product.price:.2f}",
                                    },
                                }
                            ],
                        },
                    }
                )
        return sorted(orders, key=lambda o: o["orderDetails"]["orderDate"])

    return sim.family_state("vendor:df-orders", make)


def _window(request: Request, max_days: int | None) -> tuple[datetime, datetime] | Response:
    try:
        after, before = _time(request, "createdAfter"), _time(request, "createdBefore")
    except ValueError:
        return error_response(
            400, "InvalidInput", "createdAfter and createdBefore must be ISO 8601."
        )
    if after is None or before is None:
        return error_response(
            400, "InvalidInput", "createdAfter and createdBefore are both required."
        )
    if before <= after or before > clock.now():
        return error_response(
            400, "InvalidInput", "createdBefore must be after createdAfter and not in the future."
        )
    if max_days is not None and before - after > timedelta(days=max_days):
        return error_response(
            400, "InvalidInput", f"The date range must be no more than {max_days} days."
        )
    return after, before


def _paged(
    sim: Simulator, request: Request, family: str, items: list[Any], default: int
) -> tuple[list[Any], str | None] | Response:
    try:
        limit = int(request.param("limit") or default)
    except ValueError:
        limit = 0
    if not 1 <= limit <= default:
        return error_response(400, "InvalidInput", f"limit must be between 1 and {default}.")
    if (request.param("sortOrder") or "ASC") == "DESC":
        items = list(reversed(items))
    page, token = page_of(sim, family, items, request.param("nextToken"), limit)
    if page is None:
        return error_response(400, "InvalidInput", "Invalid nextToken.")
    return page, token


def _in_window(stamp: str, window: tuple[datetime, datetime]) -> bool:
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return window[0] < moment < window[1]


def _df_page(
    sim: Simulator, request: Request, name: str, items: list[dict[str, Any]], array: str
) -> Response:
    """A page of a Direct Fulfillment list (100 at most) under `array`, with
    pagination.nextToken while more follow."""
    paged = _paged(sim, request, name, items, 100)
    if isinstance(paged, Response):
        return paged
    page, token = paged
    body: dict[str, Any] = {array: page}
    if token:
        body["pagination"] = {"nextToken": token}
    return Response(200, body)


@route("vendorDirectFulfillmentOrders_2021-12-28.getOrders", DF_ROLES, regions=("na",))
def get_df_orders(sim: Simulator, request: Request) -> Response:
    window = _window(request, max_days=7)
    if isinstance(window, Response):
        return window
    matches = [
        o
        for o in direct_fulfillment_orders(sim)
        if _in_window(o["orderDetails"]["orderDate"], window)
    ]
    return _df_page(sim, request, "df-orders", matches, "orders")


@route("vendorDirectFulfillmentShipping_2021-12-28.getCustomerInvoices", DF_ROLES, regions=("na",))
def get_customer_invoices(sim: Simulator, request: Request) -> Response:
    window = _window(request, max_days=7)
    if isinstance(window, Response):
        return window
    invoices = [
        {
            "purchaseOrderNumber": o["purchaseOrderNumber"],
            "content": base64.b64encode(
                f"<invoice po='{o['purchaseOrderNumber']}'>{o['orderDetails']['items'][0]['title']}</invoice>".encode()
            ).decode("ascii"),
        }
        for o in direct_fulfillment_orders(sim)
        if o["orderDetails"]["orderStatus"] == "SHIPPED"
        and _in_window(o["orderDetails"]["orderDate"], window)
    ]
    return _df_page(sim, request, "df-invoices", invoices, "customerInvoices")


@route("vendorShipments.GetShipmentDetails", ROLES, regions=("na",))
def get_shipment_details(sim: Simulator, request: Request) -> Response:
    after, before = _time(request, "createdAfter"), _time(request, "createdBefore")
    shipments = []
    for order in purchase_orders(sim):
        if order["purchaseOrderState"] != "Closed":
            continue
        created = order["orderDetails"]["purchaseOrderStateChangedDate"]
        moment = datetime.fromisoformat(created.replace("Z", "+00:00"))
        if (after and moment <= after) or (before and moment >= before):
            continue
        shipments.append(
            {
                "vendorShipmentIdentifier": f"SHP-{order['purchaseOrderNumber']}",
                "transactionType": "New",
                "transactionDate": created,
                "shipmentCreateDate": created,
                "currentShipmentStatus": "Shipped",
                "sellingParty": {"partyId": "VNDR1"},
                "shipFromParty": {"partyId": "WHSE1"},
                "shipToParty": order["orderDetails"]["shipToParty"],
                "purchaseOrders": [{"purchaseOrderNumber": order["purchaseOrderNumber"]}],
            }
        )
    paged = _paged(sim, request, "shipments", shipments, 50)
    if isinstance(paged, Response):
        return paged
    page, token = paged
    payload: dict[str, Any] = {"shipments": page}
    if token:
        payload["pagination"] = {"nextToken": token}
    return Response(200, {"payload": payload})


# -- Direct Fulfillment Shipping labels and packing slips (cov-replenish) --------------

# When the vendor's label and packing slip become available after the customer's order.
LABEL_DELAY = timedelta(hours=1)
PACKING_SLIP_DELAY = timedelta(hours=2)


def _available(order: dict[str, Any], delay: timedelta) -> datetime:
    ordered = datetime.fromisoformat(order["orderDetails"]["orderDate"].replace("Z", "+00:00"))
    return ordered + delay


def shipping_label_of(order: dict[str, Any]) -> dict[str, Any]:
    """The label of a Direct Fulfillment order: ZPL (UTF-8, the customer's name) in Base64."""
    number = order["purchaseOrderNumber"]
    ship_to = order["orderDetails"]["shipToParty"]
    tracking = f"1Z{int(number[2:]):016d}"
    zpl = f"^XA^CI28^FO50,50^FD{ship_to['name']}, {ship_to['city']}^FS^FO50,120^FD{tracking}^FS^XZ"
    return {
        "purchaseOrderNumber": number,
        "sellingParty": order["orderDetails"]["sellingParty"],
        "shipFromParty": order["orderDetails"]["shipFromParty"],
        "labelFormat": "ZPL",
        "labelData": [
            {
                "packageIdentifier": "001",
                "trackingNumber": tracking,
                "shipMethod": order["orderDetails"]["shipmentDetails"]["shipMethod"],
                "shipMethodName": "UPS Ground Residential",
                "content": base64.b64encode(zpl.encode("utf-8")).decode("ascii"),
            }
        ],
    }


def packing_slip_of(order: dict[str, Any]) -> dict[str, Any]:
    """The packing slip of a Direct Fulfillment order: a (tiny) PDF in Base64."""
    item = order["orderDetails"]["items"][0]
    text = f"Packing slip {order['purchaseOrderNumber']}: {item['title']} for Zoë Åkesson"
    pdf = b"%PDF-1.4\n% " + text.encode("utf-8") + b"\n%%EOF\n"
    return {
        "purchaseOrderNumber": order["purchaseOrderNumber"],
        "content": base64.b64encode(pdf).decode("ascii"),
        "contentType": "application/pdf",
    }


def _documents_in_window(
    sim: Simulator, request: Request, delay: timedelta, only_if: str | None = None
) -> list[dict[str, Any]] | Response:
    window = _window(request, max_days=7)
    if isinstance(window, Response):
        return window
    party = request.param("shipFromPartyId")
    return [
        o
        for o in direct_fulfillment_orders(sim)
        if window[0] < _available(o, delay) < window[1]
        and (party is None or o["orderDetails"]["shipFromParty"]["partyId"] == party)
        and (only_if is None or o["orderDetails"]["shipmentDetails"].get(only_if))
    ]


@route("vendorDirectFulfillmentShipping_2021-12-28.getShippingLabels", DF_ROLES, regions=("na",))
def get_shipping_labels(sim: Simulator, request: Request) -> Response:
    orders = _documents_in_window(sim, request, LABEL_DELAY)
    if isinstance(orders, Response):
        return orders
    return _df_page(
        sim, request, "df-labels", [shipping_label_of(o) for o in orders], "shippingLabels"
    )


@route("vendorDirectFulfillmentShipping_2021-12-28.getPackingSlips", DF_ROLES, regions=("na",))
def get_packing_slips(sim: Simulator, request: Request) -> Response:
    orders = _documents_in_window(sim, request, PACKING_SLIP_DELAY, only_if="isPslipRequired")
    if isinstance(orders, Response):
        return orders
    return _df_page(
        sim, request, "df-packing-slips", [packing_slip_of(o) for o in orders], "packingSlips"
    )
