"""Replenishment API 2022-11-07: Subscribe & Save metrics, forecasts and offers.

Named as hotglue's tap names them (`replenishment_daily_metrics`, ...). Every call is a
POST with a JSON body, per marketplace, at Amazon's 1 request a second. Amazon keeps
the trailing two years of metrics; a metric period is identified by its `timeInterval`,
whose `endDate` is the last day the period includes (a DAY period starts and ends on
the same midnight).
"""

from __future__ import annotations

import typing as t
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from tap_amazon_seller import clock
from tap_amazon_seller.regions import MARKETPLACES_BY_COUNTRY
from tap_amazon_seller.reports.engine import iso, parse_time
from tap_amazon_seller.schemas import model_schema
from tap_amazon_seller.streams.base import SpApiStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_amazon_seller.client import SpApiClient

MODEL = "replenishment-2022-11-07"
REPLENISHMENT_ROLE = "Brand Analytics"
PROGRAM_TYPES = ["SUBSCRIBE_AND_SAVE"]
# The model: "US, CA, ES, UK, FR, IT, IN, DE, and JP" for sellers and vendors, "BR, AU, MX,
# AE, and NL" for vendors only. Amazon answers for the account it sees; the tap asks in all.
SUPPORTED_MARKETPLACE_IDS = frozenset(
    MARKETPLACES_BY_COUNTRY[code].id
    for code in ("US", "CA", "ES", "GB", "FR", "IT", "IN", "DE", "JP", "BR", "AU", "MX", "AE", "NL")
)
# "Only data for the trailing 2 years is supported"; one day of margin on the edge.
HISTORY_DAYS = 729
# getSellingPartnerMetrics with DAY: "the time interval cannot exceed 31 days".
MAX_DAY_INTERVAL = timedelta(days=30)  # startDate to endDate: 31 days, both included
# Recent days' metrics are still settling: each run reads the last three days again.
REREAD_DAYS = 3
MAX_OFFSET = 9000  # the model's maximum `pagination.offset` of both list operations

#: Each Metric of the model and the fields of GetSellingPartnerMetricsResponseMetric it fills
#: (read off the fields' descriptions; tests/test_conformance.py checks it covers the model).
METRIC_FIELDS: dict[str, tuple[str, ...]] = {
    "SHIPPED_SUBSCRIPTION_UNITS": ("shippedSubscriptionUnits",),
    "TOTAL_SUBSCRIPTIONS_REVENUE": ("totalSubscriptionsRevenue",),
    "ACTIVE_SUBSCRIPTIONS": ("activeSubscriptions",),
    "NOT_DELIVERED_DUE_TO_OOS": ("notDeliveredDueToOOS",),
    "LOST_REVENUE_DUE_TO_OOS": ("lostRevenueDueToOOS",),
    "COUPONS_REVENUE_PENETRATION": ("couponsRevenuePenetration",),
    "SHARE_OF_COUPON_SUBSCRIPTIONS": ("shareOfCouponSubscriptions",),
    "REVENUE_PENETRATION": ("revenuePenetration",),
    "SUBSCRIBER_NON_SUBSCRIBER_AVERAGE_REVENUE": (
        "subscriberAverageRevenue",
        "nonSubscriberAverageRevenue",
    ),
    "SUBSCRIBER_NON_SUBSCRIBER_AVERAGE_REORDERS": (
        "subscriberAverageReorders",
        "nonSubscriberAverageReorders",
    ),
    "REVENUE_BY_DELIVERIES": (
        "revenueFromSubscriptionsWithMultipleDeliveries",
        "revenueFromActiveSubscriptionsWithSingleDelivery",
        "revenueFromCancelledSubscriptionsAfterSingleDelivery",
    ),
    "SUBSCRIBER_RETENTION": ("subscriberRetentionFor30Days", "subscriberRetentionFor90Days"),
    "REVENUE_PENETRATION_BY_SELLER_FUNDING": (
        "revenuePenetrationFor0PercentSellerFunding",
        "revenuePenetrationFor5PercentSellerFunding",
        "revenuePenetrationFor10PercentSellerFunding",
        "revenuePenetrationFor5PlusPercentSellerFunding",
    ),
    "SUBSCRIBER_LIFETIME_VALUE_BY_CUSTOMER_SEGMENT": (
        "nonSubscriberLifeTimeValueFromOTP",
        "lostSubscriberLifeTimeValueFromOTP",
        "lostSubscriberLifeTimeValueFromSNS",
        "growingSubscriberLifeTimeValueFromOTP",
        "growingSubscriberLifeTimeValueFromSNS",
        "establishedSubscriberLifeTimeValueFromOTP",
        "establishedSubscriberLifeTimeValueFromSNS",
    ),
    "SIGNUP_CONVERSION_BY_SELLER_FUNDING": (
        "signupConversionFor0PercentSellerFunding",
        "signupConversionFor5PercentSellerFunding",
        "signupConversionFor10PercentSellerFunding",
        "signupConversionFor5PlusPercentSellerFunding",
    ),
}
#: Metrics of each period (day by day); the others are rolling 12- or 24-month figures
#: whatever the period asked, so they are a stream of their own.
DAILY_METRICS = (
    "SHIPPED_SUBSCRIPTION_UNITS",
    "TOTAL_SUBSCRIPTIONS_REVENUE",
    "ACTIVE_SUBSCRIPTIONS",
    "NOT_DELIVERED_DUE_TO_OOS",
    "LOST_REVENUE_DUE_TO_OOS",
    "COUPONS_REVENUE_PENETRATION",
    "SHARE_OF_COUPON_SUBSCRIPTIONS",
    "REVENUE_PENETRATION",
)
ROLLING_METRICS = tuple(m for m in METRIC_FIELDS if m not in DAILY_METRICS)
_ROLLING_FIELDS = frozenset(f for m in ROLLING_METRICS for f in METRIC_FIELDS[m])

_PERIOD: dict[str, t.Any] = {
    "marketplace_id": {"type": ["string"]},
    "region": {"type": ["string"]},
    "report_start_date": {
        "type": ["string"],
        "format": "date-time",
        "description": "timeInterval.startDate: the first day of the period.",
    },
    "report_end_date": {
        "type": ["string"],
        "format": "date-time",
        "description": "timeInterval.endDate: the last day of the period (included).",
    },
}
_IDENTITY = ("asin", "sku", "fulfillmentChannelType", "brandName", "productGroup")


def _schema(definition: str, keep: t.Callable[[str], bool]) -> dict[str, t.Any]:
    """The model's definition, with only the fields `keep` selects (and the tap's own)."""
    schema = model_schema(f"{MODEL}.{definition}", **_PERIOD)
    schema["properties"] = {
        name: spec
        for name, spec in schema["properties"].items()
        if name in _PERIOD or name in ("timeInterval", "currencyCode") or keep(name)
    }
    return schema


def _midnight(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


class ReplenishmentStream(SpApiStream):
    """A Replenishment API stream, per marketplace where Amazon has Subscribe & Save."""

    required_role = REPLENISHMENT_ROLE
    _skipped_logged = False

    @property
    def partitions(self) -> list[dict] | None:
        partitions = self.amazon.marketplace_partitions()
        left_out = [p["marketplace_id"] for p in partitions if not self.supported(p)]
        if left_out and not self._skipped_logged:
            self._skipped_logged = True
            self.logger.info(
                "Stream %s leaves out marketplace(s) %s: Amazon's Replenishment API "
                "(Subscribe & Save) does not cover them.",
                self.name,
                ", ".join(left_out),
            )
        return [p for p in partitions if self.supported(p)]

    @staticmethod
    def supported(partition: dict) -> bool:
        return partition["marketplace_id"] in SUPPORTED_MARKETPLACE_IDS

    def last_day(self) -> date:
        """The last whole UTC day to read (and not past `end_date`)."""
        last = clock.today() - timedelta(days=1)
        if self.amazon.settings.end_date:
            last = min(last, (self.amazon.settings.end_date - timedelta(days=1)).date())
        return last

    def first_day(self, context: Context | None) -> date:
        """From `start_date` or, on later runs, a few days before where the last run ended;
        never before Amazon's two years of history."""
        first = self.amazon.settings.start_date.date()
        # The last day emitted (the bookmark) or asked for (`read_through`, also when
        # Amazon had nothing), whichever is later.
        read = [
            parse_time(self.get_starting_replication_key_value(context)),
            parse_time(self.get_context_state(context).get("read_through")),
        ]
        known = [moment.date() for moment in read if moment is not None]
        if known:
            first = max(first, max(known) - timedelta(days=REREAD_DAYS))
        earliest = clock.today() - timedelta(days=HISTORY_DAYS)
        if first < earliest:
            self.logger.info(
                "Stream %s starts at %s: Amazon keeps only two years of replenishment metrics.",
                self.name,
                earliest,
            )
            first = earliest
        return first

    def with_period(self, item: dict, context: Context | None, region: str) -> dict:
        """Amazon's item plus where it came from and its period as UTC timestamps."""
        interval = item.get("timeInterval") or {}
        assert context is not None
        return {
            **item,
            "marketplace_id": context["marketplace_id"],
            "region": region,
            "report_start_date": _as_iso(interval.get("startDate")),
            "report_end_date": _as_iso(interval.get("endDate")),
        }

    def offers(
        self, client: SpApiClient, operation: str, body: dict[str, t.Any], limit: int
    ) -> Iterator[dict]:
        """Every item of an offset-paged search (`pagination.limit`/`offset`)."""
        offset = 0
        while True:
            page = client.call(
                f"{MODEL}.{operation}",
                json_body={**body, "pagination": {"limit": limit, "offset": offset}},
            )
            items = page.get("offers") or []
            yield from items
            offset += len(items)
            total = (page.get("pagination") or {}).get("totalResults")
            more = offset < total if isinstance(total, int) else len(items) == limit
            if not items or not more:
                return
            if offset > MAX_OFFSET:
                # Amazon pages no further than offset 9000: say loudly what is missing.
                where = body["filters"]["marketplaceId"]
                self.amazon.note_skipped(self.name, where, f"only {offset} of {total} offers")
                self.logger.warning(
                    "Stream %s: Amazon's %s pages no further than offset %d; %s of %s "
                    "offers read for marketplace %s.",
                    self.name,
                    operation,
                    MAX_OFFSET,
                    offset,
                    total,
                    where,
                )
                return


def _as_iso(value: t.Any) -> str | None:
    """Amazon's timestamps, however spelled (`.000Z`, `+00:00`), as `...Z` in UTC."""
    if not isinstance(value, str) or not value:
        return None
    parsed = parse_time(value)
    return iso(parsed) if parsed else None


def _daily_metrics(
    client: SpApiClient, context: Context, first: date, last: date, metrics: tuple[str, ...]
) -> dict[str, t.Any]:
    """getSellingPartnerMetrics, PERFORMANCE by DAY, for the days first..last (both in)."""
    return client.call(
        f"{MODEL}.getSellingPartnerMetrics",
        json_body={
            "marketplaceId": context["marketplace_id"],
            "programTypes": PROGRAM_TYPES,
            "timePeriodType": "PERFORMANCE",
            "aggregationFrequency": "DAY",
            "timeInterval": {"startDate": _midnight(first), "endDate": _midnight(last)},
            "metrics": list(metrics),
        },
    )


class ReplenishmentDailyMetricsStream(ReplenishmentStream):
    """getSellingPartnerMetrics, PERFORMANCE by DAY: the seller's Subscribe & Save day by day.

    Incremental: 31-day intervals (Amazon's maximum for DAY) from `start_date`, up to
    yesterday; later runs read again from three days before the last day read.
    """

    name = "replenishment_daily_metrics"
    primary_keys: t.ClassVar[list[str]] = ["marketplace_id", "report_start_date"]
    replication_key = "report_end_date"
    is_sorted = False
    schema = _schema(
        "GetSellingPartnerMetricsResponseMetric",
        lambda field: any(field in METRIC_FIELDS[m] for m in DAILY_METRICS),
    )

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterable[dict]:
        assert context is not None
        first, last = self.first_day(context), self.last_day()
        start = first
        while start <= last:
            end = min(start + MAX_DAY_INTERVAL, last)
            answer = _daily_metrics(client, context, start, end, DAILY_METRICS)
            for metric in answer.get("metrics") or []:
                if metric.get("timeInterval"):
                    yield self.with_period(metric, context, client.region)
            start = end + timedelta(days=1)
        if first <= last:
            self.get_context_state(context)["read_through"] = _midnight(last)


class ReplenishmentRollingMetricsStream(ReplenishmentStream):
    """getSellingPartnerMetrics, the rolling metrics (12 months: averages, retention,
    revenue by deliveries and by seller funding, sign-up conversion; 24 months: lifetime
    value by customer segment) as of yesterday.

    Full table: each run adds the rolling windows ending on its day, so their history
    builds up (key: the window).
    """

    name = "replenishment_rolling_metrics"
    primary_keys: t.ClassVar[list[str]] = [
        "marketplace_id",
        "report_start_date",
        "report_end_date",
    ]
    schema = _schema("GetSellingPartnerMetricsResponseMetric", _ROLLING_FIELDS.__contains__)

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterable[dict]:
        assert context is not None
        day = self.last_day()
        answer = _daily_metrics(client, context, day, day, ROLLING_METRICS)
        for metric in answer.get("metrics") or []:
            # A bundle without any rolling figure (a bare day) is not this stream's.
            if metric.get("timeInterval") and _ROLLING_FIELDS & metric.keys():
                yield self.with_period(metric, context, client.region)


class ReplenishmentOfferMetricsStream(ReplenishmentStream):
    """listOfferMetrics, PERFORMANCE by DAY: each offer's Subscribe & Save day by day.

    One call per day and 500 offers (Amazon allows a single DAY per call); incremental
    as `replenishment_daily_metrics`.
    """

    name = "replenishment_offer_metrics"
    primary_keys: t.ClassVar[list[str]] = ["marketplace_id", "report_start_date", "asin", "sku"]
    replication_key = "report_end_date"
    is_sorted = False
    schema = _schema("ListOfferMetricsResponseOffer", lambda field: not field.startswith("next"))

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterable[dict]:
        assert context is not None
        first, last = self.first_day(context), self.last_day()
        day = first
        while day <= last:
            filters = {
                "marketplaceId": context["marketplace_id"],
                "programTypes": PROGRAM_TYPES,
                "timePeriodType": "PERFORMANCE",
                "aggregationFrequency": "DAY",
                "timeInterval": {"startDate": _midnight(day), "endDate": _midnight(day)},
            }
            for offer in self.offers(client, "listOfferMetrics", {"filters": filters}, 500):
                yield self.with_period(offer, context, client.region)
            day += timedelta(days=1)
        if first <= last:
            self.get_context_state(context)["read_through"] = _midnight(last)


class ReplenishmentOfferForecastStream(ReplenishmentStream):
    """listOfferMetrics, FORECAST: each offer's projected subscription units and revenue
    for the next 30, 60 and 90 days (sellers only, says the model). Full table."""

    name = "replenishment_offer_forecast"
    primary_keys: t.ClassVar[list[str]] = ["marketplace_id", "asin", "sku"]
    schema = _schema(
        "ListOfferMetricsResponseOffer",
        lambda field: field.startswith("next") or field in _IDENTITY,
    )

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterable[dict]:
        assert context is not None
        # A forecast looks ahead: the coming week (Amazon computes the 30/60/90 days from now).
        tomorrow = clock.today() + timedelta(days=1)
        filters = {
            "marketplaceId": context["marketplace_id"],
            "programTypes": PROGRAM_TYPES,
            "timePeriodType": "FORECAST",
            "timeInterval": {
                "startDate": _midnight(tomorrow),
                "endDate": _midnight(tomorrow + timedelta(days=6)),
            },
        }
        for offer in self.offers(client, "listOfferMetrics", {"filters": filters}, 500):
            yield self.with_period(offer, context, client.region)


class ReplenishmentOffersStream(ReplenishmentStream):
    """listOffers: each Subscribe & Save offer with its eligibility, discounts, price,
    stock and subscriptions. Full table."""

    name = "replenishment_offers"
    primary_keys: t.ClassVar[list[str]] = ["marketplace_id", "asin", "sku"]
    schema = model_schema(
        f"{MODEL}.ListOffersResponseOffer",
        marketplace_id={"type": ["string"]},
        region={"type": ["string"]},
    )

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterable[dict]:
        assert context is not None
        body = {
            "filters": {"marketplaceId": context["marketplace_id"], "programTypes": PROGRAM_TYPES},
            "sort": {"order": "ASC", "key": "ASIN"},
        }
        for offer in self.offers(client, "listOffers", body, 100):
            # Amazon's own marketplaceId field is kept; ours names the partition.
            yield {**offer, "marketplace_id": context["marketplace_id"], "region": client.region}
