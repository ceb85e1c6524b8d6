"""Orders in the Orders API v0 vocabulary hotglue's tap emits (`AmazonOrderId`,
`OrderTotal.Amount`, `OrderItems[].QuantityOrdered`), from the orders the tap reads in the
2026-01-01 model's shape (searchOrders, the XML orders report, or v0 itself).

Written from Amazon's two models (ordersV0.json and orders_2026-01-01.json: each v0 field's
meaning and its spelling of the values), not from hotglue's code. Where the 2026-01-01 order
does not say what a v0 field says, the field is null, never a default: `IsPrime` is null for
an order read from the report (which does not tell), `ItemPrice` is null for an item without
an ITEM proceeds breakdown, not "0.00"; `IsGift` keeps v0's strings "true"/"false", as v0
and hotglue's schema type it.
"""

from __future__ import annotations

import typing as t

from tap_amazon_seller.streams.orders import SOURCE, utc

Order = dict[str, t.Any]

# v0 spells the 2026-01-01 enums in words: UNSHIPPED -> Unshipped, CANCELLED -> Canceled.
_ORDER_STATUS = {
    "PENDING_AVAILABILITY": "PendingAvailability",
    "PENDING": "Pending",
    "UNSHIPPED": "Unshipped",
    "PARTIALLY_SHIPPED": "PartiallyShipped",
    "SHIPPED": "Shipped",
    "CANCELLED": "Canceled",
    "UNFULFILLABLE": "Unfulfillable",
}
_FULFILLMENT_CHANNEL = {"AMAZON": "AFN", "MERCHANT": "MFN"}
# The programs each source can tell (None: all of them, as searchOrders answers whole).
_KNOWN_PROGRAMS: dict[str | None, tuple[str, ...] | None] = {
    None: None,
    "report": ("AMAZON_BUSINESS",),
    "v0": ("AMAZON_BUSINESS", "PRIME"),
}


def words(value: t.Any, joiner: str) -> str | None:
    """A 2026-01-01 enum value in v0's words: VERY_GOOD -> "Very Good" (joiner " ") or
    "VeryGood" (joiner ""); OEM stays OEM."""
    if not isinstance(value, str) or not value:
        return None
    parts = [p if p == "OEM" else p.capitalize() for p in value.split("_")]
    return joiner.join(parts)


def _spelled(spellings: dict[str, str], value: t.Any) -> t.Any:
    """v0's spelling of a value (one v0 does not know is kept as Amazon wrote it)."""
    return spellings.get(value, value) if isinstance(value, str) else value


def money(value: t.Any) -> dict[str, t.Any] | None:
    """v0's Money: {"CurrencyCode", "Amount"}, the amount a string as Amazon writes it."""
    if not isinstance(value, dict) or value.get("amount") is None:
        return None
    return {"CurrencyCode": value.get("currencyCode"), "Amount": str(value["amount"])}


def _dig(value: t.Any, *path: str) -> t.Any:
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _flag(order: Order, program: str) -> bool | None:
    """Whether the order is in `program`: null where its source does not tell."""
    programs = order.get("programs")
    if isinstance(programs, list) and program in programs:
        return True
    known = _KNOWN_PROGRAMS.get(order.get(SOURCE), ())
    if known is None:  # searchOrders: a program it does not list is one the order is not in
        return False
    return False if program in known and isinstance(programs, list) else None


def _replacement(order: Order) -> tuple[bool | None, str | None]:
    associated = order.get("associatedOrders")
    if associated is None and order.get(SOURCE) is not None:
        return None, None  # the report and v0 mapping do not carry associations
    for association in associated or []:
        if association.get("associationType") == "REPLACEMENT_ORIGINAL_ID":
            return True, association.get("orderId")
    return False, None


def _count(items: list[dict], field: str) -> int | None:
    values = [_dig(item, "fulfillment", field) for item in items]
    if not values or any(v is None for v in values):
        return None
    return sum(int(v) for v in values)


def address(value: t.Any) -> dict[str, t.Any] | None:
    """v0's Address from the 2026-01-01 CustomerAddress (null when none is known)."""
    if not isinstance(value, dict) or not any(v is not None for v in value.values()):
        return None
    return {
        "Name": value.get("name"),
        "AddressLine1": value.get("addressLine1"),
        "AddressLine2": value.get("addressLine2"),
        "AddressLine3": value.get("addressLine3"),
        "City": value.get("city"),
        # 2026-01-01 has one districtOrCounty where v0 had County and District.
        "County": value.get("districtOrCounty"),
        "District": None,
        "StateOrRegion": value.get("stateOrRegion"),
        "Municipality": value.get("municipality"),
        "PostalCode": value.get("postalCode"),
        "CountryCode": value.get("countryCode"),
        "Phone": value.get("phone"),
        "AddressType": words(value.get("addressType"), ""),
    }


def buyer_info(buyer: t.Any) -> dict[str, t.Any] | None:
    """v0's BuyerInfo (names and email only where the tap read them with include_pii)."""
    if not isinstance(buyer, dict):
        return None
    return {
        "BuyerEmail": buyer.get("buyerEmail"),
        "BuyerName": buyer.get("buyerName"),
        "BuyerCounty": None,
        "BuyerTaxInfo": None,
        "PurchaseOrderNumber": buyer.get("buyerPurchaseOrderNumber"),
    }


def _payment_executions(order: Order) -> list[dict] | None:
    executions = _dig(order, "payment", "paymentExecutions")
    return executions if isinstance(executions, list) else None


def order(value: Order) -> dict[str, t.Any]:
    """An `orders` record in v0's vocabulary, every property of hotglue's schema present."""
    fulfillment = value.get("fulfillment") or {}
    items = value.get("orderItems")
    replacement, replaced_id = _replacement(value)
    executions = _payment_executions(value)
    programs = value.get("programs")
    seller_order_id = next(
        (
            alias.get("aliasId")
            for alias in value.get("orderAliases") or []
            if alias.get("aliasType") == "SELLER_ORDER_ID"
        ),
        None,
    )
    return {
        "AmazonOrderId": value.get("orderId"),
        "SellerOrderId": seller_order_id,
        "PurchaseDate": utc(value.get("createdTime")),
        "LastUpdateDate": utc(value.get("lastUpdatedTime")),
        "OrderStatus": _spelled(_ORDER_STATUS, fulfillment.get("fulfillmentStatus")),
        "FulfillmentChannel": _spelled(_FULFILLMENT_CHANNEL, fulfillment.get("fulfilledBy")),
        "SalesChannel": _dig(value, "salesChannel", "marketplaceName"),
        # v0's free-text service level ("Std US D2D Dom") is not in the 2026-01-01 model.
        "ShipServiceLevel": None,
        "OrderChannel": None,
        "OrderTotal": money(_dig(value, "proceeds", "grandTotal")),
        "NumberOfItemsShipped": _count(items, "quantityFulfilled") if items else None,
        "NumberOfItemsUnshipped": _count(items, "quantityUnfulfilled") if items else None,
        "PaymentMethod": (executions[0].get("paymentMethod") if executions else None),
        "PaymentMethodDetails": (
            [e.get("paymentMethod") for e in executions] if executions else None
        ),
        "PaymentExecutionDetail": (
            [
                {"Payment": money(e.get("paymentAmount")), "PaymentMethod": e.get("paymentMethod")}
                for e in executions
            ]
            if executions
            else None
        ),
        "BuyerTaxInformation": None,
        "MarketplaceTaxInfo": None,
        "ShippingAddress": address(_dig(value, "recipient", "deliveryAddress")),
        "BuyerInfo": buyer_info(value.get("buyer")),
        "IsReplacementOrder": replacement,
        "ReplacedOrderId": replaced_id,
        "MarketplaceId": _dig(value, "salesChannel", "marketplaceId"),
        "SellerDisplayName": None,
        "EasyShipShipmentStatus": None,
        "CbaDisplayableShippingLabel": None,
        "ShipmentServiceLevelCategory": words(fulfillment.get("fulfillmentServiceLevel"), ""),
        "BuyerInvoicePreference": _dig(value, "tax", "taxInvoicing", "buyerInvoicePreference"),
        # v0's other order types (LongLeadTimeOrder, BackOrder...) have no 2026-01-01 program.
        "OrderType": "Preorder" if isinstance(programs, list) and "PREORDER" in programs else None,
        "EarliestShipDate": utc(_dig(fulfillment, "shipByWindow", "earliestDateTime")),
        "LatestShipDate": utc(_dig(fulfillment, "shipByWindow", "latestDateTime")),
        "EarliestDeliveryDate": utc(_dig(fulfillment, "deliverByWindow", "earliestDateTime")),
        "PromiseResponseDueDate": None,
        "LatestDeliveryDate": utc(_dig(fulfillment, "deliverByWindow", "latestDateTime")),
        "IsBusinessOrder": _flag(value, "AMAZON_BUSINESS"),
        "IsEstimatedShipDateSet": None,
        "IsPrime": _flag(value, "PRIME"),
        "IsGlobalExpressEnabled": None,
        "HasRegulatedItems": None,
        "IsPremiumOrder": _flag(value, "PREMIUM"),
        "IsSoldByAB": None,
        "IsIBA": None,
        # v0's seller default ship-from is not in the 2026-01-01 model (a package's
        # ship-from is where that package left, not the default).
        "DefaultShipFromLocationAddress": None,
        "FulfillmentInstruction": None,
        "AutomatedShippingSettings": None,
    }


def _breakdown(item: dict, kind: str, subtype: str | None = None) -> dict[str, t.Any] | None:
    """An item's proceeds breakdown of `kind` (its `subtype` detail) as v0's Money."""
    for breakdown in _dig(item, "proceeds", "breakdowns") or []:
        if breakdown.get("type") != kind:
            continue
        if subtype is None:
            return money(breakdown.get("subtotal"))
        for detail in breakdown.get("detailedBreakdowns") or []:
            if detail.get("subtype") == subtype:
                return money(detail.get("value"))
    return None


def _is_gift(order_value: Order, item: dict) -> str | None:
    if _dig(item, "fulfillment", "packing", "giftOption"):
        return "true"
    # searchOrders leaves the gift option out of an item that is no gift; the report and
    # v0 mapping do not carry it at all.
    if order_value.get(SOURCE) is None and isinstance(item.get("fulfillment"), dict):
        return "false"
    return None


def _item_programs_flag(order_value: Order, item: dict, program: str) -> bool | None:
    programs = item.get("programs")
    if isinstance(programs, list):
        return program in programs
    return False if order_value.get(SOURCE) is None and "product" in item else None


def _item_buyer_info(item: dict) -> dict[str, t.Any] | None:
    gift = _dig(item, "fulfillment", "packing", "giftOption") or {}
    url = _dig(item, "product", "customization", "customizedUrl")
    info = {
        "BuyerCustomizedInfo": {"CustomizedURL": url} if url else None,
        "GiftMessageText": gift.get("giftMessage"),
        "GiftWrapLevel": gift.get("giftWrapLevel"),
    }
    return info if any(v is not None for v in info.values()) else None


def _cancel(item: dict) -> dict[str, t.Any] | None:
    request = _dig(item, "cancellation", "cancellationRequest")
    if not isinstance(request, dict):
        return None
    return {
        # v0 writes it as the string "true"/"false".
        "IsBuyerRequestedCancel": "true" if request.get("requester") == "BUYER" else "false",
        "BuyerCancelReason": request.get("cancelReason"),
    }


def _points(item: dict) -> dict[str, t.Any] | None:
    granted = _dig(item, "expense", "pointsCost", "pointsGranted")
    if not isinstance(granted, dict):
        return None
    return {
        "PointsNumber": granted.get("pointsNumber"),
        "PointsMonetaryValue": money(granted.get("pointsMonetaryValue")),
    }


def order_item(order_value: Order, item: dict) -> dict[str, t.Any]:
    """One of `OrderItems` in v0's vocabulary, every property of hotglue's schema present."""
    product = item.get("product") or {}
    condition = product.get("condition") or {}
    collection = (_dig(item, "tax", "taxCollections") or [None])[0]
    promotions = _dig(item, "promotion", "breakdowns")
    window = _dig(item, "fulfillment", "shipping", "scheduledDeliveryWindow") or {}
    serial = _dig(item, "fulfillment", "packing", "serialNumberRequirement")
    return {
        "ASIN": product.get("asin"),
        "OrderItemId": item.get("orderItemId"),
        "SellerSKU": product.get("sellerSku"),
        "Title": product.get("title"),
        "QuantityOrdered": item.get("quantityOrdered"),
        "QuantityShipped": _dig(item, "fulfillment", "quantityFulfilled"),
        "ProductInfo": None,
        "PointsGranted": _points(item),
        "ItemPrice": _breakdown(item, "ITEM"),
        "ShippingPrice": _breakdown(item, "SHIPPING"),
        "ShippingDiscount": _breakdown(item, "DISCOUNT", "SHIPPING"),
        "ShippingDiscountTax": None,
        "PromotionDiscount": _breakdown(item, "DISCOUNT", "ITEM"),
        "PromotionDiscountTax": _breakdown(item, "TAX", "DISCOUNT"),
        "ItemTax": _breakdown(item, "TAX", "ITEM"),
        "ShippingTax": _breakdown(item, "TAX", "SHIPPING"),
        "PromotionIds": (
            [p.get("promotionId") for p in promotions if p.get("promotionId")]
            if isinstance(promotions, list)
            else None
        ),
        "CODFee": _breakdown(item, "COD_FEE"),
        "CODFeeDiscount": _breakdown(item, "DISCOUNT", "COD_FEE"),
        "TaxCollection": (
            {
                "Model": collection.get("model"),
                "ResponsibleParty": collection.get("responsibleParty"),
            }
            if isinstance(collection, dict)
            else None
        ),
        "BuyerInfo": _item_buyer_info(item),
        "BuyerRequestedCancel": _cancel(item),
        "IsGift": _is_gift(order_value, item),
        "ConditionId": words(condition.get("conditionType"), " "),
        "ConditionNote": condition.get("conditionNote"),
        "ConditionSubtypeId": words(condition.get("conditionSubtype"), " "),
        "ScheduledDeliveryStartDate": utc(window.get("earliestDateTime")),
        "ScheduledDeliveryEndDate": utc(window.get("latestDateTime")),
        "PriceDesignation": words(_dig(product, "price", "priceDesignation"), ""),
        "IsTransparency": _item_programs_flag(order_value, item, "TRANSPARENCY"),
        "SerialNumberRequired": (
            serial.get("requirementType") == "REQUIRED" if isinstance(serial, dict) else None
        ),
        "IossNumber": _dig(item, "fulfillment", "shipping", "internationalShipping", "iossNumber"),
        "DeemedResellerCategory": None,
        "StoreChainStoreId": None,
    }
