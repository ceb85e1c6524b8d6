"""Replenishment API 2022-11-07 (models/replenishment-2022-11-07.json): Subscribe & Save.

Offers are the seller's own products (SellerData): same SKUs, ASINs, prices, currency and
stock; two products in three are enrolled. Each offer's day is drawn from a seed of
(marketplace, SKU, day), so any period sums the same days; the seller's metrics are the
sums of its offers'. Requests are checked as Amazon's model and notes say (required
fields, enums, limits, the 31-day DAY interval, one aggregation unit for listOfferMetrics,
two years of history), and every body is kept for tests (`requests_seen`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sp_api_simulator import clock
from sp_api_simulator.data import MARKETPLACES_BY_ID, Product
from sp_api_simulator.server import Request, Response, Simulator, error_response, route

ROLES = ("Brand Analytics",)
PROGRAM = "SUBSCRIBE_AND_SAVE"
# The model: US, CA, ES, UK, FR, IT, IN, DE, JP for sellers and vendors; BR, AU, MX, AE, NL
# for vendors only. The simulated account is a seller in US, CA, DE, FR, GB, ES and JP of
# these (its data has no IT or IN); MX, vendors only, is refused as Amazon refuses a seller.
SELLER_MARKETPLACES = frozenset(
    {
        "ATVPDKIKX0DER",
        "A2EUQ1WTGCTBG2",
        "A1RKKUPIHCS9HS",
        "A1F83G8C2ARO7P",
        "A13V1IB3VIYZZH",
        "A1PA6795UKMFR9",
        "A1VC38T7YXB528",
    }
)
HISTORY_DAYS = 730
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
FREQUENCIES = ("DAY", "WEEK", "MONTH", "QUARTER", "YEAR")
METRICS = (
    "SHIPPED_SUBSCRIPTION_UNITS",
    "TOTAL_SUBSCRIPTIONS_REVENUE",
    "ACTIVE_SUBSCRIPTIONS",
    "NOT_DELIVERED_DUE_TO_OOS",
    "SUBSCRIBER_NON_SUBSCRIBER_AVERAGE_REVENUE",
    "LOST_REVENUE_DUE_TO_OOS",
    "SUBSCRIBER_NON_SUBSCRIBER_AVERAGE_REORDERS",
    "COUPONS_REVENUE_PENETRATION",
    "REVENUE_BY_DELIVERIES",
    "SUBSCRIBER_RETENTION",
    "REVENUE_PENETRATION_BY_SELLER_FUNDING",
    "SHARE_OF_COUPON_SUBSCRIPTIONS",
    "SUBSCRIBER_LIFETIME_VALUE_BY_CUSTOMER_SEGMENT",
    "SIGNUP_CONVERSION_BY_SELLER_FUNDING",
    "REVENUE_PENETRATION",
)
# Metrics of the period asked; the others are rolling windows ending on its last day.
PERIOD_METRICS = (
    "SHIPPED_SUBSCRIPTION_UNITS",
    "TOTAL_SUBSCRIPTIONS_REVENUE",
    "ACTIVE_SUBSCRIPTIONS",
    "NOT_DELIVERED_DUE_TO_OOS",
    "LOST_REVENUE_DUE_TO_OOS",
    "COUPONS_REVENUE_PENETRATION",
    "SHARE_OF_COUPON_SUBSCRIPTIONS",
    "REVENUE_PENETRATION",
)
ELIGIBILITIES = ("ELIGIBLE", "INELIGIBLE", "SUSPENDED", "REPLENISHMENT_ONLY_ORDERING")
DELIVERY_CONDITIONS = (
    "NEXT_30_DAYS_DELIVERIES_PAUSED_PRICING",
    "NEXT_30_DAYS_DELIVERIES_PAUSED_NON_BUYABLE",
    "NEXT_30_DAYS_DELIVERIES_AT_LOW_INVENTORY_RISK_ONLY",
    "NEXT_30_DAYS_DELIVERIES_AT_LOW_INVENTORY_RISK",
    "NO_ISSUES_FOR_NEXT_30_DAYS_DELIVERIES",
)
OFFER_METRIC_SORT_KEYS = (
    "SHIPPED_SUBSCRIPTION_UNITS",
    "TOTAL_SUBSCRIPTIONS_REVENUE",
    "ACTIVE_SUBSCRIPTIONS",
    "NEXT_90DAYS_SHIPPED_SUBSCRIPTION_UNITS",
    "NEXT_60DAYS_SHIPPED_SUBSCRIPTION_UNITS",
    "NEXT_30DAYS_SHIPPED_SUBSCRIPTION_UNITS",
    "NEXT_90DAYS_TOTAL_SUBSCRIPTIONS_REVENUE",
    "NEXT_60DAYS_TOTAL_SUBSCRIPTIONS_REVENUE",
    "NEXT_30DAYS_TOTAL_SUBSCRIPTIONS_REVENUE",
)
OFFER_SORT_KEYS = (
    "ASIN",
    "SELLING_PARTNER_FUNDED_BASE_DISCOUNT_PERCENTAGE",
    "SELLING_PARTNER_FUNDED_TIERED_DISCOUNT_PERCENTAGE",
    "AMAZON_FUNDED_BASE_DISCOUNT_PERCENTAGE",
    "AMAZON_FUNDED_TIERED_DISCOUNT_PERCENTAGE",
    "INVENTORY",
    "PRICE",
    "SUBSCRIPTION_COUNT",
    "FULFILLMENT_NETWORK_ID_TYPE",
)


class Invalid(Exception):
    """A request Amazon would answer 400 InvalidInput."""


@dataclass(frozen=True)
class Offer:
    """A product enrolled in Subscribe & Save, with its fixed settings."""

    marketplace_id: str
    currency: str
    product: Product
    channel: str
    base_discount: int  # seller-funded, percent
    tiered_discount: int
    amazon_discount: int
    auto_enrollment: str
    enrollment: str
    base_subscribers: int
    coupon: bool

    @property
    def out_of_stock(self) -> bool:
        return self.product.quantity == 0

    @property
    def eligibility(self) -> str:
        return "SUSPENDED" if self.out_of_stock else "ELIGIBLE"


@dataclass
class Day:
    """One offer's (or a sum of offers') Subscribe & Save figures over some days."""

    units: int = 0
    undelivered: int = 0
    revenue: Decimal = Decimal(0)
    product_revenue: Decimal = Decimal(0)
    coupon_revenue: Decimal = Decimal(0)
    lost: Decimal = Decimal(0)
    active: int = 0  # at the end of the last day

    def add(self, other: Day) -> None:
        self.units += other.units
        self.undelivered += other.undelivered
        self.revenue += other.revenue
        self.product_revenue += other.product_revenue
        self.coupon_revenue += other.coupon_revenue
        self.lost += other.lost


def offers(sim: Simulator, marketplace_id: str) -> list[Offer]:
    def make(_sim: Simulator) -> list[Offer]:
        profile = MARKETPLACES_BY_ID[marketplace_id]
        found = []
        for index, product in enumerate(sim.data.products(marketplace_id)):
            if index % 3 == 2:
                continue
            rng = random.Random(f"{sim.config.seed}:sns:{marketplace_id}:{product.sku}")
            found.append(
                Offer(
                    marketplace_id=marketplace_id,
                    currency=profile.currency,
                    product=product,
                    channel=rng.choice(("AMAZON", "AMAZON", "MERCHANT")),
                    base_discount=rng.choice((0, 5, 10)),
                    tiered_discount=rng.choice((0, 5)),
                    amazon_discount=rng.choice((0, 5)),
                    auto_enrollment=rng.choice(("OPTED_IN", "OPTED_OUT")),
                    enrollment=rng.choice(("MANUAL", "AUTOMATIC")),
                    base_subscribers=rng.randrange(3, 80),
                    coupon=rng.random() < 0.4,
                )
            )
        return found

    return sim.family_state(f"replenishment:offers:{marketplace_id}", make)


def offer_day(sim: Simulator, offer: Offer, day: date) -> Day:
    """The offer's figures of one UTC day (the same on every call)."""
    rng = random.Random(f"{sim.config.seed}:sns:{offer.marketplace_id}:{offer.product.sku}:{day}")
    active = offer.base_subscribers + day.toordinal() % 5
    wanted = rng.randrange(0, max(2, active // 4))
    undelivered = wanted if offer.out_of_stock else 0
    units = wanted - undelivered
    price = offer.product.price
    discount = Decimal(100 - offer.base_discount) / HUNDRED
    revenue = (price * units * discount).quantize(CENT)
    one_time = price * rng.randrange(0, 6)
    return Day(
        units=units,
        undelivered=undelivered,
        revenue=revenue,
        product_revenue=(revenue + one_time).quantize(CENT),
        coupon_revenue=revenue if offer.coupon else Decimal(0),
        lost=(price * undelivered * discount).quantize(CENT),
        active=active,
    )


def period_of(sim: Simulator, chosen: list[Offer], first: date, last: date) -> Day:
    total = Day()
    for offer in chosen:
        day = first
        while day <= last:
            total.add(offer_day(sim, offer, day))
            day += timedelta(days=1)
        total.active += offer_day(sim, offer, last).active
    return total


def _percent(part: Decimal | int, whole: Decimal | int) -> Decimal:
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT) if whole else Decimal(0)


def _coupon_share(sim: Simulator, marketplace_id: str) -> Decimal:
    rng = random.Random(f"{sim.config.seed}:sns-coupons:{marketplace_id}")
    return Decimal(rng.randrange(500, 3000)) / 100


def _midnight(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


# -- periods ----------------------------------------------------------------------------


def _day(value: Any, name: str) -> date:
    if not isinstance(value, str):
        raise Invalid(f"timeInterval.{name} is required.")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).date()
    except ValueError:
        raise Invalid(f"timeInterval.{name} must be an ISO 8601 date-time.") from None


def _period_start(day: date, frequency: str) -> date:
    if frequency == "WEEK":
        return day - timedelta(days=day.weekday())
    if frequency == "MONTH":
        return day.replace(day=1)
    if frequency == "QUARTER":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    if frequency == "YEAR":
        return day.replace(month=1, day=1)
    return day


def _period_end(start: date, frequency: str) -> date:
    if frequency == "DAY":
        return start
    if frequency == "WEEK":
        return start + timedelta(days=6)
    months = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}[frequency]
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def periods(first: date, last: date, frequency: str) -> list[tuple[date, date]]:
    """The periods of `frequency` from the one holding `first` to the one holding `last`
    (as Amazon widens startDate and endDate), cut at yesterday (data available)."""
    yesterday = clock.today() - timedelta(days=1)
    found = []
    start = _period_start(first, frequency)
    while start <= min(last, yesterday):
        end = _period_end(start, frequency)
        found.append((start, min(end, yesterday)))
        start = end + timedelta(days=1)
    return found


def _interval(body: dict[str, Any], *, performance: bool) -> tuple[date, date]:
    interval = body.get("timeInterval")
    if not isinstance(interval, dict):
        raise Invalid("timeInterval is required.")
    first, last = (
        _day(interval.get("startDate"), "startDate"),
        _day(interval.get("endDate"), "endDate"),
    )
    if last < first:
        raise Invalid("timeInterval.endDate must not be before startDate.")
    if performance and first < clock.today() - timedelta(days=HISTORY_DAYS):
        raise Invalid("Only data for the trailing 2 years is supported.")
    return first, last


def _common(body: Any) -> tuple[str, str, str | None]:
    """Checks shared by both metric operations: (marketplaceId, timePeriodType, frequency)."""
    if not isinstance(body, dict):
        raise Invalid("The request body must be a JSON object.")
    marketplace_id = body.get("marketplaceId")
    if not isinstance(marketplace_id, str) or not marketplace_id:
        raise Invalid("marketplaceId is required.")
    if marketplace_id not in SELLER_MARKETPLACES:
        raise Invalid(f"Unsupported marketplaceId {marketplace_id} is provided.")
    if body.get("programTypes") != [PROGRAM]:
        raise Invalid("programTypes must be [SUBSCRIBE_AND_SAVE].")
    period_type = body.get("timePeriodType")
    if period_type not in ("PERFORMANCE", "FORECAST"):
        raise Invalid("timePeriodType must be PERFORMANCE or FORECAST.")
    frequency = body.get("aggregationFrequency")
    if frequency is not None and frequency not in FREQUENCIES:
        raise Invalid(f"Unsupported aggregationFrequency {frequency} is provided.")
    if period_type == "FORECAST" and frequency is not None:
        raise Invalid("aggregationFrequency is only valid for the PERFORMANCE timePeriodType.")
    return marketplace_id, period_type, frequency


def _pagination(body: dict[str, Any], max_limit: int) -> tuple[int, int]:
    pagination = body.get("pagination")
    if not isinstance(pagination, dict):
        raise Invalid("pagination is required.")
    limit, offset = pagination.get("limit"), pagination.get("offset")
    if not isinstance(limit, int) or not 1 <= limit <= max_limit:
        raise Invalid(f"pagination.limit must be between 1 and {max_limit}.")
    if not isinstance(offset, int) or not 0 <= offset <= 9000:
        raise Invalid("pagination.offset must be between 0 and 9000.")
    return limit, offset


def _sort(body: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any] | None:
    sort = body.get("sort")
    if sort is None:
        return None
    if not isinstance(sort, dict) or sort.get("order") not in ("ASC", "DESC"):
        raise Invalid("sort.order must be ASC or DESC.")
    if sort.get("key") not in keys:
        raise Invalid(f"sort.key must be one of {', '.join(keys)}.")
    return sort


def _page(items: list[dict[str, Any]], sim: Simulator, limit: int, offset: int) -> dict:
    size = min(limit, sim.config.page_size or limit)
    return {"offers": items[offset : offset + size], "pagination": {"totalResults": len(items)}}


def _seen(sim: Simulator, request: Request) -> dict[str, Any]:
    """The JSON body (an object, as every operation here takes), kept for tests (what the
    tap asked)."""
    try:
        body = request.json()
    except ValueError:
        raise Invalid("The request body is not JSON.") from None
    sim.family_state("replenishment:requests", lambda _: []).append((request.operation, body))
    if not isinstance(body, dict):
        raise Invalid("The request body must be a JSON object.")
    return body


def requests_seen(sim: Simulator) -> list[tuple[str, Any]]:
    return sim.family_state("replenishment:requests", lambda _: [])


def _checked(handler: Any) -> Any:
    """Turn `Invalid` into Amazon's 400 InvalidInput."""

    def serve(sim: Simulator, request: Request) -> Response:
        try:
            return handler(sim, request)
        except Invalid as problem:
            return error_response(400, "InvalidInput", str(problem))

    serve.__name__ = handler.__name__
    return serve


# -- getSellingPartnerMetrics -----------------------------------------------------------


def _period_fields(total: Day, wanted: set[str], share: Decimal) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "SHIPPED_SUBSCRIPTION_UNITS" in wanted:
        fields["shippedSubscriptionUnits"] = total.units
    if "TOTAL_SUBSCRIPTIONS_REVENUE" in wanted:
        fields["totalSubscriptionsRevenue"] = total.revenue
    if "ACTIVE_SUBSCRIPTIONS" in wanted:
        fields["activeSubscriptions"] = total.active
    if "NOT_DELIVERED_DUE_TO_OOS" in wanted:
        fields["notDeliveredDueToOOS"] = _percent(
            total.undelivered, total.units + total.undelivered
        )
    if "LOST_REVENUE_DUE_TO_OOS" in wanted:
        fields["lostRevenueDueToOOS"] = total.lost
    if "COUPONS_REVENUE_PENETRATION" in wanted:
        fields["couponsRevenuePenetration"] = _percent(total.coupon_revenue, total.revenue)
    if "SHARE_OF_COUPON_SUBSCRIPTIONS" in wanted:
        fields["shareOfCouponSubscriptions"] = share
    if "REVENUE_PENETRATION" in wanted:
        fields["revenuePenetration"] = _percent(total.revenue, total.product_revenue)
    return fields


def rolling_metrics(
    sim: Simulator, marketplace_id: str, anchor: date, wanted: set[str]
) -> list[dict[str, Any]]:
    """The 12-month bundle and the 24-month (lifetime value) bundle ending on `anchor`.

    Their windows end at the time of day Amazon computed them (not midnight), as in the
    model's example: the tap must not assume whole days here.
    """
    rng = random.Random(f"{sim.config.seed}:sns-rolling:{marketplace_id}:{anchor}")
    currency = MARKETPLACES_BY_ID[marketplace_id].currency
    computed = datetime.combine(anchor, datetime.min.time(), UTC) + timedelta(
        hours=22, minutes=36, seconds=56
    )

    def money() -> Decimal:
        return Decimal(rng.randrange(1000, 40000)) / 100

    def percent() -> Decimal:
        return Decimal(rng.randrange(0, 10000)) / 100

    year: dict[str, Any] = {}
    if "SUBSCRIBER_NON_SUBSCRIBER_AVERAGE_REVENUE" in wanted:
        subscriber = money()
        year["subscriberAverageRevenue"] = subscriber + 50
        year["nonSubscriberAverageRevenue"] = subscriber
    if "SUBSCRIBER_NON_SUBSCRIBER_AVERAGE_REORDERS" in wanted:
        year["subscriberAverageReorders"] = Decimal(rng.randrange(200, 600)) / 100
        year["nonSubscriberAverageReorders"] = Decimal(rng.randrange(100, 200)) / 100
    if "REVENUE_BY_DELIVERIES" in wanted:
        year["revenueFromSubscriptionsWithMultipleDeliveries"] = money() * 100
        year["revenueFromActiveSubscriptionsWithSingleDelivery"] = money() * 10
        year["revenueFromCancelledSubscriptionsAfterSingleDelivery"] = money()
    if "SUBSCRIBER_RETENTION" in wanted:
        thirty = Decimal(rng.randrange(8000, 9900)) / 100
        year["subscriberRetentionFor30Days"] = thirty
        year["subscriberRetentionFor90Days"] = thirty - 12
    if "REVENUE_PENETRATION_BY_SELLER_FUNDING" in wanted:
        zero, five = Decimal(rng.randrange(0, 5000)) / 100, Decimal(rng.randrange(0, 3000)) / 100
        year["revenuePenetrationFor0PercentSellerFunding"] = zero
        year["revenuePenetrationFor5PercentSellerFunding"] = five
        year["revenuePenetrationFor10PercentSellerFunding"] = HUNDRED - zero - five
    if "SIGNUP_CONVERSION_BY_SELLER_FUNDING" in wanted:
        year["signupConversionFor0PercentSellerFunding"] = percent() / 5
        year["signupConversionFor5PercentSellerFunding"] = percent() / 5
        year["signupConversionFor10PercentSellerFunding"] = percent() / 5
    bundles = []
    if year:
        start = computed - timedelta(days=365)
        bundles.append({**year, "currencyCode": currency, "timeInterval": _window(start, computed)})
    if "SUBSCRIBER_LIFETIME_VALUE_BY_CUSTOMER_SEGMENT" in wanted:
        lifetime = {
            name: money()
            for name in (
                "nonSubscriberLifeTimeValueFromOTP",
                "lostSubscriberLifeTimeValueFromOTP",
                "lostSubscriberLifeTimeValueFromSNS",
                "growingSubscriberLifeTimeValueFromOTP",
                "growingSubscriberLifeTimeValueFromSNS",
                "establishedSubscriberLifeTimeValueFromOTP",
                "establishedSubscriberLifeTimeValueFromSNS",
            )
        }
        start = computed - timedelta(days=730)
        bundles.append(
            {**lifetime, "currencyCode": currency, "timeInterval": _window(start, computed)}
        )
    return bundles


def _window(start: datetime, end: datetime) -> dict[str, str]:
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return {"startDate": start.strftime(fmt), "endDate": end.strftime(fmt)}


def forecast_of(sim: Simulator, offer: Offer, days: int) -> tuple[int, Decimal]:
    """Projected subscription units and revenue over the next `days` (a delivery a month)."""
    today = offer_day(sim, offer, clock.today())
    units = 0 if offer.out_of_stock else today.active * days // 30
    discount = Decimal(100 - offer.base_discount) / HUNDRED
    return units, (offer.product.price * units * discount).quantize(CENT)


@route("replenishment-2022-11-07.getSellingPartnerMetrics", ROLES)
@_checked
def get_selling_partner_metrics(sim: Simulator, request: Request) -> Response:
    body = _seen(sim, request)
    marketplace_id, period_type, frequency = _common(body)
    metrics = body.get("metrics")
    if metrics is not None and (
        not isinstance(metrics, list) or not metrics or any(m not in METRICS for m in metrics)
    ):
        raise Invalid(f"metrics must be a non-empty list of {', '.join(METRICS)}.")
    wanted = set(metrics or METRICS)
    first, last = _interval(body, performance=period_type == "PERFORMANCE")
    chosen = offers(sim, marketplace_id)
    currency = MARKETPLACES_BY_ID[marketplace_id].currency
    if period_type == "FORECAST":
        if wanted - {"TOTAL_SUBSCRIPTIONS_REVENUE", "SHIPPED_SUBSCRIPTION_UNITS"}:
            raise Invalid(
                "Only TOTAL_SUBSCRIPTIONS_REVENUE and SHIPPED_SUBSCRIPTION_UNITS forecast."
            )
        days = (last - first).days + 1
        projected = [forecast_of(sim, offer, days) for offer in chosen]
        bundle: dict[str, Any] = {"currencyCode": currency}
        if "SHIPPED_SUBSCRIPTION_UNITS" in wanted:
            bundle["shippedSubscriptionUnits"] = sum(units for units, _ in projected)
        if "TOTAL_SUBSCRIPTIONS_REVENUE" in wanted:
            bundle["totalSubscriptionsRevenue"] = sum((r for _, r in projected), Decimal(0))
        bundle["timeInterval"] = {"startDate": _midnight(first), "endDate": _midnight(last)}
        return Response(200, {"metrics": [bundle]})
    frequency = frequency or "DAY"
    if frequency == "DAY" and (last - first).days > 31:
        raise Invalid("For DAY aggregationFrequency the time interval cannot exceed 31 days.")
    share = _coupon_share(sim, marketplace_id)
    found = []
    for start, end in periods(first, last, frequency):
        fields = _period_fields(period_of(sim, chosen, start, end), wanted, share)
        if fields:
            found.append(
                {
                    **fields,
                    "currencyCode": currency,
                    "timeInterval": {"startDate": _midnight(start), "endDate": _midnight(end)},
                }
            )
    found += rolling_metrics(sim, marketplace_id, last, wanted)
    return Response(200, {"metrics": found})


# -- listOfferMetrics -------------------------------------------------------------------


def _offer_identity(offer: Offer) -> dict[str, Any]:
    return {
        "asin": offer.product.asin,
        "sku": offer.product.sku,
        "fulfillmentChannelType": offer.channel,
    }


def brand_of(sim: Simulator, marketplace_id: str) -> str:
    """The seller's brand: its store name ("Müller & Söhne Haushaltswaren", ...)."""
    return str(sim.data.store_names[marketplace_id])


def _filtered(chosen: list[Offer], filters: dict[str, Any]) -> list[Offer]:
    for name, attribute in (("asins", "asin"), ("skus", "sku")):
        values = filters.get(name)
        if values is not None:
            if not isinstance(values, list) or not 1 <= len(values) <= 20:
                raise Invalid(f"{name} must list 1 to 20 values.")
            chosen = [o for o in chosen if getattr(o.product, attribute) in values]
    channels = filters.get("fulfillmentChannelTypes")
    if channels is not None:
        chosen = [o for o in chosen if o.channel in channels]
    return chosen


@route("replenishment-2022-11-07.listOfferMetrics", ROLES)
@_checked
def list_offer_metrics(sim: Simulator, request: Request) -> Response:
    body = _seen(sim, request)
    limit, offset = _pagination(body, 500)
    sort = _sort(body, OFFER_METRIC_SORT_KEYS)
    filters = body.get("filters")
    marketplace_id, period_type, frequency = _common(filters)
    assert isinstance(filters, dict)
    first, last = _interval(filters, performance=period_type == "PERFORMANCE")
    chosen = _filtered(offers(sim, marketplace_id), filters)
    currency = MARKETPLACES_BY_ID[marketplace_id].currency
    rows = []
    if period_type == "FORECAST":
        interval = {"startDate": _midnight(first), "endDate": _midnight(last)}
        for offer in chosen:
            row = _offer_identity(offer)
            for days in (30, 60, 90):
                units, revenue = forecast_of(sim, offer, days)
                row[f"next{days}DayShippedSubscriptionUnits"] = units
                row[f"next{days}DayTotalSubscriptionsRevenue"] = revenue
            rows.append({**row, "currencyCode": currency, "timeInterval": interval})
    else:
        frequency = frequency or "DAY"
        spanned = periods(first, last, frequency)
        if _period_start(first, frequency) != _period_start(last, frequency):
            raise Invalid(
                "listOfferMetrics supports a time interval of a single unit of the "
                f"aggregation frequency ({frequency})."
            )
        share = _coupon_share(sim, marketplace_id)
        for start, end in spanned:
            # Real Amazon writes these dates with milliseconds: the tap must read both.
            interval = {"startDate": f"{start}T00:00:00.000Z", "endDate": f"{end}T00:00:00.000Z"}
            for offer in chosen:
                total = period_of(sim, [offer], start, end)
                fields = _period_fields(total, set(PERIOD_METRICS), share)
                fields["shareOfCouponSubscriptions"] = share if offer.coupon else Decimal(0)
                rows.append(
                    {
                        **_offer_identity(offer),
                        "brandName": brand_of(sim, marketplace_id),
                        **fields,
                        "currencyCode": currency,
                        "timeInterval": interval,
                    }
                )
    if sort:
        field = {
            "SHIPPED_SUBSCRIPTION_UNITS": "shippedSubscriptionUnits",
            "TOTAL_SUBSCRIPTIONS_REVENUE": "totalSubscriptionsRevenue",
            "ACTIVE_SUBSCRIPTIONS": "activeSubscriptions",
        }.get(sort["key"], "asin")
        rows.sort(key=lambda r: r.get(field) or 0, reverse=sort["order"] == "DESC")
    return Response(200, _page(rows, sim, limit, offset))


# -- listOffers -------------------------------------------------------------------------


def offer_record(sim: Simulator, offer: Offer) -> dict[str, Any]:
    today = offer_day(sim, offer, clock.today())
    next30, _ = forecast_of(sim, offer, 30)
    condition = (
        "NEXT_30_DAYS_DELIVERIES_PAUSED_NON_BUYABLE"
        if offer.out_of_stock
        else "NO_ISSUES_FOR_NEXT_30_DAYS_DELIVERIES"
    )
    return {
        "sku": offer.product.sku,
        "asin": offer.product.asin,
        "marketplaceId": offer.marketplace_id,
        "eligibility": offer.eligibility,
        "offerProgramConfiguration": {
            "preferences": {"autoEnrollment": offer.auto_enrollment},
            "promotions": {
                "sellingPartnerFundedBaseDiscount": {"percentage": offer.base_discount},
                "sellingPartnerFundedTieredDiscount": {"percentage": offer.tiered_discount},
                "amazonFundedBaseDiscount": {"percentage": offer.amazon_discount},
                "amazonFundedTieredDiscount": {"percentage": 0},
            },
            "enrollmentMethod": offer.enrollment,
        },
        "programType": PROGRAM,
        "price": offer.product.price,
        "priceCurrencyCode": offer.currency,
        "inventory": offer.product.quantity,
        "subscriptions": today.active,
        "deliveriesConditions": [{"condition": condition, "next30DaysDeliveries": next30}],
        "forecastDeliveries": {
            f"next{days}DaysDeliveries": forecast_of(sim, offer, days)[0]
            for days in (15, 30, 60, 90)
        },
    }


@route("replenishment-2022-11-07.listOffers", ROLES)
@_checked
def list_offers(sim: Simulator, request: Request) -> Response:
    body = _seen(sim, request)
    limit, offset = _pagination(body, 100)
    sort = _sort(body, OFFER_SORT_KEYS)
    filters = body.get("filters")
    if not isinstance(filters, dict):
        raise Invalid("filters is required.")
    marketplace_id = filters.get("marketplaceId")
    if marketplace_id not in SELLER_MARKETPLACES:
        raise Invalid(f"Unsupported marketplaceId {marketplace_id} is provided.")
    if filters.get("programTypes") != [PROGRAM]:
        raise Invalid("programTypes must be [SUBSCRIBE_AND_SAVE].")
    chosen = _filtered(offers(sim, str(marketplace_id)), filters)
    eligibilities = filters.get("eligibilities")
    if eligibilities is not None:
        if any(e not in ELIGIBILITIES for e in eligibilities):
            raise Invalid(f"Unsupported eligibility is provided. Only {', '.join(ELIGIBILITIES)}.")
        chosen = [o for o in chosen if o.eligibility in eligibilities]
    rows = [offer_record(sim, offer) for offer in chosen]
    if sort:
        field = {"INVENTORY": "inventory", "PRICE": "price", "SUBSCRIPTION_COUNT": "subscriptions"}
        key = field.get(sort["key"], "asin")
        rows.sort(key=lambda r: r[key], reverse=sort["order"] == "DESC")
    return Response(200, _page(rows, sim, limit, offset))
