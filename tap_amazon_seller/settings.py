"""The tap's settings: the JSON schema singer-sdk validates, and the checks a schema cannot express.

Every setting here is documented in README.md, meltano.yml and sample_config.json;
tests/test_settings.py keeps the four in step.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pendulum
from singer_sdk import typing as th

from tap_amazon_seller import clock
from tap_amazon_seller.casting import as_bool
from tap_amazon_seller.regions import LWA_TOKEN_URL, REGIONS, Marketplace, resolve_marketplace

DEFAULT_LOOKBACK_DAYS = 30
DEFAULT_FEED_TYPES = (
    "JSON_LISTINGS_FEED",
    "POST_PRODUCT_DATA",
    "POST_INVENTORY_AVAILABILITY_DATA",
    "POST_PRODUCT_PRICING_DATA",
    "POST_FLAT_FILE_LISTINGS_DATA",
    "POST_FLAT_FILE_INVLOADER_DATA",
    "POST_ORDER_FULFILLMENT_DATA",
    "POST_FLAT_FILE_FULFILLMENT_DATA",
    "POST_PRODUCT_RELATIONSHIP_DATA",
    "POST_PRODUCT_IMAGE_DATA",
)

# hotglue's configs give lists either as JSON arrays or as comma-separated strings.
_LIST_OR_CSV = th.CustomType({"type": ["array", "string"], "items": {"type": "string"}})

CONFIG_SCHEMA: dict[str, Any] = th.PropertiesList(
    th.Property(
        "refresh_token",
        th.StringType,
        required=True,
        secret=True,
        description="LWA refresh token of the selling partner's authorisation of your app.",
    ),
    th.Property(
        "lwa_client_id",
        th.StringType,
        required=True,
        description="LWA client id of your SP-API app (amzn1.application-oa2-client....).",
    ),
    th.Property(
        "lwa_client_secret",
        th.StringType,
        secret=True,
        description="LWA client secret of your SP-API app. `client_secret` is accepted as an alias.",
    ),
    th.Property(
        "client_secret",
        th.StringType,
        secret=True,
        description="Alias of lwa_client_secret, as hotglue's tap-amazon-seller names it.",
    ),
    th.Property(
        "marketplaces",
        _LIST_OR_CSV,
        description=(
            "Marketplaces to sync, as ids (ATVPDKIKX0DER) or country codes (US, DE). "
            "Marketplaces of several regions may be mixed. Default: every marketplace the "
            "seller participates in, in `region`."
        ),
    ),
    th.Property(
        "region",
        th.StringType,
        allowed_values=[*sorted(REGIONS), None],
        description="SP-API region (na, eu, fe). Default: derived from `marketplaces`.",
    ),
    th.Property(
        "start_date",
        th.DateTimeType,
        description=(
            f"Earliest date of data to sync on a first run. Default: {DEFAULT_LOOKBACK_DAYS} days ago."
        ),
    ),
    th.Property(
        "end_date",
        th.DateTimeType,
        description="Latest date of data to sync. Default: now (less Amazon's two-minute lag).",
    ),
    th.Property(
        "sandbox",
        th.BooleanType,
        default=False,
        description="Use Amazon's static sandbox endpoints (for proving credentials, not data).",
    ),
    th.Property(
        "report_types",
        _LIST_OR_CSV,
        description=(
            "Report types the `reports` stream lists; a type without a stream of its own is "
            "also synced generically, every column as a string."
        ),
    ),
    th.Property(
        "report_options",
        th.CustomType(
            {
                "type": ["object", "null"],
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                },
            }
        ),
        description=(
            "Extra createReport options per report stream, e.g. "
            '{"fba_inventory_ledger": {"eventType": "Shipments"}}; only options Amazon allows '
            "for the stream's report type (any option for generic `report_types` streams)."
        ),
    ),
    th.Property(
        "processing_status",
        _LIST_OR_CSV,
        description=(
            "Processing statuses of reports already requested that may be reused instead of "
            "requesting a new one (e.g. IN_QUEUE, IN_PROGRESS, DONE)."
        ),
    ),
    th.Property(
        "seller_id",
        th.StringType,
        description=(
            "Your merchant token (Seller Central > Settings > Account Info > Merchant Token); "
            "the Listings Items API needs it for the `listings_items` stream."
        ),
    ),
    th.Property(
        "feed_types",
        _LIST_OR_CSV,
        description=(
            "Feed types the `feeds` stream lists (Amazon's getFeeds needs them). Default: "
            + ", ".join(DEFAULT_FEED_TYPES)
            + "."
        ),
    ),
    th.Property(
        "orders_source",
        th.StringType,
        default="auto",
        allowed_values=["auto", "report", "api"],
        description=(
            "Where the orders streams read from: `auto` (the orders report for everything "
            "older than `orders_api_tail_hours`, the Orders API for the fresh tail), `report` "
            "or `api` (searchOrders for the whole range)."
        ),
    ),
    th.Property(
        "orders_api_tail_hours",
        th.NumberType,
        default=24,
        description=(
            "With orders_source `auto`: the most recent hours read with the Orders API; a "
            "range longer than this reads its older part from the orders report."
        ),
    ),
    th.Property(
        "include_pii",
        th.BooleanType,
        default=False,
        description=(
            "Read buyer names and emails and shipping address lines (a Restricted Data Token "
            "per region and hour, the app needs a restricted role). Off: the order streams "
            "carry the fields that need no token."
        ),
    ),
    th.Property(
        "order_ids",
        _LIST_OR_CSV,
        description=(
            "Sync just these Amazon order ids (getOrder each) in the orders streams, leaving "
            "their bookmarks untouched: for support work and reconciliation."
        ),
    ),
    th.Property(
        "report_poll_interval",
        th.NumberType,
        default=30,
        description="Seconds between two polls of pending reports.",
    ),
    th.Property(
        "report_timeout",
        th.NumberType,
        default=3600,
        description="Seconds to wait for a report before giving up on that report (the sync goes on).",
    ),
    th.Property(
        "max_retries",
        th.IntegerType,
        default=8,
        description="Retries of one call on 429, 5xx and dropped connections, with exponential backoff.",
    ),
    th.Property(
        "sales_traffic_date_granularity",
        th.StringType,
        default="DAY",
        allowed_values=["DAY", "WEEK", "MONTH"],
        description="dateGranularity of the Sales and Traffic report (sales_traffic_report rows).",
    ),
    th.Property(
        "sales_traffic_asin_granularity",
        th.StringType,
        default="CHILD",
        allowed_values=["PARENT", "CHILD", "SKU"],
        description="asinGranularity of the Sales and Traffic report (sales_traffic_by_asin rows).",
    ),
    th.Property(
        "vendor_distributor_view",
        th.StringType,
        default="MANUFACTURING",
        allowed_values=["MANUFACTURING", "SOURCING"],
        description="distributorView of the vendor sales and inventory reports.",
    ),
    th.Property(
        "vendor_selling_program",
        th.StringType,
        default="RETAIL",
        allowed_values=["RETAIL", "BUSINESS", "FRESH"],
        description="sellingProgram of the vendor sales and inventory reports (inventory: RETAIL or FRESH).",
    ),
    th.Property(
        "api_base_url",
        th.StringType,
        description=(
            "Override of the SP-API base URL, e.g. the bundled simulator or a proxy. "
            "`{region}` is replaced by na, eu or fe. Default: Amazon's regional hosts."
        ),
    ),
    th.Property(
        "lwa_token_url",
        th.StringType,
        description=f"Override of the LWA token endpoint. Default: {LWA_TOKEN_URL}.",
    ),
    th.Property(
        "aws_access_key",
        th.StringType,
        secret=True,
        description="Accepted for hotglue configs and ignored: SP-API no longer signs with AWS keys.",
    ),
    th.Property(
        "aws_secret_key",
        th.StringType,
        secret=True,
        description="Accepted for hotglue configs and ignored: SP-API no longer signs with AWS keys.",
    ),
    th.Property(
        "role_arn",
        th.StringType,
        description="Accepted for hotglue configs and ignored: SP-API no longer signs with AWS keys.",
    ),
).to_dict()

# Numeric settings and the smallest value that makes sense for each.
_MINIMUMS = {
    "report_poll_interval": 0.0,
    "report_timeout": 0.0,
    "max_retries": 0,
    "orders_api_tail_hours": 0.0,
}
_REPORT_TYPE = re.compile(r"^GET_[A-Z0-9_]+$")
# An Amazon order id: 3-7-7 digits.
_ORDER_ID = re.compile(r"^\d{3}-\d{7}-\d{7}$")
IGNORED_AWS_SETTINGS = ("aws_access_key", "aws_secret_key", "role_arn")


@dataclass(frozen=True)
class Settings:
    """The config, validated and resolved to what the tap works with."""

    refresh_token: str
    lwa_client_id: str
    lwa_client_secret: str
    marketplaces: tuple[Marketplace, ...]
    regions: tuple[str, ...]
    start_date: datetime
    end_date: datetime | None
    sandbox: bool
    report_types: tuple[str, ...]
    processing_status: tuple[str, ...]
    report_poll_interval: float
    report_timeout: float
    max_retries: int
    api_base_url: str | None
    lwa_token_url: str
    feed_types: tuple[str, ...] = DEFAULT_FEED_TYPES
    seller_id: str | None = None
    sales_traffic_date_granularity: str = "DAY"
    sales_traffic_asin_granularity: str = "CHILD"
    vendor_distributor_view: str = "MANUFACTURING"
    vendor_selling_program: str = "RETAIL"
    orders_source: str = "auto"
    orders_api_tail_hours: float = 24.0
    include_pii: bool = False
    order_ids: tuple[str, ...] = ()
    report_options: dict[str, dict[str, str]] = field(default_factory=dict)
    ignored_settings: tuple[str, ...] = field(default=())

    def base_url(self, region: str) -> str:
        if self.api_base_url:
            return self.api_base_url.rstrip("/").replace("{region}", region)
        return REGIONS[region].base_url(sandbox=self.sandbox)

    def marketplaces_in(self, region: str) -> tuple[Marketplace, ...]:
        return tuple(m for m in self.marketplaces if m.region == region)

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.refresh_token, self.lwa_client_secret)


class SettingsError(ValueError):
    """The config is invalid; `errors` holds one actionable message per problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def as_list(value: Any) -> list[str]:
    """A list setting given as a JSON array or a comma-separated string."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else value
    return [str(item).strip() for item in items if str(item).strip()]


def _parse_datetime(config: dict[str, Any], name: str, errors: list[str]) -> datetime | None:
    value = config.get(name)
    if value in (None, ""):
        return None
    try:
        parsed = pendulum.parse(str(value))
    except (ValueError, pendulum.parsing.exceptions.ParserError):
        errors.append(f"{name}: '{value}' is not a date; use ISO 8601, e.g. 2026-01-31T00:00:00Z.")
        return None
    if not isinstance(parsed, datetime):
        errors.append(f"{name}: '{value}' is not a date; use ISO 8601, e.g. 2026-01-31T00:00:00Z.")
        return None
    # A plain datetime: pendulum's DateTime loses its zone in arithmetic with timedelta.
    return datetime.fromtimestamp(parsed.timestamp(), tz=UTC)


def _resolve_marketplaces(
    config: dict[str, Any], errors: list[str]
) -> tuple[tuple[Marketplace, ...], tuple[str, ...]]:
    region = config.get("region")
    if region is not None and region not in REGIONS:
        errors.append(f"region: '{region}' is not one of na, eu, fe.")
        region = None
    marketplaces: list[Marketplace] = []
    for value in as_list(config.get("marketplaces")):
        marketplace = resolve_marketplace(str(value))
        if marketplace is None:
            errors.append(
                f"marketplaces: '{value}' is neither a marketplace id (e.g. ATVPDKIKX0DER) "
                "nor a country code (e.g. US, DE, JP) of an Amazon marketplace."
            )
        elif marketplace not in marketplaces:
            marketplaces.append(marketplace)
    if region is not None:
        for marketplace in marketplaces:
            if marketplace.region != region:
                errors.append(
                    f"marketplaces: {marketplace.country_code} ({marketplace.id}) is in region "
                    f"{marketplace.region}, but region is {region}. Remove `region` (it is "
                    "derived from `marketplaces`) or that marketplace."
                )
        return tuple(marketplaces), (region,)
    if not marketplaces and not config.get("marketplaces"):
        errors.append(
            'marketplaces or region: set `marketplaces` (e.g. ["US", "CA"]) or `region` '
            "(na, eu or fe) so the tap knows which SP-API endpoint to call."
        )
    regions = tuple(dict.fromkeys(m.region for m in marketplaces))
    return tuple(marketplaces), regions


def _report_options(config: dict[str, Any], errors: list[str]) -> dict[str, dict[str, str]]:
    """`report_options`, checked against the options each report type allows."""
    from tap_amazon_seller.reports.registry import specs_for

    given = config.get("report_options") or {}
    if not isinstance(given, dict):
        errors.append('report_options: must be an object like {"stream": {"option": "value"}}.')
        return {}
    specs = {spec.stream: spec for spec in specs_for(tuple(as_list(config.get("report_types"))))}
    result: dict[str, dict[str, str]] = {}
    for stream, options in given.items():
        spec = specs.get(stream)
        if spec is None:
            errors.append(
                f"report_options: '{stream}' is not a report stream of this tap (see the README's "
                "stream table; a type of `report_types` is named in lower case)."
            )
            continue
        if not isinstance(options, dict):
            errors.append(f"report_options.{stream}: must be an object of option: value.")
            continue
        allowed = spec.allowed_options
        for option, value in options.items():
            if allowed is None:
                continue
            if option not in allowed:
                names = ", ".join(sorted(allowed)) or "none"
                errors.append(
                    f"report_options.{stream}: {spec.report_type} takes no option '{option}' "
                    f"(options the tap lets you set: {names})."
                )
            elif allowed[option] and str(value) not in allowed[option]:
                errors.append(
                    f"report_options.{stream}.{option}: '{value}' is not one of "
                    f"{', '.join(allowed[option])}."
                )
            elif len(str(value)) > spec.option_max_length.get(option, len(str(value))):
                errors.append(
                    f"report_options.{stream}.{option}: {len(str(value))} characters where "
                    f"{spec.report_type} takes at most {spec.option_max_length[option]}."
                )
        result[stream] = {str(k): str(v) for k, v in options.items()}
    return result


def parse_settings(config: dict[str, Any], *, now: datetime | None = None) -> Settings:
    """Validate `config` beyond its JSON schema and resolve it; raise SettingsError."""
    now = now or clock.now()
    errors: list[str] = []
    secret = str(config.get("lwa_client_secret") or config.get("client_secret") or "")
    if not secret:
        errors.append(
            "lwa_client_secret: missing. Set it to your app's LWA client secret "
            "(hotglue configs may call it client_secret)."
        )
    for name in ("refresh_token", "lwa_client_id"):
        if not config.get(name):
            errors.append(f"{name}: missing. Set it from your SP-API app's LWA credentials.")
    marketplaces, regions = _resolve_marketplaces(config, errors)

    start_date = _parse_datetime(config, "start_date", errors)
    end_date = _parse_datetime(config, "end_date", errors)
    if start_date and start_date > now:
        errors.append(f"start_date: {start_date.isoformat()} is in the future.")
    if start_date and end_date and end_date <= start_date:
        errors.append(
            f"end_date: {end_date.isoformat()} is not after start_date {start_date.isoformat()}."
        )
    for name, minimum in _MINIMUMS.items():
        value = config.get(name)
        if value is not None and (isinstance(value, bool) or value < minimum):
            errors.append(f"{name}: {value!r} must be a number >= {minimum}.")
    for report_type in as_list(config.get("report_types")):
        if not _REPORT_TYPE.match(report_type):
            errors.append(
                f"report_types: '{report_type}' is not an SP-API report type name (they look "
                "like GET_FLAT_FILE_OPEN_LISTINGS_DATA; see Amazon's Report Type Values page)."
            )
    report_options = _report_options(config, errors)
    order_ids = tuple(dict.fromkeys(as_list(config.get("order_ids"))))
    for order_id in order_ids:
        if not _ORDER_ID.match(order_id):
            errors.append(
                f"order_ids: '{order_id}' is not an Amazon order id (3-7-7 digits, e.g. "
                "114-1234567-1234567)."
            )
    if config.get("orders_source") not in (None, "auto", "report", "api"):
        errors.append(
            f"orders_source: '{config['orders_source']}' is not one of auto, report, api."
        )
    for name in ("api_base_url", "lwa_token_url"):
        value = config.get(name)
        if value and not str(value).startswith(("http://", "https://")):
            errors.append(f"{name}: '{value}' must be an http:// or https:// URL.")
    if errors:
        raise SettingsError(errors)

    return Settings(
        refresh_token=config["refresh_token"],
        lwa_client_id=config["lwa_client_id"],
        lwa_client_secret=secret,
        marketplaces=marketplaces,
        regions=regions,
        start_date=start_date or (now - timedelta(days=DEFAULT_LOOKBACK_DAYS)),
        end_date=end_date,
        sandbox=bool(config.get("sandbox", False)),
        report_types=tuple(as_list(config.get("report_types"))),
        processing_status=tuple(as_list(config.get("processing_status"))),
        report_poll_interval=float(config.get("report_poll_interval", 30)),
        report_timeout=float(config.get("report_timeout", 3600)),
        max_retries=int(config.get("max_retries", 8)),
        api_base_url=config.get("api_base_url") or None,
        lwa_token_url=config.get("lwa_token_url") or LWA_TOKEN_URL,
        ignored_settings=tuple(n for n in IGNORED_AWS_SETTINGS if config.get(n)),
        feed_types=tuple(as_list(config.get("feed_types"))) or DEFAULT_FEED_TYPES,
        seller_id=str(config["seller_id"]).strip() if config.get("seller_id") else None,
        sales_traffic_date_granularity=config.get("sales_traffic_date_granularity") or "DAY",
        sales_traffic_asin_granularity=config.get("sales_traffic_asin_granularity") or "CHILD",
        vendor_distributor_view=config.get("vendor_distributor_view") or "MANUFACTURING",
        vendor_selling_program=config.get("vendor_selling_program") or "RETAIL",
        orders_source=config.get("orders_source") or "auto",
        orders_api_tail_hours=float(config.get("orders_api_tail_hours", 24)),
        include_pii=bool(as_bool(config.get("include_pii"))),
        order_ids=order_ids,
        report_options=report_options,
    )


def log_ignored_settings(settings: Settings, logger: logging.Logger) -> None:
    if settings.ignored_settings:
        logger.info(
            "Ignoring %s: SP-API no longer signs requests with AWS keys, so only the LWA "
            "credentials are used. You may remove these settings.",
            ", ".join(settings.ignored_settings),
        )
