"""Orders API 2026-01-01 (models/orders_2026-01-01.json) and Orders API v0 (models/ordersV0.json).

Both read the same order book (simulator/orders_data.py). searchOrders follows the
model's rules: exactly one of createdAfter and lastUpdatedAfter, no mixing of the
created and lastUpdated pairs, the "before" time at least two minutes before the
request, 1 to 100 results a page, `paginationToken` for later pages, and
`includedData` choosing the datasets. Buyer and recipient PII (names, email,
street, phone) only reach a caller whose access token is a Restricted Data Token
for the path; without one the answer carries the non-PII fields. Results come in
no particular time order, as Amazon promises none.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sp_api_simulator import clock
from sp_api_simulator.orders_data import OrderLine, SimOrder
from sp_api_simulator.server import Request, Response, Simulator, error_response, route

# Amazon's "Roles for the Orders API": any of these reads orders (PII needs a restricted role).
ROLES = ("Inventory and Order Tracking", "Direct-to-Consumer Shipping (restricted)")
SEARCH_PATH = "/orders/2026-01-01/orders"
V0_PATH = "/orders/v0/orders"
INCLUDED_DATA = frozenset(
    (
        "BUYER",
        "RECIPIENT",
        "PROCEEDS",
        "EXPENSE",
        "PROMOTION",
        "CANCELLATION",
        "FULFILLMENT",
        "PACKAGES",
        "TAX",
        "PAYMENT",
        "FULFILLMENT_ORDERS",
    )
)
LAG = timedelta(minutes=2)
#: getOrders (v0) filters of Amazon's model the simulator does not apply: refused by name.
V0_REFUSED = frozenset(
    (
        "PaymentMethods",
        "BuyerEmail",
        "SellerOrderId",
        "EasyShipShipmentStatuses",
        "ElectronicInvoiceStatuses",
        "ActualFulfillmentSupplySourceId",
        "IsISPU",
        "StoreChainStoreId",
        "EarliestDeliveryDateBefore",
        "EarliestDeliveryDateAfter",
        "LatestDeliveryDateBefore",
        "LatestDeliveryDateAfter",
    )
)
V0_STATUS = {
    "PENDING": "Pending",
    "UNSHIPPED": "Unshipped",
    "PARTIALLY_SHIPPED": "PartiallyShipped",
    "SHIPPED": "Shipped",
    "CANCELLED": "Canceled",
}


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _money(amount: Decimal, currency: str) -> dict[str, str]:
    # The 2026-01-01 model's Decimal is a string: exact digits.
    return {
        "amount": str(amount.quantize(Decimal(1) if currency == "JPY" else Decimal("0.01"))),
        "currencyCode": currency,
    }


def _time_param(request: Request, name: str) -> datetime | None:
    value = request.param(name)
    if value is None:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class _BadRequest(Exception):
    pass


def _window(
    request: Request, names: dict[str, str], now: datetime
) -> tuple[str, datetime, datetime]:
    """(kind, after, before) from the created/lastUpdated parameters, checked as the model says."""
    try:
        values = {key: _time_param(request, name) for key, name in names.items()}
    except ValueError as exc:
        raise _BadRequest("Dates must be in ISO 8601 format.") from exc
    created = values["createdAfter"] is not None or values["createdBefore"] is not None
    updated = values["lastUpdatedAfter"] is not None or values["lastUpdatedBefore"] is not None
    if created and updated:
        raise _BadRequest(
            f"If {names['createdAfter']} is provided, neither {names['lastUpdatedAfter']} nor "
            f"{names['lastUpdatedBefore']} may be provided."
        )
    kind = "created" if created else "lastUpdated"
    after, before = values[f"{kind}After"], values[f"{kind}Before"]
    if after is None:
        raise _BadRequest(
            f"You must provide exactly one of {names['createdAfter']} and {names['lastUpdatedAfter']}."
        )
    latest = now - LAG
    if before is None:
        before = latest
    elif before > latest:
        raise _BadRequest(
            f"{names[kind + 'Before']} must be at least two minutes before the time of the request."
        )
    if before < after:
        raise _BadRequest(
            f"{names[kind + 'Before']} must be equal to or after {names[kind + 'After']}."
        )
    return kind, after, before


def _matching(
    sim: Simulator, marketplaces: list[str], kind: str, after: datetime, before: datetime
) -> list[SimOrder]:
    book = sim.data.orders
    found: list[SimOrder] = []
    for marketplace_id in marketplaces:
        if kind == "created":
            found.extend(book.created_between(marketplace_id, after, before))
        else:
            found.extend(book.updated_between(marketplace_id, after, before))
    return sorted(found, key=lambda o: o.order_id)


def _paged(
    sim: Simulator, family: str, request: Request, token_name: str, size: int, query: Any
) -> tuple[list[Any] | None, str | None]:
    """One page of a query's results; the results are kept for the query's later pages."""
    queries: dict[str, tuple[list[SimOrder], int]] = sim.family_state(
        f"orders:{family}", lambda _: {}
    )
    size = min(size, sim.config.page_size or size)
    token = request.param(token_name)
    if token is not None:
        if token not in queries:
            return None, None
        results, start = queries.pop(token)
    else:
        results, start = query(), 0
    page = results[start : start + size]
    if start + size < len(results):
        next_token = secrets.token_urlsafe(12)
        queries[next_token] = (results, start + size)
        return page, next_token
    return page, None


# -- Orders API 2026-01-01 ----------------------------------------------------------------


def order_2026(order: SimOrder, included: set[str], pii: frozenset[str]) -> dict[str, Any]:
    profile = order.marketplace_id
    currency = order.currency
    body: dict[str, Any] = {
        "orderId": order.order_id,
        "orderAliases": [{"aliasId": order.seller_order_id, "aliasType": "SELLER_ORDER_ID"}],
        "createdTime": _iso(order.created),
        "lastUpdatedTime": _iso(order.last_updated),
        "programs": ["AMAZON_BUSINESS"] if order.business else [],
        "salesChannel": {
            "channelName": "AMAZON",
            "marketplaceId": profile,
            "marketplaceName": _marketplace_name(profile),
        },
        "orderItems": [_item_2026(order, line, included) for line in order.lines],
    }
    if "BUYER" in included:
        buyer: dict[str, Any] = {}
        if "buyerInfo" in pii:
            buyer["buyerName"] = order.buyer_name
            buyer["buyerEmail"] = order.buyer_email
        if order.purchase_order_number:
            buyer["buyerPurchaseOrderNumber"] = order.purchase_order_number
        body["buyer"] = buyer
    if "RECIPIENT" in included:
        city, state, postal = order.city
        address: dict[str, Any] = {
            "city": city,
            "stateOrRegion": state,
            "postalCode": postal,
            "countryCode": order.country,
            "addressType": "COMMERCIAL" if order.business else "RESIDENTIAL",
        }
        if "shippingAddress" in pii:
            address.update(name=order.buyer_name, addressLine1=order.street, phone=order.phone)
        body["recipient"] = {"deliveryAddress": address}
    if "PROCEEDS" in included:
        items = sum((line.price for line in order.lines), Decimal(0))
        shipping = sum((line.shipping for line in order.lines), Decimal(0))
        tax = sum((line.tax for line in order.lines), Decimal(0))
        body["proceeds"] = {
            "grandTotal": _money(items + shipping + tax, currency),
            "breakdowns": [
                {"type": "ITEM", "subtotal": _money(items, currency)},
                {"type": "SHIPPING", "subtotal": _money(shipping, currency)},
                {"type": "TAX", "subtotal": _money(tax, currency)},
            ],
        }
    if "FULFILLMENT" in included:
        body["fulfillment"] = {
            "fulfillmentStatus": order.status,
            "fulfilledBy": order.fulfilled_by,
            "fulfillmentServiceLevel": order.service_level,
        }
    return body


def _item_2026(order: SimOrder, line: OrderLine, included: set[str]) -> dict[str, Any]:
    currency = order.currency
    item: dict[str, Any] = {
        "orderItemId": line.item_id,
        "quantityOrdered": line.quantity,
        "product": {
            "asin": line.product.asin,
            "title": line.product.name,
            "sellerSku": line.product.sku,
            "condition": {"conditionType": "NEW"},
            "price": {"unitPrice": _money(line.unit_price, currency)},
        },
    }
    if "PROCEEDS" in included:
        item["proceeds"] = {
            "proceedsTotal": _money(line.price + line.shipping + line.tax, currency),
            "breakdowns": [
                {"type": "ITEM", "subtotal": _money(line.price, currency)},
                {"type": "SHIPPING", "subtotal": _money(line.shipping, currency)},
                {"type": "TAX", "subtotal": _money(line.tax, currency)},
            ],
        }
    if "FULFILLMENT" in included:
        shipped = line.quantity if order.status == "SHIPPED" else 0
        item["fulfillment"] = {
            "quantityFulfilled": shipped,
            "quantityUnfulfilled": 0 if order.status == "CANCELLED" else line.quantity - shipped,
        }
    if "CANCELLATION" in included and order.status == "CANCELLED":
        item["cancellation"] = {
            "cancellationExecution": {
                "cancelledBy": "BUYER",
                "cancelReason": "Bestellung storniert – Kundenwunsch",
            }
        }
    return item


def _marketplace_name(marketplace_id: str) -> str:
    from sp_api_simulator.data import MARKETPLACES_BY_ID

    return MARKETPLACES_BY_ID[marketplace_id].name


def _marketplaces(sim: Simulator, request: Request, name: str, *, required: bool) -> list[str]:
    ids = request.param_list(name)
    if required and not ids:
        raise _BadRequest(f"{name} is required.")
    if len(ids) > 50:
        raise _BadRequest(f"{name} accepts at most 50 marketplace ids.")
    for marketplace_id in ids:
        profile = sim.data_marketplace(marketplace_id)
        if profile is None or profile.region != request.region:
            raise _BadRequest(f"Invalid marketplace id {marketplace_id} for this region.")
    return ids or [m.id for m in sim.data.marketplaces(request.region) if m.participating]


@route("orders_2026-01-01.searchOrders", ROLES)
def search_orders(sim: Simulator, request: Request) -> Response:
    if request.region not in sim.config.orders_2026_regions:
        return error_response(404, "NotFound", "Resource not found.")
    now = clock.now()
    try:
        statuses = set(request.param_list("fulfillmentStatuses"))
        fulfilled_by = set(request.param_list("fulfilledBy"))
        if request.param("paginationToken") is None:
            marketplaces = _marketplaces(sim, request, "marketplaceIds", required=False)
            kind, after, before = _window(
                request,
                {
                    "createdAfter": "createdAfter",
                    "createdBefore": "createdBefore",
                    "lastUpdatedAfter": "lastUpdatedAfter",
                    "lastUpdatedBefore": "lastUpdatedBefore",
                },
                now,
            )
        size = int(request.param("maxResultsPerPage") or 100)
        if not 1 <= size <= 100:
            raise _BadRequest("maxResultsPerPage must be between 1 and 100.")
        included = set(request.param_list("includedData"))
        unknown = included - INCLUDED_DATA
        if unknown:
            raise _BadRequest(f"Invalid includedData value(s): {', '.join(sorted(unknown))}.")
        refused = sim.faults.refused_included_data
        if any(v in refused or f"{v}@{request.region}" in refused for v in included):
            # Amazon's answer names nothing: the client cannot tell which value it was.
            raise _BadRequest(
                "The input you have submitted is not valid. Please check your input and try again."
            )
    except (_BadRequest, ValueError) as exc:
        return error_response(400, "InvalidInput", str(exc))
    pii = sim.tokens.restricted_elements(
        request.headers.get("x-amz-access-token", ""), "GET", SEARCH_PATH
    )
    page, token = _paged(
        sim,
        "search",
        request,
        "paginationToken",
        size,
        lambda: [
            o
            for o in _matching(sim, marketplaces, kind, after, before)
            if (not statuses or o.status in statuses)
            and (not fulfilled_by or o.fulfilled_by in fulfilled_by)
        ],
    )
    if page is None:
        return error_response(400, "InvalidInput", "Invalid paginationToken.")
    body: dict[str, Any] = {"orders": [order_2026(o, included, pii) for o in page]}
    if token:
        body["pagination"] = {"nextToken": token}
    if request.param("paginationToken") is None:
        body["createdBefore" if kind == "created" else "lastUpdatedBefore"] = _iso(before)
    return Response(200, body)


@route("orders_2026-01-01.getOrder", ROLES)
def get_order(sim: Simulator, request: Request) -> Response:
    order = sim.data.orders.get(request.path_params["orderId"], region=request.region)
    if order is None:
        return error_response(404, "NotFound", "The order was not found.")
    included = set(request.param_list("includedData"))
    pii = sim.tokens.restricted_elements(
        request.headers.get("x-amz-access-token", ""), "GET", f"{SEARCH_PATH}/{order.order_id}"
    )
    return Response(200, {"order": order_2026(order, included, pii)})


# -- Orders API v0: the per-order design the tap avoids (measured by the benchmark) -------


def _v0_money(amount: Decimal, currency: str) -> dict[str, str]:
    return {"CurrencyCode": currency, "Amount": _money(amount, currency)["amount"]}


def v0_order(order: SimOrder, pii: frozenset[str]) -> dict[str, Any]:
    """An order as Orders v0 gives it (PII only as the access token allows)."""
    total = sum((line.price + line.shipping + line.tax for line in order.lines), Decimal(0))
    count = sum(line.quantity for line in order.lines)
    shipped = count if order.status == "SHIPPED" else 0
    return {
        "AmazonOrderId": order.order_id,
        "SellerOrderId": order.seller_order_id,
        "PurchaseDate": _iso(order.created),
        "LastUpdateDate": _iso(order.last_updated),
        "OrderStatus": V0_STATUS[order.status],
        "FulfillmentChannel": "AFN" if order.fulfilled_by == "AMAZON" else "MFN",
        "SalesChannel": _marketplace_name(order.marketplace_id),
        "ShipServiceLevel": order.service_level,
        "OrderTotal": _v0_money(total, order.currency),
        "NumberOfItemsShipped": shipped,
        "NumberOfItemsUnshipped": count - shipped,
        "MarketplaceId": order.marketplace_id,
        "IsBusinessOrder": order.business,
        "IsPrime": False,  # the simulated seller has no Prime orders
        "ShippingAddress": {
            "City": order.city[0],
            "StateOrRegion": order.city[1],
            "PostalCode": order.city[2],
            "CountryCode": order.country,
            **(
                {"Name": order.buyer_name, "AddressLine1": order.street}
                if "shippingAddress" in pii
                else {}
            ),
        },
        "BuyerInfo": {
            **(
                {"PurchaseOrderNumber": order.purchase_order_number}
                if order.purchase_order_number
                else {}
            ),
            **(
                {"BuyerName": order.buyer_name, "BuyerEmail": order.buyer_email}
                if "buyerInfo" in pii
                else {}
            ),
        },
    }


@route("ordersV0.getOrders", ROLES)
def get_orders_v0(sim: Simulator, request: Request) -> Response:
    if refused := request.unsimulated(V0_REFUSED):
        return refused
    now = clock.now()
    try:
        statuses = set(request.param_list("OrderStatuses"))
        channels = set(request.param_list("FulfillmentChannels"))
        ids = set(request.param_list("AmazonOrderIds"))
        if len(ids) > 50:
            raise _BadRequest("AmazonOrderIds takes at most 50 order ids.")

        def wanted(order: SimOrder) -> bool:
            channel = "AFN" if order.fulfilled_by == "AMAZON" else "MFN"
            return (
                (not statuses or V0_STATUS[order.status] in statuses)
                and (not channels or channel in channels)
                and (not ids or order.order_id in ids)
            )

        if request.param("NextToken") is None:
            marketplaces = _marketplaces(sim, request, "MarketplaceIds", required=True)
            kind, after, before = _window(
                request,
                {
                    "createdAfter": "CreatedAfter",
                    "createdBefore": "CreatedBefore",
                    "lastUpdatedAfter": "LastUpdatedAfter",
                    "lastUpdatedBefore": "LastUpdatedBefore",
                },
                now,
            )
        size = int(request.param("MaxResultsPerPage") or 100)
        if not 1 <= size <= 100:
            raise _BadRequest("MaxResultsPerPage must be between 1 and 100.")
    except (_BadRequest, ValueError) as exc:
        return error_response(400, "InvalidInput", str(exc))
    page, token = _paged(
        sim,
        "v0",
        request,
        "NextToken",
        size,
        lambda: [o for o in _matching(sim, marketplaces, kind, after, before) if wanted(o)],
    )
    if page is None:
        return error_response(400, "InvalidInput", "Invalid NextToken.")
    pii = sim.tokens.restricted_elements(
        request.headers.get("x-amz-access-token", ""), "GET", V0_PATH
    )
    orders = [v0_order(order, pii) for order in page]
    payload: dict[str, Any] = {"Orders": orders}
    if token:
        payload["NextToken"] = token
    return Response(200, {"payload": payload})


@route("ordersV0.getOrder", ROLES)
def get_order_v0(sim: Simulator, request: Request) -> Response:
    order_id = request.path_params["orderId"]
    order = sim.data.orders.get(order_id, region=request.region)
    if order is None:
        return error_response(404, "NotFound", f"Order {order_id} was not found.")
    pii = sim.tokens.restricted_elements(
        request.headers.get("x-amz-access-token", ""), "GET", f"{V0_PATH}/{order_id}"
    )
    return Response(200, {"payload": v0_order(order, pii)})


@route("ordersV0.getOrderItems", ROLES)
def get_order_items_v0(sim: Simulator, request: Request) -> Response:
    order = sim.data.orders.get(request.path_params["orderId"], region=request.region)
    if order is None:
        return error_response(404, "NotFound", "The order was not found.")
    currency = order.currency
    items = [
        {
            "ASIN": line.product.asin,
            "SellerSKU": line.product.sku,
            "OrderItemId": line.item_id,
            "Title": line.product.name,
            "QuantityOrdered": line.quantity,
            "QuantityShipped": line.quantity if order.status == "SHIPPED" else 0,
            "ItemPrice": _v0_money(line.price, currency),
            "ItemTax": _v0_money(line.tax, currency),
            "ShippingPrice": _v0_money(line.shipping, currency),
        }
        for line in order.lines
    ]
    # Amazon pages an order's items with NextToken; `page_size` makes small pages here.
    page, token = _paged(sim, "v0-items", request, "NextToken", 100, lambda: items)
    if page is None:
        return error_response(400, "InvalidInput", "Invalid NextToken.")
    payload: dict[str, Any] = {"AmazonOrderId": order.order_id, "OrderItems": page}
    if token:
        payload["NextToken"] = token
    return Response(200, {"payload": payload})
