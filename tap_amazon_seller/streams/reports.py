"""Report streams: one class for every entry of the report registry.

Each stream is partitioned by marketplace. Incremental streams cover consecutive
windows of data time and bookmark `report_end_date`, the end of the last window
delivered whole; a window whose report ended FATAL, timed out or could not be
downloaded stops that partition there, so the bookmark never passes data that was
not emitted. Report ids still in flight are kept in the partition's state
(`pending_reports`), so an interrupted run's successor polls them instead of
requesting them again.

This module is the Singer side only: schema, partitions, state, and what each report's
outcome means for the bookmark. Which reports a partition needs is reports/planner.py;
how a document becomes records is reports/reader.py.
"""

from __future__ import annotations

import functools
import typing as t
from collections.abc import Iterator
from datetime import datetime

from singer_sdk.helpers.conform import TypeConformanceLevel

from tap_amazon_seller import clock
from tap_amazon_seller.auth import PII_ROLE
from tap_amazon_seller.errors import AccessDeniedError, SpApiError
from tap_amazon_seller.reports import planner, reader, schedule
from tap_amazon_seller.reports.documents import Document, DocumentError
from tap_amazon_seller.reports.engine import ReportEngine, ReportJob, iso, parse_time
from tap_amazon_seller.reports.spec import ReportSpec
from tap_amazon_seller.streams.base import PendingReports, describe_partition

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_amazon_seller.tap import TapAmazonSeller


#: Listed reports (settlements) read at the bookmark's creation time, and that time.
READ_AT_BOOKMARK = "read_reports"
READ_AT_BOOKMARK_TIME = "read_reports_created"


class ReportStream(PendingReports):
    """A stream whose records come from one report type (declared by a ReportSpec)."""

    conform_answers = False  # rows are cast column by column (JSON ones by `conformed`)

    is_sorted = False  # rows are not ordered by the bookmark: finalise it at the end

    def __init__(self, tap: TapAmazonSeller, spec: ReportSpec) -> None:
        self.spec = spec
        super().__init__(tap=tap, schema=spec.schema(), name=spec.stream)
        self.primary_keys = spec.primary_keys
        self.replication_key = spec.bookmark_field if spec.incremental else None
        self.required_role = spec.role
        self._plan: dict[str, list[ReportJob]] = {}
        #: Up to when this run reads each partition it plans (its `read_at` once read in full).
        self._planned_at: dict[str, str] = {}
        # A type Amazon has removed stays discoverable (old catalogs name it) but is not
        # selected by default, and is never requested.
        self.removal = spec.removal(clock.today())
        self.selected_by_default = self.removal is None
        self._removal_said = False
        if spec.format == "tsv":
            # Flat-file rows leave the reader cast column by column to their schema's types
            # (casting.py; NaN and Infinity refused), with no field the schema lacks: the
            # SDK's conformance pass per record would only redo that, at about a third of a
            # sync's time (#19). tests/test_record_types.py holds the rows to the schema.
            self.TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE

    @property
    def partitions(self) -> list[dict] | None:
        return [p for p in self.amazon.marketplace_partitions() if p["region"] in self.spec.regions]

    @property
    def _options(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(self.spec.report_options(self.amazon.settings).items()))

    # -- cadence: a partition read recently enough is not due -------------------------

    @property
    def cadence_hours(self) -> float:
        """The `report_cadence_hours` setting for this stream (or its "*"), else the spec's."""
        given = self.amazon.settings.report_cadence_hours
        return given.get(self.name, given.get("*", self.spec.cadence_hours))

    def read_at(self, context: Context) -> datetime | None:
        """Up to when the partition was last read in full (None: never, or not since
        cadences were kept): see reads_up_to."""
        value = self.get_context_state(context).get(schedule.READ_AT)
        return parse_time(value) if isinstance(value, str) else None

    def reads_up_to(self) -> datetime:
        """Up to when this run reads: a snapshot, now; a stream by data time, where its data
        ends (now less the report's lag, or end_date). So a run after one cut short by
        end_date is due as soon as the data it may read reaches a cadence past it."""
        if not self.spec.incremental:
            return clock.now()
        return planner.data_limit(self.spec, self.amazon.settings.end_date)

    def is_due(self, context: Context) -> bool:
        """Whether this run reads the partition: its data reaches a cadence past where it
        was last read in full, or reports an earlier run requested for it wait to be read."""
        if self.get_context_state(context).get("pending_reports"):
            return True
        return schedule.is_due(self.read_at(context), self.cadence_hours, self.reads_up_to())

    @property
    def emit_activate_version_messages(self) -> bool:
        # ACTIVATE_VERSION tells the target that rows of earlier versions are gone: a
        # snapshot with a partition not due this run (so not read) must not send it.
        wanted = super().emit_activate_version_messages
        return wanted and all(self.is_due(p) for p in self.partitions or [])

    def _say_not_due(self, contexts: t.Sequence[Context]) -> None:
        """One INFO line for the partitions of this stream that are not due."""
        read = sorted({t.cast("datetime", self.read_at(c)) for c in contexts})
        # Due once the data it may read reaches next_due: in wall time, that less its lag.
        lag = clock.now() - self.reads_up_to()
        for context in contexts:
            self.amazon.note_not_due(self.name, describe_partition(context))
        self.logger.info(
            "Stream %s not due in %s: last read in full at %s, and its cadence is %s; no "
            "report requested, its bookmark stays. Due again from %s (report_cadence_hours "
            "sets the cadence).",
            self.name,
            ", ".join(str(c["marketplace_id"]) for c in contexts),
            ", ".join(iso(moment) for moment in read),
            schedule.describe_hours(self.cadence_hours),
            iso(schedule.next_due(read[0], self.cadence_hours) + lag),
        )

    # -- planning (called once per sync, for every selected report stream) -------------

    @property
    def planned_report_types(self) -> list[str]:
        return [] if self.removal else [self.spec.report_type]

    def plan(self, engine: ReportEngine) -> None:
        if self.spec.restricted and not self.amazon.settings.include_pii:
            # Its rows are PII: not even requested without the user's consent.
            for context in self.partitions or []:
                self._plan[context["marketplace_id"]] = []
                self.amazon.note_skipped(
                    self.name, describe_partition(context), "needs include_pii"
                )
            self.logger.error(
                "Stream %s skipped: %s is a restricted report (its rows hold buyer PII), read "
                "only with the setting include_pii: true and the role '%s'. Set it or deselect "
                "the stream.",
                self.name,
                self.spec.report_type,
                PII_ROLE,
            )
            return
        missing = [o for o in self.spec.required_options if o not in dict(self._options)]
        not_due = []
        for context in self.partitions or []:
            if not missing and not self.is_due(context):
                self._plan[context["marketplace_id"]] = []
                not_due.append(context)
                continue
            if missing:
                # Amazon refuses the request without them: say which setting to fill in.
                self._plan[context["marketplace_id"]] = []
                self.amazon.note_skipped(
                    self.name, describe_partition(context), f"report option {missing[0]} not set"
                )
                self.logger.error(
                    "Stream %s, marketplace %s skipped: %s needs the report option %s; set it "
                    'in the report_options setting, e.g. {"%s": {"%s": "..."}}.',
                    self.name,
                    context["marketplace_id"],
                    self.spec.report_type,
                    missing[0],
                    self.name,
                    missing[0],
                )
                continue
            refusal = engine.denied_regions.get(str(context["region"]))
            if refusal is not None:
                self._plan[context["marketplace_id"]] = []
                self.amazon.note_skipped(self.name, describe_partition(context), "access denied")
                self.logger.error(
                    "Stream %s, marketplace %s skipped: the Reports API is refused in region %s "
                    "(%s). Its bookmark does not move; the other regions go on.",
                    self.name,
                    context["marketplace_id"],
                    context["region"],
                    refusal,
                )
                continue
            try:
                self._planned_at[context["marketplace_id"]] = iso(self.reads_up_to())
                self._plan[context["marketplace_id"]] = self._plan_partition(engine, context)
            except SpApiError as exc:
                self._planned_at.pop(context["marketplace_id"], None)
                # Listing failed (e.g. no access in that region): skip this partition, loudly.
                self._plan[context["marketplace_id"]] = []
                self.amazon.note_error(self.name, context["marketplace_id"], exc)
                self.logger.error(
                    "Stream %s, marketplace %s skipped: %s The app needs the role '%s'. "
                    "Its bookmark does not move; the other partitions and streams go on.",
                    self.name,
                    context["marketplace_id"],
                    exc,
                    self.required_role,
                )
        if not_due:
            self._say_not_due(not_due)

    def _plan_partition(self, engine: ReportEngine, context: Context) -> list[ReportJob]:
        """The planner's reports for this partition, given to the engine; a report Amazon
        gives an id is remembered in the partition's state."""
        settings = self.amazon.settings
        partition = planner.partition_for(
            self.spec,
            region=str(context["region"]),
            marketplace_id=str(context["marketplace_id"]),
            options=dict(self._options),
            start_date=settings.start_date,
            end_date=settings.end_date,
            bookmark=self.resumed_from(context),
            pending=tuple(self.get_context_state(context).get("pending_reports") or ()),
            read_at_bookmark=tuple(self.get_context_state(context).get(READ_AT_BOOKMARK) or ()),
            now=engine.planned_at,
        )
        return reader.plan(
            engine,
            self.spec,
            partition,
            lambda created: self._remember_pending(context, created),
            first=bool(self.get_context_state(context).get(schedule.DEFERRED)),
        )

    def _skip_removed(self, context: Context) -> None:
        """A selected stream of a removed type: listed as skipped, said once a run."""
        assert self.removal is not None
        self.amazon.note_skipped(self.name, describe_partition(context), self.removal.describe())
        if self._removal_said:
            return
        self._removal_said = True
        self.logger.warning(
            "Stream %s skipped: Amazon removed %s on %s and refuses it since (%s), so it is "
            "not requested. Deselect the stream.",
            self.name,
            self.spec.report_type,
            self.removal.removed.isoformat(),
            self.removal.source,
        )

    # -- state ---------------------------------------------------------------------------

    def _increment_stream_state(
        self, latest_record: dict, *, context: Context | None = None
    ) -> None:
        # The SDK calls this for every record emitted. A record's bookmark field is its
        # window's end, which a window that fails halfway (a document that breaks after
        # some rows) must not reach: the bookmark moves in _advance_bookmark only, once a
        # window is delivered whole. That is also one state update a window, not a row.
        return

    def _advance_bookmark(self, context: Context, job: ReportJob) -> None:
        """A window delivered whole (or empty) moves the bookmark to its end."""
        if self.spec.incremental and job.data_end is not None:
            # The SDK's own state machinery, fed a record that holds only the bookmark.
            super()._increment_stream_state(
                {self.spec.bookmark_field: iso(job.data_end)}, context=context
            )
        if not self.spec.requestable and job.data_end is not None and job.report_id:
            # A listed report is found again by the next run's createdSince (the bookmark
            # is its creation time): its id says it was read.
            state = self.get_context_state(context)
            latest = state.get(READ_AT_BOOKMARK_TIME)
            same_second = latest == iso(job.data_end)
            read = list(state.get(READ_AT_BOOKMARK) or []) if same_second else []
            state[READ_AT_BOOKMARK] = [*read, job.report_id]
            state[READ_AT_BOOKMARK_TIME] = iso(job.data_end)

    # -- records ------------------------------------------------------------------------

    def get_records(self, context: Context | None) -> Iterator[dict]:
        assert context is not None
        if self.removal is not None:
            self._skip_removed(context)
            return
        engine = self.amazon.report_engine()
        jobs = self._plan.get(str(context["marketplace_id"]), [])
        for position, job in enumerate(jobs):
            if not (yield from self._deliver(engine, job, context)):
                # Later windows are not emitted, so the bookmark stays before this one; their
                # reports stay in pending_reports for the next run, and their documents go.
                for later in jobs[position + 1 :]:
                    engine.release(later)
                return
        planned_at = self._planned_at.get(str(context["marketplace_id"]))
        if planned_at is not None:
            # Read in full, up to where this run's data ended: not due again until the
            # data a run may read reaches a cadence past that.
            state = self.get_context_state(context)
            state[schedule.READ_AT] = planned_at
            state.pop(schedule.DEFERRED, None)

    def _deliver(
        self, engine: ReportEngine, job: ReportJob, context: Context
    ) -> t.Generator[dict, None, bool]:
        """Emit one window's records; False when the partition must stop at this window."""
        marketplace = str(context["marketplace_id"])

        def rows_of(document: Document, read: ReportJob) -> Iterator[dict]:
            base = reader.base_record(self.spec, read, marketplace)
            conform = functools.partial(self.conformed, where=read.describe())
            return reader.records(document, self.spec, read, base, self.logger, conform)

        try:
            done = yield from reader.read_report(engine, job, rows_of, window=self.spec.incremental)
        except reader.ReportDeferred:
            # Not requested within the run budget: by design, not a failure. The bookmark
            # stays before it, and next run requests this partition's reports first.
            self.get_context_state(context)[schedule.DEFERRED] = True
            self.amazon.note_deferred(self.name, describe_partition(context))
            self.logger.info(
                "Stream %s, marketplace %s: %s deferred to the next run by max_run_minutes; "
                "its bookmark stays before it, and the next run requests it first.",
                self.name,
                marketplace,
                job.describe(),
            )
            return False
        except AccessDeniedError as exc:
            self._forget_window(context, job)
            self.amazon.note_skipped(self.name, describe_partition(context), "access denied")
            self.logger.error(
                "Stream %s, marketplace %s skipped: Amazon refuses %s to this app (%s). The "
                "app needs the role '%s'; its bookmark does not move, the other streams go on.",
                self.name,
                marketplace,
                job.report_type,
                exc,
                self.required_role,
            )
            return False
        except (reader.ReportNotRead, DocumentError) as exc:
            self.logger.error(
                "Stream %s, marketplace %s: %s; %s",
                self.name,
                marketplace,
                exc,
                "this partition stops at this window and its bookmark stays before it. The "
                "next run retries from there."
                if self.spec.incremental
                else "the next run requests it again.",
            )
            self.amazon.note_failed(self.name, describe_partition(context), exc)
            if not (isinstance(exc, reader.ReportNotRead) and exc.keep_pending):
                self._forget_window(context, job)  # a timed-out report: the next run polls it
            return False
        finally:
            engine.release(job)
        self.logger.info("%s: %d rows read into %s", done.report.describe(), done.rows, self.name)
        self._forget_window(context, job)
        self._advance_bookmark(context, job)
        return True
