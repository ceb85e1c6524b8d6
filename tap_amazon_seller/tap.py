"""tap-amazon-seller: settings, shared SP-API clients, and the stream list."""

from __future__ import annotations

import atexit
import difflib
import json
import re
import sys
import threading
import time
import typing as t
from collections import Counter
from functools import cached_property

from singer_sdk import Tap
from singer_sdk.exceptions import ConfigValidationError
from singer_sdk.plugin_base import _ConfigInput

from tap_amazon_seller import hotglue, redaction
from tap_amazon_seller.auth import LwaAuth
from tap_amazon_seller.casting import as_bool
from tap_amazon_seller.client import SpApiClient
from tap_amazon_seller.errors import (
    AccessDeniedError,
    AuthError,
    CatalogError,
    SpApiError,
    StateError,
    TapError,
)
from tap_amazon_seller.hotglue import state as hotglue_state
from tap_amazon_seller.rate_limits import RateLimiter
from tap_amazon_seller.regions import MARKETPLACES_BY_ID
from tap_amazon_seller.reports.engine import ReportEngine, parse_time
from tap_amazon_seller.reports.reader import ReportDeferred
from tap_amazon_seller.reports.registry import specs_for
from tap_amazon_seller.selection import not_by_default
from tap_amazon_seller.settings import (
    CONFIG_SCHEMA,
    Settings,
    SettingsError,
    as_list,
    log_deprecated_settings,
    log_ignored_settings,
    parse_settings,
)
from tap_amazon_seller.singer_output import SingerOutput
from tap_amazon_seller.streams import STREAM_TYPES
from tap_amazon_seller.streams.base import SpApiStream
from tap_amazon_seller.streams.report_list import ReportListStream
from tap_amazon_seller.streams.reports import ReportStream

redaction.install()

#: Exit code of a sync that finished (its final STATE written) with some partitions not
#: read in full; 1 is a run that could not start (see the README's "Running it on a schedule").
EXIT_PARTIAL = 2
EXIT_CANNOT_START = 1
#: A run stopped by a signal exits 128 + its number (143 for SIGTERM, 130 for Ctrl-C), as a
#: shell reports a process a signal killed: never 0, which would say the sync was complete.
EXIT_SIGNALLED_BASE = 128


def _read_json_file(
    file: t.IO[str] | None, option: str, what: str, error: type[TapError], hint: str = ""
) -> dict | None:
    """A --state or --catalog file's JSON object; a file that is none is an `error` in one
    line naming it (`hint` says what running without the option means)."""
    if file is None:
        return None
    name = getattr(file, "name", option)
    try:
        value = json.loads(file.read())
    except ValueError as exc:
        raise error(
            f"{option} {name} is not JSON ({exc}). Fix the file, or run without {option}{hint}."
        ) from None
    if not isinstance(value, dict):
        raise error(
            f"{option} {name} holds a JSON {type(value).__name__}; it must be an object "
            f"({what}). Fix the file, or run without {option}."
        )
    return value


def state_errors(state: t.Any) -> list[str]:
    """What makes a state file unusable: not Singer's shape, or a bookmark that is no date.

    Every replication key of this tap is a date-time, so a bookmark that does not parse as
    one (hand-edited, or from another tap) would otherwise fail deep inside a stream.
    """
    if not isinstance(state, dict) or not isinstance(state.get("bookmarks", {}), dict):
        return ['it must be a JSON object like {"bookmarks": {...}}']
    errors = []
    for stream, stream_state in state.get("bookmarks", {}).items():
        if not isinstance(stream_state, dict):
            errors.append(f"bookmarks.{stream} is not an object")
            continue
        entries = [("", stream_state)] + [
            (f" partition {p.get('context')}", p)
            for p in stream_state.get("partitions") or []
            if isinstance(p, dict)
        ]
        for where, entry in entries:
            value = entry.get("replication_key_value")
            if value is None:
                continue
            try:
                parse_time(str(value))
            except ValueError:
                errors.append(
                    f"bookmarks.{stream}{where}: replication_key_value {value!r} is not an "
                    "ISO 8601 date-time"
                )
    return errors


def _meaning(text: str, types: tuple[str, ...]) -> bool | int | float | None:
    """The one value of `types` a string means ("30" -> 30, "false" -> False), or None."""
    cleaned = text.strip()
    if "boolean" in types and cleaned.lower() in ("true", "false"):
        return cleaned.lower() == "true"
    if "integer" in types and re.fullmatch(r"[+-]?\d+", cleaned):
        return int(cleaned)
    if "number" in types and re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", cleaned):
        number = float(cleaned)
        return int(number) if number.is_integer() and "." not in cleaned else number
    return None


def _types(schema: dict[str, t.Any]) -> tuple[str, ...]:
    """A JSON schema's `type`, always as a tuple."""
    types = schema.get("type") or ()
    return (types,) if isinstance(types, str) else tuple(types)


def _closest(name: str, names: t.Iterable[str]) -> str:
    """How the WARNING about an unknown name ends: the closest known one, if any."""
    close = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.75)
    return f"did you mean {close[0]!r}?" if close else ""


def _country(marketplace_id: str) -> str:
    marketplace = MARKETPLACES_BY_ID.get(marketplace_id)
    return marketplace.country_code if marketplace else "an unknown marketplace"


class TapAmazonSeller(Tap):
    """Singer tap for Amazon's Selling Partner API."""

    name = "tap-amazon-seller"
    package_name = "tap-amazon-seller"
    config_jsonschema = CONFIG_SCHEMA
    message_writer_class = SingerOutput  # msgspec, flushed at each STATE (singer_output.py)

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        self._clients: dict[str, SpApiClient] = {}
        self._limiter = RateLimiter()  # one set of buckets for the whole run
        self._lock = threading.Lock()
        self._participations: dict[str, list[dict]] = {}
        self._partitions: list[dict] | None = None
        self._unchecked_regions: set[str] = set()
        self._report_engine: ReportEngine | None = None
        #: For the end-of-sync summary: records per stream, and what could not be read.
        self.record_counts: Counter[str] = Counter()
        #: Partitions skipped for a reason the config or the account implies (a role the
        #: app lacks, an option not set), and partitions that failed: data the next run reads.
        self.skipped: list[str] = []
        self.failed: list[str] = []
        #: Partitions of report streams read recently enough that they were not due, and
        #: partitions whose reports the run budget (max_run_minutes) left for the next run.
        self.not_due: list[tuple[str, str]] = []
        self.deferred: list[str] = []
        self.started = time.monotonic()
        super().__init__(*args, **kwargs)

    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        self._take_strings_that_mean_numbers()
        errors = [
            self._said_plainly(error) for error in super()._validate_config(raise_errors=False)
        ]
        if errors and raise_errors:
            raise ConfigValidationError(
                "Config validation failed", errors=errors, schema=self.config_jsonschema
            )
        try:
            parse_settings(dict(self.config))
        except SettingsError as exc:
            errors.extend(exc.errors)
            if raise_errors:
                raise ConfigValidationError(
                    "Config validation failed", errors=exc.errors, schema=self.config_jsonschema
                ) from None
        return errors

    def _take_strings_that_mean_numbers(self) -> None:
        """Configs written by UIs and hotglue jobs often carry numbers and booleans as
        strings ("30", "false"): one that means exactly one value of the setting's type is
        taken, with a WARNING saying how to write it; anything else is left to the schema
        check, which names the type wanted and gives an example."""
        properties = self.config_jsonschema.get("properties", {})
        for name, value in list(self._config.items()):
            schema = properties.get(name) or {}
            types = _types(schema)
            if not isinstance(value, str) or "string" in types or schema.get("secret"):
                continue
            taken = _meaning(value, types)
            if taken is None:
                continue
            self._config[name] = taken
            self.logger.warning(
                'config: %s is the string %r; read as %s. Write it without quotes: "%s": %s.',
                name,
                value,
                json.dumps(taken),
                name,
                json.dumps(taken),
            )

    def _said_plainly(self, error: str) -> str:
        """An SDK schema error ("<value> is not of type 'number', 'null' in config['x']")
        said for a user: a secret setting's without its value (masked by the setting's
        name, whatever the value looks like); a wrong type's with the type wanted and an
        example of it."""
        found = re.fullmatch(r"(?s)(.*) in config\['([^']+)'\]", error)
        schema = self.config_jsonschema.get("properties", {}).get(found.group(2)) if found else None
        if not found or not schema:
            return error
        name, types = found.group(2), _types(schema)
        if schema.get("secret"):
            expected = " or ".join(types or ("string",))
            return f"config['{name}']: expected {expected}; the value is a secret and is not shown."
        wrong = re.fullmatch(r"(?s)(.*) is not of type .*", found.group(1))
        for kind, example in (("boolean", "true"), ("integer", "8"), ("number", "30")):
            if wrong and kind in types:
                return (
                    f"config['{name}']: {wrong.group(1)} is not "
                    f"{'an' if kind == 'integer' else 'a'} {kind}; write one "
                    f'without quotes, e.g. "{name}": {example}.'
                )
        return error

    @cached_property
    def settings(self) -> Settings:
        try:
            settings = parse_settings(dict(self.config))
        except SettingsError as exc:
            raise ConfigValidationError(
                "Config validation failed", errors=exc.errors, schema=self.config_jsonschema
            ) from None
        log_ignored_settings(settings, self.logger)
        log_deprecated_settings(settings, self.logger)
        self._warn_unknown_settings()
        return settings

    def _warn_unknown_settings(self) -> None:
        """A setting the tap does not know is ignored, said once, with the closest name (a
        typo such as `start_dte` would otherwise silently sync from the default date)."""
        known = set(self.config_jsonschema.get("properties", {}))
        for key in sorted(set(self.config) - known):
            self.logger.warning(
                "config: unknown setting %r is ignored; %s",
                key,
                _closest(key, known) or "see the README's settings table.",
            )

    @cached_property
    def auth(self) -> LwaAuth:
        s = self.settings
        return LwaAuth(
            client_id=s.lwa_client_id,
            client_secret=s.lwa_client_secret,
            refresh_token=s.refresh_token,
            token_url=s.lwa_token_url,
            timeout=s.request_timeout,
        )

    def client(self, region: str) -> SpApiClient:
        """The SP-API client of `region`; one per region, sharing one LWA token."""
        with self._lock:
            if region not in self._clients:
                self._clients[region] = SpApiClient(
                    region=region,
                    base_url=self.settings.base_url(region),
                    auth=self.auth,
                    limiter=self._limiter,
                    max_retries=self.settings.max_retries,
                    timeout=self.settings.request_timeout,
                )
            return self._clients[region]

    def participations(self, region: str) -> list[dict]:
        """`getMarketplaceParticipations` of `region`, called at most once per run."""
        if region not in self._participations:
            page = self.client(region).call("sellers.getMarketplaceParticipations")
            payload = page.get("payload")
            self._participations[region] = payload if isinstance(payload, list) else []
        return self._participations[region]

    def marketplace_partitions(self) -> list[dict]:
        """One partition per marketplace to sync: the configured ones, or else every
        marketplace the seller participates in within `region`."""
        if self._partitions is None:
            settings = self.settings
            if settings.marketplaces:
                self._partitions = [
                    {"region": m.region, "marketplace_id": m.id}
                    for m in settings.marketplaces
                    if self._reachable(m.region, m.id)
                ]
            else:
                self._partitions = [
                    {"region": region, "marketplace_id": item["marketplace"]["id"]}
                    for region in settings.regions
                    for item in self.participations(region)
                    if as_bool((item.get("participation") or {}).get("isParticipating"))
                ]
        return self._partitions

    def _reachable(self, region: str, marketplace_id: str) -> bool:
        """Check a configured marketplace against the seller's participations (one cached
        call per region): one the seller does not sell in is left out, with an error naming
        the setting; a region that refuses the check is reported, and its streams decide."""
        try:
            participations = self.participations(region)
        except AccessDeniedError as exc:
            if region not in self._unchecked_regions:
                self._unchecked_regions.add(region)
                self.logger.error(
                    "marketplaces: Amazon refuses region %s (%s) Authorise the app in that "
                    "region's Seller Central (or give it the Product Listing or Selling Partner "
                    "Insights role); the streams of its marketplaces are skipped where Amazon "
                    "refuses them, the other regions go on.",
                    region,
                    exc,
                )
            return True
        except SpApiError as exc:
            self.logger.warning("Could not check the marketplaces of %s: %s", region, exc)
            return True
        listed = {
            (item.get("marketplace") or {}).get("id"): item
            for item in participations
            if isinstance(item, dict)
        }
        item = listed.get(marketplace_id)
        if item is None and listed:
            # Amazon lists every marketplace the seller is registered in: this one is not,
            # and every call for it would be refused.
            self.logger.error(
                "marketplaces: the seller is not registered in %s (%s; Amazon's "
                "getMarketplaceParticipations for region %s does not list it): it is left out "
                "of this sync. Remove it from `marketplaces`, or add it in Seller Central.",
                marketplace_id,
                _country(marketplace_id),
                region,
            )
            self.note_skipped("every marketplace stream", marketplace_id, "not registered")
            return False
        participating = as_bool((item or {}).get("participation", {}).get("isParticipating"))
        if participating is not False:
            return True
        self.logger.error(
            "marketplaces: the seller does not sell in %s (%s; isParticipating is false): "
            "it is left out of this sync. Remove it from `marketplaces`.",
            marketplace_id,
            _country(marketplace_id),
        )
        self.note_skipped("every marketplace stream", marketplace_id, "not participating")
        return False

    def report_engine(self) -> ReportEngine:
        """The sync's report engine; made on first use, with every selected report planned."""
        if self._report_engine is None:
            settings = self.settings
            engine = ReportEngine(
                self.client,
                poll_interval=settings.report_poll_interval,
                timeout=settings.report_timeout,
                reuse_statuses=settings.processing_status,
            )
            # Every selected stream that reads reports: the report streams, and the streams
            # that read one on the way (product_details, the orders family).
            planners = [
                s
                for s in self.streams.values()
                if isinstance(s, SpApiStream)
                and s.planned_report_types
                and (s.selected or s.has_selected_descendents)
            ]
            for region in settings.regions:
                types = [t for s in planners for t in s.planned_report_types]
                markets = [
                    p["marketplace_id"]
                    for p in self.marketplace_partitions()
                    if p["region"] == region
                ]
                try:
                    engine.existing_reports(region, types, markets)
                except SpApiError as exc:
                    self.logger.warning(
                        "Could not list existing reports in %s to reuse them: %s", region, exc
                    )
            for planner in planners:
                planner.plan(engine)
            self.logger.info(
                "Report plan: %d report(s) for %d stream(s)", engine.pending, len(planners)
            )
            if settings.max_run_minutes:
                # The run's budget from its start: what would not fit waits for the next run.
                left = settings.max_run_minutes * 60 - (time.monotonic() - self.started)
                deferred = engine.set_budget(left)
                if deferred:
                    self.logger.info(
                        "Run budget max_run_minutes=%g: %d report(s) deferred to the next run, "
                        "which requests them first; their bookmarks hold.",
                        settings.max_run_minutes,
                        deferred,
                    )
            for outlook in engine.outlook():
                # Before the first createReport: how long this sync must take at the least
                # (a first sync of many streams can need hours; a scheduler should know).
                self.logger.info("Report plan, region %s: %s", outlook.region, outlook.describe())
            self._report_engine = engine
            atexit.register(engine.close)  # documents fetched ahead and never read
        return self._report_engine

    def load_state(self, state: dict[str, t.Any]) -> None:
        """Refuse a state file the tap cannot resume from, naming what is wrong in it."""
        errors = state_errors(state)
        if not errors and self.hotglue_compatible:
            state, errors = hotglue_state.from_hotglue(state, self.streams)
        if errors:
            for error in errors:
                self.logger.error("state: %s", error)
            raise StateError(
                "The state file cannot be used: " + "; ".join(errors) + ". Fix or remove those "
                "entries (the stream then starts at start_date), or start without --state."
            )
        super().load_state(state)

    def note_skipped(self, stream: str, where: object, why: object) -> None:
        """Remember a partition skipped for a reason the config or account implies (the run
        still succeeds), for the end-of-sync summary."""
        self.skipped.append(f"{stream} ({where}): {why}")

    def note_not_due(self, stream: str, where: object) -> None:
        """Remember a partition not read because its cadence has not passed (by design)."""
        self.not_due.append((stream, str(where)))

    def note_deferred(self, stream: str, where: object) -> None:
        """Remember a partition the run budget stopped (by design: exit code 0)."""
        self.deferred.append(f"{stream} ({where})")

    def note_error(
        self, stream: str, where: object, error: Exception, detail: object = None
    ) -> None:
        """A partition stopped by `error` (`detail` says what was lost): skipped if Amazon
        refused access (a role the app lacks, a region not authorised), else failed."""
        if isinstance(error, ReportDeferred):
            self.note_deferred(stream, where)
        elif isinstance(error, AccessDeniedError):
            self.note_skipped(stream, where, f"access denied ({error.operation})")
        else:
            self.note_failed(stream, where, detail or error)

    def note_failed(self, stream: str, where: object, what: object) -> None:
        """Remember a partition that was not read in full (the run then exits with
        EXIT_PARTIAL), for the end-of-sync summary."""
        self.failed.append(f"{stream} ({where}): {what}")

    def log_summary(self) -> None:
        """The end of the sync at a glance: records per stream, calls per operation with
        their retries and 429s, the report engine's work, and what could not be read."""
        log = self.logger.info
        log("Sync summary (%.1f s):", time.monotonic() - self.started)
        for stream, count in sorted(self.record_counts.items()):
            log("  %-40s %10d records", stream, count)
        for region, client in sorted(self._clients.items()):
            for op_name, stats in sorted(client.stats.items()):
                log(
                    "  %-60s %s: %d calls, %d retries, %d throttled (429)",
                    op_name,
                    region,
                    stats["calls"],
                    stats["retries"],
                    stats["throttled"],
                )
        if self._report_engine is not None:
            log("  reports: %s", dict(sorted(self._report_engine.stats.items())))
        if self.not_due:
            streams = sorted({stream for stream, _ in self.not_due})
            log(
                "  not due (read within their cadence, see report_cadence_hours): %d "
                "partition(s) of %s",
                len(self.not_due),
                ", ".join(streams),
            )
        if self.deferred:
            log(
                "  deferred by max_run_minutes (requested first next run, bookmarks held): %s",
                ", ".join(self.deferred),
            )
        for skipped in self.skipped:
            self.logger.warning("  skipped: %s", skipped)
        orders_refused = any(s.startswith("orders") and "access denied" in s for s in self.skipped)
        if orders_refused and self.settings.account_type == "seller":
            # A seller's first stream refused: most likely a Vendor Central account whose
            # config kept the default, which selects the seller streams.
            self.logger.warning(
                "  Amazon refused the orders streams. If this is a Vendor Central account, "
                "set account_type: vendor so the vendor_* streams are selected."
            )
        for failed in self.failed:
            self.logger.error("  not fully read: %s", failed)
        if self.failed:
            self.logger.error(
                "  %d partition(s) not read in full: their bookmarks hold, the next run reads "
                "them again. Exit code %d.",
                len(self.failed),
                EXIT_PARTIAL,
            )
        elif not self.skipped:
            due = " that was due" if self.not_due else ""
            due += " and within max_run_minutes" if self.deferred else ""
            log("  every selected stream and partition%s was read in full", due)

    @classmethod
    def invoke(  # type: ignore[override]
        cls,
        *,
        about: bool = False,
        about_format: str | None = None,
        config: t.Any = None,
        state: t.IO[str] | None = None,
        catalog: t.IO[str] | None = None,
    ) -> None:
        """The SDK's command line sync, then the exit code of the tap's contract: 0 when
        every selected stream was read in full or skipped for a reason the config implies,
        EXIT_PARTIAL when some partitions were not (their bookmarks hold)."""
        # singer-sdk's Tap.invoke builds the tap and syncs it without giving it back, so
        # its few lines are repeated here to read the run's outcome afterwards, and to name
        # a bad --state or --catalog file in one line instead of a traceback.
        super(Tap, cls).invoke(about=about, about_format=about_format)
        cls.print_version(print_fn=cls.logger.info)
        config = config or _ConfigInput()
        try:
            tap = cls(
                config=config.config,
                state=_read_json_file(
                    state,
                    "--state",
                    'a Singer state, {"bookmarks": {...}}',
                    StateError,
                    " (streams then start at start_date)",
                ),
                catalog=_read_json_file(catalog, "--catalog", "a Singer catalog", CatalogError),
                parse_env_config=config.parse_env,
                validate_config=True,
            )
            tap._check_catalog()
            tap.sync_all()
        except (AuthError, StateError, CatalogError) as exc:
            # Nothing more can be read: one line that says what to do, no traceback.
            cls.logger.error("%s", exc)
            cls.logger.debug("where it was raised", exc_info=True)
            sys.exit(EXIT_CANNOT_START)
        if tap.failed:
            sys.exit(EXIT_PARTIAL)

    def _handle_termination(self, signum: int, frame: t.Any) -> None:  # pragma: no cover
        # singer-sdk writes the state and exits 0; a scheduler must not read a run stopped
        # halfway as a success. The state written holds every bookmark where its data ends
        # (and the reports still pending), so the next run resumes from it.
        self.logger.warning(
            "Stopped by signal %d before the end of the sync: the STATE written last holds "
            "every bookmark, and the next run resumes from it. Exit code %d.",
            signum,
            EXIT_SIGNALLED_BASE + signum,
        )
        try:
            self._state_writer.write_state(self.state)
        finally:
            sys.exit(EXIT_SIGNALLED_BASE + signum)

    def _check_catalog(self) -> None:
        """A --catalog entry for a stream this tap does not have is named (a catalog of a
        stream renamed or from another tap would otherwise output nothing, silently); a
        catalog that selects none of the tap's streams is refused."""
        catalog = self._input_catalog
        if catalog is None:
            return
        for entry in catalog.streams:
            if entry.tap_stream_id in self.streams:
                continue
            hint = _closest(entry.tap_stream_id, self.streams) or (
                "run --discover for the list (generic report streams need report_types)."
            )
            if entry.tap_stream_id in hotglue.VIEWS:
                hint += " It is hotglue's name: set hotglue_compatible: true to read it so."
            self.logger.warning(
                "--catalog: stream %r is not a stream of this tap and is ignored; %s",
                entry.tap_stream_id,
                hint,
            )
        if not any(s.selected or s.has_selected_descendents for s in self.streams.values()):
            raise CatalogError(
                "--catalog selects none of this tap's streams: nothing would be read. Select "
                'streams in it ("selected": true in their metadata), or run without --catalog '
                "for every stream."
            )

    def flush_output(self) -> None:
        """Write out the Singer messages the writer has gathered."""
        if isinstance(self.message_writer, SingerOutput):
            self.message_writer.flush()

    def write_state(self) -> None:
        """Emit the tap's state now (e.g. report ids just requested, before any record)."""
        self.state_writer.write_state(self.state)

    @property
    def hotglue_compatible(self) -> bool:
        """Whether catalogs and states are read as hotglue's tap writes them."""
        return bool(as_bool(self.config.get("hotglue_compatible")))

    def discover_streams(self) -> list[SpApiStream]:
        streams: list[SpApiStream] = [stream_type(tap=self) for stream_type in STREAM_TYPES]
        report_types = tuple(as_list(self.config.get("report_types")))
        streams.extend(ReportStream(self, spec) for spec in specs_for(report_types))
        streams.append(ReportListStream(tap=self))
        if self.hotglue_compatible:
            streams = hotglue.compatible_streams(self, streams)
        for stream in streams:
            # Off for a typical account (selection.py); a catalog that selects it reads it.
            if not_by_default(stream.name, stream, self.config):
                stream.selected_by_default = False
        return streams
