"""The tap's settings, declared once (`SETTINGS`), and the checks a schema cannot express.

From the declaration come the JSON schema singer-sdk validates, the defaults the tap uses,
and the README settings table, `meltano.yml` settings and `sample_config.json` (written by
scripts/update_settings.py; tests/test_docs.py fails when they are not current).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, fields
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
_OPTIONS_BY_STREAM = th.CustomType(
    {
        "type": ["object", "null"],
        "additionalProperties": {"type": "object", "additionalProperties": {"type": "string"}},
    }
)
_HOURS_BY_STREAM = th.CustomType(
    {"type": ["object", "null"], "additionalProperties": {"type": ["number", "string"]}}
)
_SCHEMA_TYPES: dict[str, Any] = {
    "string": th.StringType,
    "boolean": th.BooleanType,
    "number": th.NumberType,
    "integer": th.IntegerType,
    "date-time": th.DateTimeType,
    "list": _LIST_OR_CSV,
    "object": _OPTIONS_BY_STREAM,
    "hours": _HOURS_BY_STREAM,
}
HOTGLUE_AWS = "Accepted from hotglue configs and ignored with one log line: SP-API no longer signs requests with AWS keys."


@dataclass(frozen=True)
class Setting:
    """One setting, declared once: the JSON schema singer-sdk validates, the defaults the
    tap uses, and the README table, `meltano.yml` and `sample_config.json` (written by
    scripts/update_settings.py; tests/test_docs.py checks they are current) come from it."""

    name: str
    type: str  # a key of _SCHEMA_TYPES
    #: The README's text (Markdown); its first sentence is the schema's and Meltano's.
    description: str
    #: What the tap uses when the setting is absent; None: nothing (or `shown_default`).
    default: Any = None
    #: The README's default when it is not a value, e.g. "30 days ago".
    shown_default: str = ""
    #: The README's "required" column: "yes", "one of the two", "for `listings_items`".
    required: str = ""
    secret: bool = False
    #: Allowed values, each with the label Meltano shows.
    choices: tuple[tuple[str, str], ...] = ()
    #: The value `sample_config.json` shows (else the default).
    example: Any = None
    #: Another setting this one is a second name of (read when that one is not set).
    alias_of: str | None = None
    #: The smallest value that makes sense (numbers).
    minimum: float | None = None
    #: A deprecated setting: the report option it still sets, in `report_options` of every
    #: stream that takes it and does not set it itself.
    report_option: str = ""

    #: The schema's and Meltano's description, when the README's first sentence is not one.
    short: str = ""

    def parse(self, value: Any) -> Any:
        """The value as the tap uses it (the schema has checked its type, perhaps as text)."""
        if value is None:
            return None
        if self.type == "number":
            return float(value)
        if self.type == "integer":
            return int(value)
        if self.type == "boolean":
            return bool(as_bool(value))
        return value

    @property
    def summary(self) -> str:
        first = self.short or re.split(r"(?<!e\.g)\.\s", self.description, maxsplit=1)[0]
        return first.rstrip(".").replace("`", "") + "."

    def property(self, required: bool) -> th.Property:
        allowed: list[str | None] | None = [value for value, _ in self.choices] or None
        if allowed and not self.default and not required:
            allowed.append(None)
        return th.Property(
            self.name,
            _SCHEMA_TYPES[self.type],
            required=required,
            secret=self.secret or None,
            default=self.default,
            allowed_values=allowed,
            description=self.summary,
        )


SALES_TRAFFIC_STREAMS = ("sales_traffic_report", "sales_traffic_by_asin")
VENDOR_VIEW_STREAMS = ("vendor_sales_report", "vendor_inventory_report")


def _deprecated_option(
    name: str, option: str, streams: tuple[str, ...], choices: tuple[tuple[str, str], ...]
) -> Setting:
    """A setting that was a report option before `report_options` took them all."""
    return Setting(
        name,
        "string",
        f"Deprecated: set `{option}` in `report_options` for "
        + " and ".join(f"`{stream}`" for stream in streams)
        + f" instead. Still read, with a WARNING: it sets `{option}` for every stream that "
        "takes the value and does not set the option itself.",
        choices=choices,
        report_option=option,
    )


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "refresh_token",
        "string",
        "LWA refresh token of the seller's authorisation of your app (secret).",
        required="yes",
        secret=True,
        example="Atzr|IwEBI...",
    ),
    Setting(
        "lwa_client_id",
        "string",
        "LWA client id of your SP-API app.",
        required="yes",
        example="amzn1.application-oa2-client.0123456789abcdef",
    ),
    Setting(
        "lwa_client_secret",
        "string",
        "LWA client secret of your app (secret). `client_secret` is accepted as an alias.",
        required="yes",
        secret=True,
        example="amzn1.oa2-cs.v1.0123456789abcdef",
    ),
    Setting(
        "client_secret",
        "string",
        "Alias of `lwa_client_secret`, as hotglue's tap names it (secret).",
        secret=True,
        alias_of="lwa_client_secret",
    ),
    Setting(
        "marketplaces",
        "list",
        "Marketplaces to sync: ids (`ATVPDKIKX0DER`) or country codes (`US`, `DE`), as a JSON "
        "array or a comma-separated string. Marketplaces of several regions may be mixed: the "
        "tap keeps one client (and one set of rate-limit buckets) per region.",
        required="one of the two",
        example=["US", "CA", "DE"],
    ),
    Setting(
        "region",
        "string",
        "`na`, `eu` or `fe`. Alone, it means every participating marketplace of that region. "
        "If both are set, every marketplace must be in `region`.",
        required="one of the two",
        shown_default="derived from `marketplaces`",
        short="SP-API region (na, eu, fe); derived from `marketplaces` when not set",
        choices=(("na", "North America"), ("eu", "Europe"), ("fe", "Far East")),
    ),
    Setting(
        "start_date",
        "date-time",
        "Earliest date of data on a first run (ISO 8601). Must not be in the future.",
        shown_default=f"{DEFAULT_LOOKBACK_DAYS} days ago",
        example="2026-01-01T00:00:00Z",
    ),
    Setting(
        "end_date",
        "date-time",
        "Latest date of data (ISO 8601); must be after `start_date`.",
        shown_default="now",
    ),
    Setting(
        "sandbox",
        "boolean",
        "Call Amazon's static sandbox hosts instead of production (proves credentials and "
        "wiring; it only answers the models' canned requests).",
        default=False,
    ),
    Setting(
        "report_types",
        "list",
        "Report types the `reports` stream lists. A type without a stream of its own (e.g. "
        "`GET_MERCHANT_LISTINGS_DEFECT_DATA`) also gets a generic stream named after it in "
        "lower case (`get_merchant_listings_defect_data`): full table, one report per "
        "marketplace and run over `start_date`..now, every column kept as text in "
        "`extra_columns`, keyed by `row_key`.",
        shown_default="every type the tap has a stream for",
        example=[],
    ),
    Setting(
        "report_options",
        "object",
        "Extra `createReport` options per report stream, as an object of stream -> {option: "
        'value}, e.g. `{"fba_inventory_ledger": {"eventType": "Shipments"}}`. Checked before '
        "any call against the options Amazon allows for the stream's report type "
        "(`fba_inventory_ledger`: `eventType`; `fba_inventory_ledger_summary`: "
        "`aggregatedByTimePeriod`, `aggregateByLocation`; `open_listings`: `custom`; "
        "`browse_tree`: `RootNodesOnly`, `BrowseNodeId`; the Brand Analytics streams: "
        "`reportPeriod`, and `asins` or `asin`; `sales_traffic_report` and "
        "`sales_traffic_by_asin`: `dateGranularity` (default `DAY`) and `asinGranularity` "
        "(default `CHILD`); `vendor_sales_report` and `vendor_inventory_report`: "
        "`distributorView` (default `MANUFACTURING`) and `sellingProgram` (default `RETAIL`); "
        "any option for the generic streams of "
        "`report_types`); an option the stream does not take is an error naming it. Brand "
        "Analytics streams take `reportPeriod` (default `WEEK`); "
        "`brand_analytics_search_query_performance` needs `asin` (space-separated ASINs, at "
        "most 200 characters), without which it is skipped with an error naming this setting.",
        example={"fba_inventory_ledger": {"eventType": "Shipments"}},
    ),
    Setting(
        "account_type",
        "string",
        "The kind of Amazon account the refresh token is for: `seller` (Seller Central), "
        "`vendor` (Vendor Central) or `both`. It decides which streams discovery selects by "
        "default: the `vendor_*` streams for `vendor` and `both`, the others for `seller` "
        "and `both` (`marketplaces` and `reports` for all). A catalog that selects a stream "
        'reads it whatever this says; see "Scheduling" for the default selection.',
        default="seller",
        choices=(
            ("seller", "Seller (Seller Central)"),
            ("vendor", "Vendor (Vendor Central)"),
            ("both", "Both"),
        ),
    ),
    Setting(
        "report_cadence_hours",
        "hours",
        "How often each report stream is read, in hours, as an object of stream -> hours, "
        'e.g. `{"fba_returns": 1, "products_inventory": 0}`: a partition read in full more '
        "recently is not due, and the run requests no report for it (its bookmark stays; "
        "one INFO line says when it is due). `0` reads the stream every run. Each stream's "
        "own cadence, from Amazon's documented refresh of its report, is in the README's "
        '"Scheduling" section; `"*"` sets every report stream at once (a stream named too '
        "keeps its own). A run up to 10 % of the cadence (at most 15 minutes) early counts as "
        "due, so a cron at the same interval never skips a run.",
        shown_default="each stream's own (see Scheduling)",
        example={"fba_returns": 24},
    ),
    Setting(
        "max_run_minutes",
        "number",
        "A run budget in minutes: after planning, the tap requests only the reports Amazon's "
        "limits let it request, make and read within it (createReport and getReportDocument: "
        "15 at once, then one a minute per region; the last 10 minutes, or a quarter of a "
        "shorter budget, are kept for Amazon to make the last ones), and requests nothing once "
        "that time is up. What is left is deferred: its bookmark holds, the summary lists it, "
        "the next run requests it first, and the exit code stays 0. With an hourly cron, a "
        "budget under 60 keeps runs from overlapping. API streams are not cut short.",
        shown_default="no budget",
        minimum=1.0,
        example=55,
    ),
    Setting(
        "processing_status",
        "list",
        "Statuses of already-requested reports that may be reused instead of requesting new ones.",
        shown_default="`IN_QUEUE`, `IN_PROGRESS`, `DONE`",
        example=["IN_QUEUE", "IN_PROGRESS", "DONE"],
    ),
    Setting(
        "seller_id",
        "string",
        "Your merchant token (Seller Central > Settings > Account Info > Merchant Token): the "
        "Listings Items API needs it. Without it `listings_items` logs that and emits nothing.",
        required="for `listings_items`",
        example="A2EXAMPLE0SELLER",
    ),
    Setting(
        "feed_types",
        "list",
        "Feed types the `feeds` stream lists: Amazon's getFeeds needs them, ten a call.",
        shown_default="the ten commonest feed types ("
        + ", ".join(f"`{name}`" for name in DEFAULT_FEED_TYPES[:3])
        + ", ...)",
        example=["JSON_LISTINGS_FEED", "POST_PRODUCT_DATA"],
    ),
    Setting(
        "orders_source",
        "string",
        "Where `orders`, `order_items`, `order_buyer_info` and `order_address` read from: "
        "`auto` (the orders report for everything older than `orders_api_tail_hours`, the "
        "Orders API for the fresh tail), `report` (the report only) or `api` (searchOrders for "
        'the whole range). See "How orders are fetched".',
        default="auto",
        choices=(
            ("auto", "Orders report for the backfill, Orders API for the fresh tail"),
            ("report", "Orders report only"),
            ("api", "Orders API (searchOrders) only"),
        ),
    ),
    Setting(
        "orders_api_tail_hours",
        "number",
        "With `orders_source` `auto`: how many of the most recent hours are read with "
        "searchOrders; a longer range reads its older part from the orders report.",
        default=24,
        minimum=0.0,
    ),
    Setting(
        "hotglue_compatible",
        "boolean",
        "Offer the streams of hotglue's tap-amazon-seller under its names and in its record "
        "shapes (`orders` with Orders v0 names, `orderitems`, `warehouse_inventory` from the "
        "FBA inventory summaries, report columns headed as Amazon heads them...), and read a "
        "state file hotglue's tap wrote. A hotglue job then runs unchanged; see "
        '"Switching from hotglue\'s tap" for the streams and what changes.',
        default=False,
    ),
    Setting(
        "include_pii",
        "boolean",
        "Read buyer names and emails, recipient names, street lines and phones. The tap asks "
        "the Tokens API for one Restricted Data Token per region and hour (not per order); the "
        "app needs a restricted role (Direct-to-Consumer Shipping). Off, or refused: the order "
        "streams carry the fields that need no token (city, state, postal code, country, "
        "purchase order number).",
        default=False,
    ),
    Setting(
        "order_ids",
        "list",
        "Sync just these Amazon order ids (one getOrder each) in the orders streams, leaving "
        "their bookmarks untouched: for support work and reconciliation. PII is not read in "
        "this mode.",
        example=[],
    ),
    Setting(
        "report_poll_interval",
        "number",
        "Seconds between two polls of pending reports.",
        default=30,
        minimum=0.0,
    ),
    Setting(
        "report_timeout",
        "number",
        "Seconds to wait for one report before giving up on it (the sync goes on).",
        default=3600,
        minimum=0.0,
    ),
    Setting(
        "request_timeout",
        "number",
        "Seconds to wait for one answer of SP-API or of the LWA token endpoint before the call "
        "counts as dropped and is tried again (up to `max_retries` times). Raise it behind a "
        "slow proxy; report documents have their own, longer limit.",
        default=120,
        minimum=1.0,
    ),
    Setting(
        "max_retries",
        "integer",
        "Retries of one call on 429, 5xx and dropped connections, with exponential backoff.",
        default=8,
        minimum=0,
    ),
    _deprecated_option(
        "sales_traffic_date_granularity",
        "dateGranularity",
        SALES_TRAFFIC_STREAMS,
        (("DAY", "Day"), ("WEEK", "Week"), ("MONTH", "Month")),
    ),
    _deprecated_option(
        "sales_traffic_asin_granularity",
        "asinGranularity",
        SALES_TRAFFIC_STREAMS,
        (("PARENT", "Parent ASIN"), ("CHILD", "Child ASIN"), ("SKU", "SKU")),
    ),
    _deprecated_option(
        "vendor_distributor_view",
        "distributorView",
        VENDOR_VIEW_STREAMS,
        (("MANUFACTURING", "Manufacturing"), ("SOURCING", "Sourcing")),
    ),
    _deprecated_option(
        "vendor_selling_program",
        "sellingProgram",
        VENDOR_VIEW_STREAMS,
        (("RETAIL", "Retail"), ("BUSINESS", "Business"), ("FRESH", "Fresh")),
    ),
    Setting(
        "api_base_url",
        "string",
        "Override of the SP-API base URL (simulator, proxy). `{region}` is replaced by `na`, "
        "`eu` or `fe`.",
        shown_default="Amazon's regional hosts",
    ),
    Setting(
        "lwa_token_url",
        "string",
        "Override of the LWA token endpoint.",
        shown_default=f"`{LWA_TOKEN_URL}`",
    ),
    Setting("aws_access_key", "string", HOTGLUE_AWS, secret=True),
    Setting("aws_secret_key", "string", HOTGLUE_AWS, secret=True),
    Setting("role_arn", "string", HOTGLUE_AWS),
)
SETTING = {setting.name: setting for setting in SETTINGS}

CONFIG_SCHEMA: dict[str, Any] = th.PropertiesList(
    *(
        # A setting that has an alias cannot be required by the schema: the alias may stand in.
        s.property(s.required == "yes" and not any(a.alias_of == s.name for a in SETTINGS))
        for s in SETTINGS
    )
).to_dict()


def setting_value(config: dict[str, Any], name: str) -> Any:
    """A setting's value in `config`, else its alias's, else its declared default."""
    value = config.get(name)
    if value in (None, ""):
        aliases = [s.name for s in SETTINGS if s.alias_of == name]
        value = next((config[a] for a in aliases if config.get(a) not in (None, "")), None)
    return SETTING[name].default if value in (None, "") else value


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
    report_types: tuple[str, ...]
    processing_status: tuple[str, ...]
    lwa_token_url: str
    feed_types: tuple[str, ...]
    seller_id: str | None
    order_ids: tuple[str, ...]
    report_options: dict[str, dict[str, str]]
    #: `report_cadence_hours` as given, checked: stream (or "*") -> hours.
    report_cadence_hours: dict[str, float]
    ignored_settings: tuple[str, ...]
    #: Deprecated settings the config uses (each logged once, with what to write instead).
    deprecated_settings: tuple[str, ...]
    #: Every other setting, as its declared type makes it (`Setting.parse`): read as
    #: attributes (`settings.report_timeout`), so such a setting is declared once, in SETTINGS.
    plain: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        # Only called for names that are not fields; `plain` read from __dict__, so an
        # object still being built (copy, pickle) raises AttributeError, not recursion.
        plain = self.__dict__.get("plain") or {}
        if name in plain:
            return plain[name]
        raise AttributeError(f"{type(self).__name__} has no setting {name!r}")

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


def _cadences(config: dict[str, Any], errors: list[str]) -> dict[str, float]:
    """`report_cadence_hours`, checked: report streams of this tap (or "*"), hours >= 0."""
    from tap_amazon_seller.reports.registry import specs_for

    given = config.get("report_cadence_hours") or {}
    if not isinstance(given, dict):
        errors.append('report_cadence_hours: must be an object like {"stream": hours}.')
        return {}
    streams = {spec.stream for spec in specs_for(tuple(as_list(config.get("report_types"))))}
    result: dict[str, float] = {}
    for stream, hours in given.items():
        if stream != "*" and stream not in streams:
            errors.append(
                f"report_cadence_hours: '{stream}' is not a report stream of this tap (see the "
                'README\'s stream table; "*" sets them all).'
            )
            continue
        try:
            value = float(hours)
        except (TypeError, ValueError):
            value = -1.0
        if isinstance(hours, bool) or not value >= 0 or value == float("inf"):
            errors.append(
                f"report_cadence_hours.{stream}: {hours!r} must be a number of hours >= 0 "
                "(0 reads the stream every run)."
            )
            continue
        result[stream] = value
    return result


def parse_settings(config: dict[str, Any], *, now: datetime | None = None) -> Settings:
    """Validate `config` beyond its JSON schema and resolve it; raise SettingsError."""
    now = now or clock.now()
    errors: list[str] = []
    secret = str(setting_value(config, "lwa_client_secret") or "")
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
    for setting in SETTINGS:
        value = config.get(setting.name)
        if setting.minimum is None or value is None:
            continue
        if isinstance(value, bool) or value < setting.minimum:
            errors.append(f"{setting.name}: {value!r} must be a number >= {setting.minimum:g}.")
    for report_type in as_list(config.get("report_types")):
        if not _REPORT_TYPE.match(report_type):
            errors.append(
                f"report_types: '{report_type}' is not an SP-API report type name (they look "
                "like GET_FLAT_FILE_OPEN_LISTINGS_DATA; see Amazon's Report Type Values page)."
            )
    report_options = _report_options(config, errors)
    cadences = _cadences(config, errors)
    order_ids = tuple(dict.fromkeys(as_list(config.get("order_ids"))))
    for order_id in order_ids:
        if not _ORDER_ID.match(order_id):
            errors.append(
                f"order_ids: '{order_id}' is not an Amazon order id (3-7-7 digits, e.g. "
                "114-1234567-1234567)."
            )
    for setting in SETTINGS:
        value = config.get(setting.name)
        choices = [choice for choice, _ in setting.choices]
        if choices and value not in (None, "", *choices):
            errors.append(f"{setting.name}: '{value}' is not one of {', '.join(choices)}.")
    for name in ("api_base_url", "lwa_token_url"):
        value = config.get(name)
        if value and not str(value).startswith(("http://", "https://")):
            errors.append(f"{name}: '{value}' must be an http:// or https:// URL.")
    if errors:
        raise SettingsError(errors)

    def given(name: str) -> Any:
        return setting_value(config, name)

    return Settings(
        refresh_token=given("refresh_token"),
        lwa_client_id=given("lwa_client_id"),
        lwa_client_secret=secret,
        marketplaces=marketplaces,
        regions=regions,
        start_date=start_date or (now - timedelta(days=DEFAULT_LOOKBACK_DAYS)),
        end_date=end_date,
        report_types=tuple(as_list(given("report_types"))),
        processing_status=tuple(as_list(given("processing_status"))),
        lwa_token_url=given("lwa_token_url") or LWA_TOKEN_URL,
        ignored_settings=tuple(n for n in IGNORED_AWS_SETTINGS if config.get(n)),
        feed_types=tuple(as_list(given("feed_types"))) or DEFAULT_FEED_TYPES,
        seller_id=str(given("seller_id")).strip() if given("seller_id") else None,
        order_ids=order_ids,
        report_options=_with_deprecated_options(config, report_options),
        report_cadence_hours=cadences,
        deprecated_settings=tuple(
            x.name for x in SETTINGS if x.report_option and config.get(x.name) not in (None, "")
        ),
        plain={x.name: x.parse(given(x.name)) for x in plain_settings()},
    )


def plain_settings() -> tuple[Setting, ...]:
    """The settings the Settings object holds as their type makes them: all but those it
    resolves into fields of its own, aliases, and those kept only to be ignored or mapped."""
    resolved = {f.name for f in fields(Settings)} | {"region"}
    return tuple(
        s
        for s in SETTINGS
        if s.name not in resolved
        and not s.alias_of
        and not s.report_option
        and s.name not in IGNORED_AWS_SETTINGS
    )


def _with_deprecated_options(
    config: dict[str, Any], given: dict[str, dict[str, str]]
) -> dict[str, dict[str, str]]:
    """`report_options` with what the deprecated option settings still say: each sets its
    option for every stream that had it as a setting, takes the value, and does not set
    the option itself in `report_options`."""
    from tap_amazon_seller.reports.registry import specs_for

    options = {stream: dict(values) for stream, values in given.items()}
    for setting in SETTINGS:
        value = config.get(setting.name)
        if not setting.report_option or value in (None, ""):
            continue
        for spec in specs_for(tuple(as_list(config.get("report_types")))):
            allowed = (spec.allowed_options or {}).get(setting.report_option)
            if setting.report_option in spec.option_defaults and allowed and value in allowed:
                options.setdefault(spec.stream, {}).setdefault(setting.report_option, str(value))
    return options


def log_deprecated_settings(settings: Settings, logger: logging.Logger) -> None:
    for name in settings.deprecated_settings:
        option = SETTING[name].report_option
        logger.warning(
            "config: the setting %s is deprecated; it still sets %s. Write it in "
            'report_options instead, e.g. "report_options": {"<stream>": {"%s": "..."}} '
            "(see the README's settings table).",
            name,
            option,
            option,
        )


def log_ignored_settings(settings: Settings, logger: logging.Logger) -> None:
    if settings.ignored_settings:
        logger.info(
            "Ignoring %s: SP-API no longer signs requests with AWS keys, so only the LWA "
            "credentials are used. You may remove these settings.",
            ", ".join(settings.ignored_settings),
        )
