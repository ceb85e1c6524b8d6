"""Finances v0 (models/financesV0.json) and Finances 2024-06-19 (models/finances_2024-06-19.json).

Events are derived from the same shipments and returns the reports show, so sums can
be checked across streams: each shipped item has its ShipmentEvent (principal, tax,
commission, FBA fee), each return a RefundEvent; a monthly ServiceFeeEvent charges
the subscription, and some days carry an inventory reimbursement AdjustmentEvent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sp_api_simulator import clock
from sp_api_simulator.paging import page_of
from sp_api_simulator.server import Request, Response, Simulator, error_response, route

ROLES = ("Finance and Accounting",)
GROUP_DAYS = 14
ANCHOR = datetime(2026, 1, 1, tzinfo=UTC)
DEFERRAL = timedelta(days=7)
CENT = Decimal("0.01")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _money(code: str, amount: Decimal, *, v0: bool = True) -> dict[str, Any]:
    value = amount.quantize(CENT)
    return (
        {"CurrencyCode": code, "CurrencyAmount": value}
        if v0
        else {"currencyCode": code, "currencyAmount": value}
    )


def _time(request: Request, name: str) -> datetime | None:
    value = request.param(name)
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


# How late Amazon may show an order's financial events (and transactions) after their
# posted date: "Orders from the last 48 hours might not be included in financial events".
LATE_POSTING = timedelta(hours=48)


@dataclass
class LateEvents:
    """Events held back (`late_financial_events`): posted before the simulator started, but
    not shown until released, as Amazon shows some events up to 48 hours late."""

    since: datetime
    released: bool = False

    def hides(self, order_id: str, posted: datetime) -> bool:
        # Every order event of those 48 hours, so a test sees some whatever the day's data.
        return not self.released and self.since - LATE_POSTING <= posted < self.since


def late_events(sim: Simulator) -> LateEvents:
    return sim.family_state("finances-late", lambda s: LateEvents(clock.now()))


def release_late_events(sim: Simulator) -> None:
    """Show the events held back, as Amazon eventually does."""
    late_events(sim).released = True


def events_between(
    sim: Simulator, region: str, after: datetime, before: datetime
) -> list[tuple[str, dict[str, Any]]]:
    """(list name, event) of every financial event posted in [after, before), oldest first."""
    late = late_events(sim) if sim.config.late_financial_events else None
    found = _events_between(sim, region, after, before)
    if late is None:
        return found
    return [
        (name, event)
        for name, event in found
        if "AmazonOrderId" not in event
        or not late.hides(
            str(event["AmazonOrderId"]),
            datetime.fromisoformat(str(event["PostedDate"]).replace("Z", "+00:00")),
        )
    ]


def _events_between(
    sim: Simulator, region: str, after: datetime, before: datetime
) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[datetime, str, dict[str, Any]]] = []
    for profile in sim.data.marketplaces(region):
        if not profile.participating:
            continue
        code = profile.currency
        for day in sim.data.days(profile.id, after, before):
            for s in day.shipments:
                if not after <= s.shipped < before:
                    continue
                principal = s.product.price * s.quantity
                found.append(
                    (
                        s.shipped,
                        "ShipmentEventList",
                        {
                            "AmazonOrderId": s.order_id,
                            "MarketplaceName": profile.name,
                            "PostedDate": _iso(s.shipped),
                            "ShipmentItemList": [
                                {
                                    "SellerSKU": s.product.sku,
                                    "OrderItemId": s.item_id,
                                    "QuantityShipped": s.quantity,
                                    "ItemChargeList": [
                                        {
                                            "ChargeType": "Principal",
                                            "ChargeAmount": _money(code, principal),
                                        },
                                        {
                                            "ChargeType": "Tax",
                                            "ChargeAmount": _money(
                                                code, principal * Decimal("0.19")
                                            ),
                                        },
                                    ],
                                    "ItemFeeList": [
                                        {
                                            "FeeType": "Commission",
                                            "FeeAmount": _money(code, -principal * Decimal("0.15")),
                                        },
                                        {
                                            "FeeType": "FBAPerUnitFulfillmentFee",
                                            "FeeAmount": _money(
                                                code, Decimal("-3.22") * s.quantity
                                            ),
                                        },
                                    ],
                                }
                            ],
                        },
                    )
                )
            for r in day.returns:
                if not after <= r.returned < before:
                    continue
                found.append(
                    (
                        r.returned,
                        "RefundEventList",
                        {
                            "AmazonOrderId": r.order_id,
                            "MarketplaceName": profile.name,
                            "PostedDate": _iso(r.returned),
                            "ShipmentItemAdjustmentList": [
                                {
                                    "SellerSKU": r.product.sku,
                                    "OrderAdjustmentItemId": r.rma_id,
                                    "QuantityShipped": r.quantity,
                                    "ItemChargeAdjustmentList": [
                                        {
                                            "ChargeType": "Principal",
                                            "ChargeAmount": _money(code, -r.refunded),
                                        },
                                    ],
                                    "ItemFeeAdjustmentList": [
                                        {
                                            "FeeType": "Commission",
                                            "FeeAmount": _money(code, r.refunded * Decimal("0.12")),
                                        },
                                    ],
                                }
                            ],
                        },
                    )
                )
        month = datetime(after.year, after.month, 1, tzinfo=UTC)
        while month < before:
            posted = month + timedelta(hours=3)
            if after <= posted < before:
                found.append(
                    (
                        posted,
                        "ServiceFeeEventList",
                        {
                            "FeeReason": "Subscription",
                            "FeeDescription": "Professional selling plan – Gebühr",
                            "FeeList": [
                                {
                                    "FeeType": "Subscription",
                                    "FeeAmount": _money(code, Decimal("-39.99")),
                                }
                            ],
                        },
                    )
                )
                # Two identical fees in one month: two events, never collapsed into one.
                if month.month % 2 == 0:
                    found.append(
                        (
                            posted,
                            "ServiceFeeEventList",
                            {
                                "FeeReason": "Storage",
                                "FeeDescription": "FBA storage",
                                "FeeList": [
                                    {
                                        "FeeType": "FBAStorageFee",
                                        "FeeAmount": _money(code, Decimal("-5.00")),
                                    }
                                ],
                            },
                        )
                    )
                    found.append(
                        (
                            posted,
                            "ServiceFeeEventList",
                            {
                                "FeeReason": "Storage",
                                "FeeDescription": "FBA storage",
                                "FeeList": [
                                    {
                                        "FeeType": "FBAStorageFee",
                                        "FeeAmount": _money(code, Decimal("-5.00")),
                                    }
                                ],
                            },
                        )
                    )
            month = (month + timedelta(days=32)).replace(day=1)
    found.sort(key=lambda item: item[0])
    return [(name, event) for _, name, event in found]


@route("financesV0.listFinancialEvents", ROLES)
def list_financial_events(sim: Simulator, request: Request) -> Response:
    now = clock.now()
    try:
        after = _time(request, "PostedAfter")
        before = _time(request, "PostedBefore") or now - timedelta(minutes=2)
        size = int(request.param("MaxResultsPerPage") or 100)
    except ValueError:
        return error_response(
            400, "InvalidInput", "Invalid PostedAfter, PostedBefore or MaxResultsPerPage."
        )
    if after is None:
        return error_response(400, "InvalidInput", "PostedAfter is required here.")
    if before > now - timedelta(minutes=2) or after >= before:
        return error_response(
            400,
            "InvalidInput",
            "PostedBefore must be later than PostedAfter and more than two minutes ago.",
        )
    if not 1 <= size <= 100:
        return error_response(400, "InvalidInput", "MaxResultsPerPage must be between 1 and 100.")
    events = (
        []
        if before - after > timedelta(days=180)
        else events_between(sim, request.region, after, before)
    )
    page, token = page_of(sim, "finances-events", events, request.param("NextToken"), size)
    if page is None:
        return error_response(400, "InvalidInput", "Invalid NextToken.")
    lists: dict[str, list[dict[str, Any]]] = {}
    for name, event in page:
        lists.setdefault(name, []).append(event)
    payload: dict[str, Any] = {"FinancialEvents": lists}
    if token:
        payload["NextToken"] = token
    return Response(200, {"payload": payload})


def event_groups(sim: Simulator, region: str) -> list[dict[str, Any]]:
    """14-day groups since 2026-01-01; the current one is Open."""
    now = clock.now()
    profile = next(m for m in sim.data.marketplaces(region) if m.participating)
    groups = []
    start = ANCHOR
    while start < now:
        end = start + timedelta(days=GROUP_DAYS)
        events = events_between(sim, region, start, min(end, now - timedelta(minutes=2)))
        total = Decimal(0)
        for _, event in events:
            for key in ("ShipmentItemList", "ShipmentItemAdjustmentList"):
                for item in event.get(key, []):
                    for charge in item.get("ItemChargeList", []) + item.get(
                        "ItemChargeAdjustmentList", []
                    ):
                        total += charge["ChargeAmount"]["CurrencyAmount"]
        closed = end <= now
        group: dict[str, Any] = {
            "FinancialEventGroupId": hashlib.sha1(
                f"{sim.config.seed}:{region}:{start}".encode()
            ).hexdigest()[:24],
            "ProcessingStatus": "Closed" if closed else "Open",
            "FundTransferStatus": "Succeeded" if closed else "Unknown",
            "OriginalTotal": _money(profile.currency, total),
            "FinancialEventGroupStart": _iso(start),
            "BeginningBalance": _money(profile.currency, Decimal(0)),
        }
        if closed:
            group.update(
                {
                    "FinancialEventGroupEnd": _iso(end),
                    "FundTransferDate": _iso(end + timedelta(days=1)),
                    "TraceId": f"TRACE{start:%Y%m%d}",
                    "AccountTail": "789",
                }
            )
        groups.append(group)
        start = end
    return groups


@route("financesV0.listFinancialEventGroups", ROLES)
def list_financial_event_groups(sim: Simulator, request: Request) -> Response:
    try:
        after = _time(request, "FinancialEventGroupStartedAfter")
        before = _time(request, "FinancialEventGroupStartedBefore")
        size = int(request.param("MaxResultsPerPage") or 10)
    except ValueError:
        return error_response(400, "InvalidInput", "Invalid dates or MaxResultsPerPage.")
    if not 1 <= size <= 100:
        return error_response(400, "InvalidInput", "MaxResultsPerPage must be between 1 and 100.")
    groups = [
        g
        for g in event_groups(sim, request.region)
        if (after is None or g["FinancialEventGroupStart"] >= _iso(after))
        and (before is None or g["FinancialEventGroupStart"] < _iso(before))
    ]
    page, token = page_of(sim, "finances-groups", groups, request.param("NextToken"), size)
    if page is None:
        return error_response(400, "InvalidInput", "Invalid NextToken.")
    payload: dict[str, Any] = {"FinancialEventGroupList": page}
    if token:
        payload["NextToken"] = token
    return Response(200, {"payload": payload})


def transactions_between(
    sim: Simulator, marketplace_id: str, after: datetime, before: datetime
) -> list[dict[str, Any]]:
    """One transaction per shipped order item; the last week's are still DEFERRED."""
    profile = sim.data_marketplace(marketplace_id)
    now = clock.now()
    late = late_events(sim) if sim.config.late_financial_events else None
    found = []
    for day in sim.data.days(marketplace_id, after, before):
        for s in day.shipments:
            if not after <= s.shipped < before:
                continue
            if late is not None and late.hides(s.order_id, s.shipped):
                continue
            principal = (s.product.price * s.quantity).quantize(CENT)
            fee = (principal * Decimal("0.15")).quantize(CENT)
            found.append(
                {
                    "transactionId": hashlib.sha1(f"{s.order_id}:{s.item_id}".encode()).hexdigest()[
                        :20
                    ],
                    "transactionType": "Shipment",
                    "transactionStatus": "DEFERRED" if now - s.shipped < DEFERRAL else "RELEASED",
                    "description": "Order Payment",
                    "postedDate": _iso(s.shipped),
                    "totalAmount": _money(profile.currency, principal - fee, v0=False),
                    "marketplaceDetails": {
                        "marketplaceId": profile.id,
                        "marketplaceName": profile.name,
                    },
                    "sellingPartnerMetadata": {
                        "sellingPartnerId": sim.config.seller_id,
                        "accountType": "Standard Orders",
                        "marketplaceId": profile.id,
                    },
                    "relatedIdentifiers": [
                        {"relatedIdentifierName": "ORDER_ID", "relatedIdentifierValue": s.order_id}
                    ],
                    "breakdowns": [
                        {
                            "breakdownType": "Sales",
                            "breakdownAmount": _money(profile.currency, principal, v0=False),
                        },
                        {
                            "breakdownType": "Expenses",
                            "breakdownAmount": _money(profile.currency, -fee, v0=False),
                        },
                    ],
                }
            )
    return sorted(found, key=lambda t: t["postedDate"])


@route("finances_2024-06-19.listTransactions", ROLES)
def list_transactions(sim: Simulator, request: Request) -> Response:
    now = clock.now()
    try:
        after = _time(request, "postedAfter")
        before = _time(request, "postedBefore") or now - timedelta(minutes=2)
    except ValueError:
        return error_response(400, "InvalidInput", "Invalid postedAfter or postedBefore.")
    marketplace = request.param("marketplaceId")
    profile = sim.data_marketplace(marketplace or "")
    if after is None or profile is None or profile.region != request.region:
        return error_response(
            400, "InvalidInput", "postedAfter and a marketplaceId of this region are required."
        )
    if (
        before > now - timedelta(minutes=2)
        or after >= before
        or before - after > timedelta(days=180)
    ):
        return error_response(
            400,
            "InvalidInput",
            "postedBefore must be after postedAfter, within 180 days, and two minutes ago.",
        )
    items = transactions_between(sim, profile.id, after, before)
    status = request.param("transactionStatus")
    if status:
        items = [t for t in items if t["transactionStatus"] == status]
    page, token = page_of(sim, "finances-transactions", items, request.param("nextToken"), 100)
    if page is None:
        return error_response(400, "InvalidInput", "Invalid nextToken.")
    payload: dict[str, Any] = {"transactions": page}
    if token:
        payload["nextToken"] = token
    return Response(200, {"payload": payload})
