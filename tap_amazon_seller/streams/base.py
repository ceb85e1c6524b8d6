"""Base class of every SP-API stream: access to the tap's clients, and partial-failure handling."""

from __future__ import annotations

import logging
import sys
import traceback
import typing as t
from collections.abc import Generator, Iterable, Iterator
from datetime import datetime, timedelta

from singer_sdk.exceptions import SyncLifecycleSignal
from singer_sdk.helpers._typing import conform_record_data_types
from singer_sdk.singerlib import RecordMessage
from singer_sdk.streams import Stream

from tap_amazon_seller import clock
from tap_amazon_seller.casting import conform_json
from tap_amazon_seller.errors import AccessDeniedError, AuthError, CatalogError, TapError
from tap_amazon_seller.reports.engine import ReportJob, iso, parse_time
from tap_amazon_seller.reports.reader import ReportDeferred

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_amazon_seller.client import SpApiClient
    from tap_amazon_seller.reports.engine import ReportEngine
    from tap_amazon_seller.tap import TapAmazonSeller


class SpApiStream(Stream):
    """A stream read through the tap's shared, rate-limited SP-API clients.

    Subclasses implement `fetch`. Each partition is read on its own (`_sync_records`):
    whatever stops one is logged, noted for the summary and the exit code, and its
    bookmark holds, while the others go on. A region whose answer is "access denied"
    (the app lacks the role, or the seller did not authorise that region) is skipped
    with one loud log line naming the role.
    """

    #: The SP-API role the app needs for this stream, named as in Seller Central.
    required_role: str = ""
    #: Regions where Amazon offers this stream's operations (e.g. getAccount is EU-only).
    available_regions: t.ClassVar[tuple[str, ...]] = ("na", "eu", "fe")
    #: Records come as Amazon's JSON sent them: numbers and booleans sent as strings are
    #: made to fit the schema (report streams cast their own values and turn this off).
    conform_answers: t.ClassVar[bool] = True
    #: Values that did not fit are logged this many times per stream, then counted.
    MAX_LOGGED_UNFIT = 5
    _unfit = 0  # values that did not fit so far (an instance's own once counted)
    _deselects_properties: bool | None = None  # the catalog deselects a property (once read)

    @property
    def amazon(self) -> TapAmazonSeller:
        return t.cast("TapAmazonSeller", self._tap)

    @property
    def planned_report_types(self) -> list[str]:
        """Report types this stream has the report engine request (none for most)."""
        return []

    def plan(self, engine: ReportEngine) -> None:
        """Plan this stream's reports with every other of the sync (see the report engine)."""

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterable[dict]:
        raise NotImplementedError

    def log(self, message: str, *args: t.Any, level: int = logging.INFO, **kwargs: t.Any) -> None:
        # singer-sdk calls every exception that leaves a stream "unhandled", at ERROR.
        # Credentials LWA refuses are handled: the tap ends the run with one line saying
        # what to do, and this line before it would only mislead.
        if message.startswith("An unhandled error occurred") and isinstance(
            sys.exc_info()[1], AuthError
        ):
            return
        super().log(message, *args, level=level, **kwargs)

    def log_sync_costs(self) -> None:
        super().log_sync_costs()
        # singer-sdk's sync_all (final) ends by calling this for every stream in turn: after
        # the last one, the sync is over and its summary is due.
        if self.name == next(reversed(self.amazon.streams)):
            self.amazon.log_summary()

    def _sync_records(
        self, context: Context | None = None, *, write_messages: bool = True
    ) -> Generator[dict, t.Any, t.Any]:
        try:
            yield from self._sync_stream(context, write_messages)
        finally:
            # Records gathered by the writer go out when a stream ends, even when no STATE
            # follows them (singer-sdk writes none if the state did not change).
            self.amazon.flush_output()

    def _sync_stream(
        self, context: Context | None, write_messages: bool
    ) -> Generator[dict, t.Any, t.Any]:
        # The partition boundary: the one place where a failure inside a stream is caught,
        # so that one partition's problem never costs the others (singer-sdk re-raises,
        # which would end the whole sync). The SDK loops over partitions inside one call;
        # here each partition is its own call, and the stream's state is finalised after.
        if context is not None:
            yield from self._sync_partition(context, write_messages)
            return
        try:
            partitions = self.partitions
        except AuthError:
            raise
        except Exception as exc:  # e.g. the seller's marketplaces could not be listed
            self.partition_failed(None, exc)
            return
        family = [self, *(c for c in self.child_streams if c.selected)]
        if partitions == []:
            # No partition for this config (an EU-only report in an NA config): the SDK
            # would read it once with no context at all. Say so and read nothing.
            for stream in family:
                self.logger.info(
                    "Stream %s has nothing to sync for this config: none of its marketplaces "
                    "or regions is configured (see the README's stream table).",
                    stream.name,
                )
            return
        for stream in family:  # read, if only to find nothing: the summary lists it
            self.amazon.record_counts[stream.name] += 0
        if partitions is None:
            yield from self._sync_partition(None, write_messages)
            return
        for partition in partitions:
            yield from self._sync_partition(partition, write_messages)
        self._finalize_state(self.stream_state)
        if write_messages:
            self._write_state_message()

    def _sync_partition(
        self, context: Context | None, write_messages: bool
    ) -> Generator[dict, t.Any, t.Any]:
        try:
            yield from super()._sync_records(context, write_messages=write_messages)
        except (SyncLifecycleSignal, AuthError):
            # The SDK's own abort (a dry run's record limit), and credentials LWA refuses:
            # no other partition could be read either, so the whole run stops.
            raise
        except Exception as exc:
            self.partition_failed(context, exc)
            if write_messages:
                self._write_state_message()

    def partition_failed(self, context: Context | None, exc: Exception) -> None:
        """Stop one partition, loudly, with its bookmark where its delivered data ends.

        The records already emitted carry bookmark values of data not fully read, so the
        SDK must not promote them: dropping the progress markers keeps the old bookmark
        (the next run reads that data again; targets upsert it). An error the tap expects
        (Amazon refused, retries ran out, a wrong-shaped answer) is one line; anything else
        is a bug or an answer nobody foresaw, logged with a short traceback.
        """
        self.get_context_state(context).pop("progress_markers", None)
        where = describe_partition(context)
        self.amazon.note_error(self.name, where, exc)
        if isinstance(exc, ReportDeferred):
            self.logger.info(
                "Stream %s, %s: %s; its bookmark does not move.", self.name, where, exc
            )
            return
        if isinstance(exc, TapError):
            self.logger.error(
                "Stream %s, %s stopped: %s Its bookmark does not move; the next run reads this "
                "data again. The other partitions and streams go on.",
                self.name,
                where,
                exc,
            )
            return
        self.logger.error(
            "Stream %s, %s stopped by an unexpected error: %s: %s. Its bookmark does not "
            "move; the other partitions and streams go on. Please report this with the lines "
            "below (no secret is in them):\n%s",
            self.name,
            where,
            type(exc).__name__,
            exc,
            "".join(traceback.format_tb(exc.__traceback__, limit=-4)).rstrip(),
        )

    def apply_catalog(self, catalog: t.Any) -> None:
        """Take the catalog's selection, and its replication settings only where the tap
        can honour them: a replication key the stream cannot order by would make it write
        a bookmark its next run cannot read (`id` as a date), so it is refused here,
        before any call; INCREMENTAL with no key keeps the stream's own."""
        declared = self.replication_key
        super().apply_catalog(catalog)
        wanted = self.replication_key
        if wanted and wanted != declared and self.amazon.hotglue_compatible:
            # hotglue's catalogs carry its tap's own replication keys (`shipment-date`),
            # a choice of its tap, not the user's: this stream resumes on its own.
            self.logger.warning(
                "--catalog: stream %s resumes on %r, not on %r as hotglue's tap did (the "
                "catalog's key is ignored; its bookmarks are kept per partition).",
                self.name,
                declared,
                wanted,
            )
            self.replication_key = declared
        elif wanted and wanted != declared and self.selected:
            how = (
                f"INCREMENTAL on {declared!r} (or FULL_TABLE)"
                if declared
                else "FULL_TABLE (it has no date to resume from)"
            )
            from tap_amazon_seller.hotglue import VIEWS  # (hotglue's views import this module)

            hotglue = (
                " If the catalog was written for hotglue's tap, set hotglue_compatible: true."
                if self.name in VIEWS
                else ""
            )
            raise CatalogError(
                f"--catalog: stream {self.name} is set to replicate INCREMENTAL on {wanted!r}, "
                f"which it cannot order by; it can be read {how}. Set its replication-method "
                f"and replication-key accordingly, or remove them from the catalog.{hotglue}"
            )
        elif wanted and wanted != declared:
            self.replication_key = declared  # not read: its bookmark must not change
        if not wanted and self.forced_replication_method == "INCREMENTAL":
            self.replication_key = declared

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        return self.conformed(row, f"Stream {self.name}") if self.conform_answers else row

    @property
    def conform_schema(self) -> dict[str, t.Any]:
        """The schema `conformed` fits rows to: the stream's."""
        return self.schema

    def conformed(self, row: dict, where: str) -> dict:
        """`row` made to fit the stream's schema (conform_json); a value that fits no type
        it may have is null, logged `MAX_LOGGED_UNFIT` times per stream."""
        problems: list[str] = []
        row = conform_json(row, self.conform_schema, problems)
        for problem in problems:
            self._unfit += 1
            if self._unfit <= self.MAX_LOGGED_UNFIT:
                self.logger.warning(
                    "%s: %s does not fit the schema's type; emitted as null", where, problem
                )
        return row

    def resumed_from(self, context: Context | None) -> datetime | None:
        """The bookmark an earlier run left in the state (None on a first run)."""
        state = self.get_context_state(context)
        if state.get("replication_key") != self.replication_key:
            return None
        value = state.get("replication_key_value")
        return parse_time(value) if isinstance(value, str) else None

    def _write_record_message(self, record: dict) -> None:
        self.amazon.record_counts[self.name] += 1
        super()._write_record_message(record)

    def _process_record(
        self,
        record: dict,
        child_context: Context | None = None,
        partition_context: Context | None = None,
    ) -> None:
        if self.child_streams:
            super()._process_record(record, child_context, partition_context)
            return
        # No child streams: only the partition's keys to add. singer-sdk would also make
        # and copy a child context for every record, for no stream to read.
        for key, value in (partition_context or {}).items():
            if key not in record:
                record[key] = value

    def _generate_record_messages(self, record: dict) -> Generator[RecordMessage, None, None]:
        # singer-sdk walks every record against the selection mask, property by property,
        # even when nothing is deselected (~10% of a report sync, #19). The mask is fixed
        # for a run: with no property deselected, the walk is skipped; otherwise the SDK's.
        if self._deselects_properties is None:
            self._deselects_properties = False in self.mask.values()
        if self._deselects_properties:
            yield from super()._generate_record_messages(record)
            return
        record = conform_record_data_types(
            stream_name=self.name,
            record=record,
            schema=self.effective_schema,
            level=self.TYPE_CONFORMANCE_LEVEL,
            logger=self.logger,
        )
        for stream_map in self.stream_maps:
            mapped = stream_map.transform(record)
            if mapped is not None:
                yield RecordMessage(
                    stream=stream_map.stream_alias,
                    record=mapped,
                    version=self._stream_version,
                    time_extracted=clock.now(),  # the tap's one clock, not the SDK's
                )

    def regions(self, context: Context | None) -> list[str]:
        if context and context.get("region"):
            wanted = [str(context["region"])]
        else:
            wanted = list(self.amazon.settings.regions)
        offered = [r for r in wanted if r in self.available_regions]
        if not offered:
            self.logger.info(
                "Stream %s has nothing to sync: Amazon offers it only in region(s) %s, and this "
                "config covers %s.",
                self.name,
                ", ".join(self.available_regions),
                ", ".join(wanted),
            )
        return offered

    def get_records(self, context: Context | None) -> Iterator[dict]:
        for region in self.regions(context):
            try:
                yield from self.fetch(self.amazon.client(region), context)
            except AccessDeniedError as exc:
                self.amazon.note_skipped(self.name, f"region {region}", "access denied")
                self.logger.error(
                    "Stream %s skipped for region %s: %s The app needs the role '%s' "
                    "(Seller Central > Develop Apps > edit the app), and the seller must "
                    "re-authorise it. The other streams go on.",
                    self.name,
                    region,
                    exc,
                    self.required_role or "see README",
                )


class PendingReports(SpApiStream):
    """Report ids in flight, kept in the partition's state (`pending_reports`), so that
    the successor of an interrupted run polls them instead of requesting them again."""

    def _remember_pending(self, context: Context, job: ReportJob) -> None:
        state = self.get_context_state(context)
        pending = [p for p in state.get("pending_reports") or [] if p["report_id"] != job.report_id]
        pending.append(
            {
                "report_id": job.report_id,
                "start": iso(job.data_start) if job.data_start else None,
                "end": iso(job.data_end) if job.data_end else None,
            }
        )
        state["pending_reports"] = pending
        self.amazon.write_state()

    def _forget_window(self, context: Context, job: ReportJob) -> None:
        """Forget `job` and every other report pending for its window (a report requested
        again for it): the window is read, or given up for this run."""
        window = (
            iso(job.data_start) if job.data_start else None,
            iso(job.data_end) if job.data_end else None,
        )
        state = self.get_context_state(context)
        remaining = [
            p
            for p in state.get("pending_reports") or []
            if p["report_id"] != job.report_id and (p.get("start"), p.get("end")) != window
        ]
        if remaining:
            state["pending_reports"] = remaining
        else:
            state.pop("pending_reports", None)


def describe_partition(context: Context | None) -> str:
    if not context:
        return "all partitions"
    if context.get("marketplace_id"):
        return f"marketplace {context['marketplace_id']}"
    return ", ".join(f"{key} {value}" for key, value in context.items())


class PagedApiStream(SpApiStream):
    """A stream read from one paged SP-API operation, declared by class attributes.

    Records are the items at `records_path` of each page; pages follow `token_path`
    through the client's one paginator. Partitioned per marketplace (the configured
    ones, in the regions Amazon offers the API) or per region.
    """

    operation: t.ClassVar[str]
    records_path: t.ClassVar[tuple[str, ...]]
    token_path: t.ClassVar[tuple[str, ...]] = ("nextToken",)
    token_param: t.ClassVar[str] = "nextToken"
    token_alone: t.ClassVar[bool] = False
    per_marketplace: t.ClassVar[bool] = True

    @property
    def partitions(self) -> list[dict] | None:
        if self.per_marketplace:
            return [
                p
                for p in self.amazon.marketplace_partitions()
                if p["region"] in self.available_regions
            ]
        return [{"region": r} for r in self.amazon.settings.regions if r in self.available_regions]

    def params(self, context: Context | None) -> dict[str, t.Any]:
        return {}

    def path_params(self, context: Context | None) -> dict[str, str]:
        return {}

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterable[dict]:
        return self.fetch_pages(client, context, self.params(context))

    def fetch_pages(
        self, client: SpApiClient, context: Context | None, params: dict[str, t.Any]
    ) -> Iterable[dict]:
        extra = {"region": client.region}
        if context and context.get("marketplace_id"):
            extra["marketplace_id"] = context["marketplace_id"]
        for page in client.pages(
            self.operation,
            params=params,
            path_params=self.path_params(context),
            token_path=self.token_path,
            token_param=self.token_param,
            token_alone=self.token_alone,
        ):
            items: t.Any = page
            for key in self.records_path:
                items = items.get(key) if isinstance(items, dict) else None
            for item in items or []:
                yield {**item, **extra}


class WindowedApiStream(PagedApiStream):
    """A paged operation that must be asked window by window of creation time
    (`createdAfter`/`createdBefore`, at most `window_days` each).

    Records carry `windowEnd`, the end of the window they came from, which is the
    bookmark: a window is delivered whole once its last page is read.
    """

    window_days: t.ClassVar[int] = 7
    window_params: t.ClassVar[tuple[str, str]] = ("createdAfter", "createdBefore")
    replication_key = "windowEnd"
    is_sorted = False
    # Amazon wants the window's end in the past: the usual two-minute margin.
    lag: t.ClassVar[timedelta] = timedelta(minutes=2)
    #: Data Amazon shows late is read again this far behind the bookmark (the records
    #: upsert by their keys).
    lookback: t.ClassVar[timedelta] = timedelta(0)
    #: Windows start and end on UTC midnights (all but the last, which ends now): for
    #: records that gather a whole day, so no day is split between two windows.
    whole_days: t.ClassVar[bool] = False

    #: The re-read behind the bookmark is asked as a window of its own (one more call), so
    #: `window_records` can tell data read before from new data.
    reread_apart: t.ClassVar[bool] = False

    def bookmark(self, context: Context | None) -> datetime | None:
        """Where reading starts: the state's bookmark, else (the SDK's way) start_date."""
        value = self.get_starting_replication_key_value(context)
        if isinstance(value, str) and value:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        return None

    def window_start(self, context: Context | None) -> datetime:
        start = self.amazon.settings.start_date
        bookmarked = self.bookmark(context)
        if bookmarked:
            start = max(start, bookmarked - self.lookback)
        if self.whole_days:
            start = clock.midnight(start)
        return start

    def window_records(
        self,
        client: SpApiClient,
        context: Context | None,
        params: dict[str, t.Any],
        *,
        rereading: bool,
    ) -> Iterable[dict]:
        """The records of one window; `rereading` when the window lies wholly behind the
        bookmark (only with `reread_apart`)."""
        return self.fetch_pages(client, context, params)

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterable[dict]:
        settings = self.amazon.settings
        start = self.window_start(context)
        resume = self.resumed_from(context) if self.reread_apart else None
        # Whole seconds, as windows are sent and bookmarked: a run within a second of the
        # last would otherwise ask for a window whose start and end read the same.
        end = (clock.now() - self.lag).replace(microsecond=0)
        if settings.end_date:
            end = min(end, settings.end_date)
        while start < end:
            window_end = min(start + timedelta(days=self.window_days), end)
            if self.whole_days and window_end < end:
                window_end = max(clock.midnight(window_end), start + timedelta(days=1))
            if resume and start < resume < window_end:
                window_end = resume
            after, before = self.window_params
            params = {
                **self.params(context),
                after: start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                before: window_end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            stamp = window_end.strftime("%Y-%m-%dT%H:%M:%SZ")
            rereading = resume is not None and window_end <= resume
            for record in self.window_records(client, context, params, rereading=rereading):
                yield {**record, "windowEnd": stamp}
            start = window_end
