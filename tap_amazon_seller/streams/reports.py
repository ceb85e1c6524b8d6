"""Report streams: one class for every entry of the report registry.

Each stream is partitioned by marketplace. Incremental streams cover consecutive
windows of data time and bookmark `report_end_date`, the end of the last window
delivered whole; a window whose report ended FATAL, timed out or could not be
downloaded stops that partition there, so the bookmark never passes data that was
not emitted. Report ids still in flight are kept in the partition's state
(`pending_reports`), so an interrupted run's successor polls them instead of
requesting them again.
"""

from __future__ import annotations

import typing as t
from collections.abc import Iterator
from datetime import datetime, timedelta

from singer_sdk import typing as th

from tap_amazon_seller import clock
from tap_amazon_seller.auth import PII_ROLE
from tap_amazon_seller.errors import SpApiError
from tap_amazon_seller.reports import reader
from tap_amazon_seller.reports.documents import (
    DocumentError,
    IncompleteDocumentError,
)
from tap_amazon_seller.reports.engine import ReportEngine, ReportJob, iso, list_reports, parse_time
from tap_amazon_seller.reports.periods import period_after, period_start, period_windows
from tap_amazon_seller.reports.registry import REPORT_SPECS
from tap_amazon_seller.reports.spec import ReportSpec
from tap_amazon_seller.streams.base import PendingReports, SpApiStream, describe_partition

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_amazon_seller.client import SpApiClient
    from tap_amazon_seller.tap import TapAmazonSeller

# How many bad cells or rows of one document are logged one by one (the rest are counted).
# A shorter tail is left for the next run rather than spent a createReport on.
MIN_WINDOW = timedelta(minutes=5)
# Periods this long (months, quarters) are read one a report.
MONTH_OR_LONGER = timedelta(days=28)
# Amazon keeps reports for 90 days: listing further back finds nothing.
LISTING_HORIZON_DAYS = 90


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

    @property
    def partitions(self) -> list[dict] | None:
        return [p for p in self.amazon.marketplace_partitions() if p["region"] in self.spec.regions]

    @property
    def _options(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(self.spec.report_options(self.amazon.settings).items()))

    # -- planning (called once per sync, for every selected report stream) -------------

    @property
    def planned_report_types(self) -> list[str]:
        return [self.spec.report_type]

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
        for context in self.partitions or []:
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
                self._plan[context["marketplace_id"]] = self._plan_partition(engine, context)
            except SpApiError as exc:
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

    def _now_limit(self) -> datetime:
        settings = self.amazon.settings
        latest = clock.now() - timedelta(minutes=self.spec.end_lag_minutes)
        return min(settings.end_date, latest) if settings.end_date else latest

    def _partition_options(self, context: Context) -> tuple[tuple[str, str], ...]:
        """The report options, with the partition's marketplace where the report names it
        in an option too (the browse tree's MarketplaceId)."""
        if not self.spec.marketplace_option:
            return self._options
        options = dict(self._options)
        options[self.spec.marketplace_option] = str(context["marketplace_id"])
        return tuple(sorted(options.items()))

    def _new_job(self, context: Context, start: datetime | None, end: datetime | None) -> ReportJob:
        options = self._partition_options(context)
        if self.spec.window_options and start is not None and end is not None:
            # The window travels as options (e.g. promotionStartDateFrom/To), not as dataStart/End.
            window = dict(zip(self.spec.window_options, (iso(start), iso(end)), strict=True))
            options = tuple(sorted({**dict(options), **window}.items()))
        job = ReportJob(
            report_type=self.spec.report_type,
            region=str(context["region"]),
            marketplace_ids=(str(context["marketplace_id"]),),
            data_start=start,
            data_end=end,
            options=options,
            restricted=self.spec.restricted,
            # Reports by calendar day, week or month take dataEndTime as a day included
            # whole: a window ending at midnight is sent as the last second before it.
            end_inclusive=self.spec.whole_days or self._period() is not None,
            send_range=self.spec.window_options is None,
        )
        job.on_created.append(lambda created: self._remember_pending(context, created))
        return job

    def _pending_from_state(self, context: Context) -> list[dict]:
        return list(self.get_context_state(context).get("pending_reports") or [])

    def _plan_partition(self, engine: ReportEngine, context: Context) -> list[ReportJob]:
        region, marketplace = str(context["region"]), str(context["marketplace_id"])
        pending = self._pending_from_state(context)
        if not self.spec.requestable:
            return self._plan_listed(engine, context)
        if not self.spec.incremental:
            if self.spec.full_range:
                job = self._new_job(context, self.amazon.settings.start_date, self._now_limit())
            elif self.spec.min_range_hours:
                end = self._now_limit()
                job = self._new_job(context, self._request_start(end, end), end)
            else:
                job = self._new_job(context, None, None)
            if pending:
                return [engine.adopt(job, {"reportId": pending[-1]["report_id"]})]
            recent = engine.find_recent_report(
                region,
                self.spec.report_type,
                (marketplace,),
                timedelta(minutes=self.spec.reuse_minutes),
            )
            return [engine.adopt(job, recent) if recent else engine.plan(job)]

        period = self._period()
        if period and self.spec.period_reads == "finished":
            return self._plan_periods(engine, context, pending, period)
        start = self._window_start(context)
        end = self._now_limit()
        if self.spec.whole_days:
            start = clock.midnight(start)
        if period:
            # Back to the start of the period the bookmark is in: a period read while it was
            # still running (the current day, week or month) is read again whole.
            start = period_start(start, period)
            earliest = period_start(self.amazon.settings.start_date, period)
            for _ in range(self.spec.lookback_periods if self.resumed_from(context) else 0):
                start = max(period_start(start - timedelta(seconds=1), period), earliest)
        window = timedelta(days=self.spec.window_days or 30)
        jobs: list[ReportJob] = []
        while end - start >= MIN_WINDOW:
            planned_end = self._window_end(start, end, window, period)
            requested_start = self._request_start(start, planned_end)
            # An earlier run's report for a window starting here is reused as it is.
            from_state = next(
                (
                    p
                    for p in pending
                    if parse_time(p.get("start")) == requested_start
                    and (parse_time(p.get("end")) or end) <= end
                ),
                None,
            )
            existing = (
                {
                    "reportId": from_state["report_id"],
                    "dataStartTime": from_state["start"],
                    "dataEndTime": from_state["end"],
                }
                if from_state
                else engine.find_window_report(
                    region,
                    self.spec.report_type,
                    (marketplace,),
                    requested_start,
                    end,
                    self._partition_options(context),
                )
            )
            if existing and period:
                existing_end = parse_time(existing["dataEndTime"]) or end
                if existing_end < end and period_start(existing_end, period) != existing_end:
                    # It ends inside a period: the next window would sum part of one.
                    existing = None
            if existing:
                window_end = parse_time(existing["dataEndTime"]) or planned_end
                job = self._new_job(context, requested_start, window_end)
                jobs.append(engine.adopt(job, existing))
            else:
                window_end = planned_end
                jobs.append(engine.plan(self._new_job(context, requested_start, window_end)))
            start = window_end
        return jobs

    def _plan_periods(
        self, engine: ReportEngine, context: Context, pending: list[dict], period: str
    ) -> list[ReportJob]:
        """Windows of whole, finished periods (e.g. reportPeriod=WEEK): each starts on a
        period's first day and ends after a period's last, and a period not over yet is left
        for a later run, so the bookmark always sits on a period edge."""
        region, marketplace = str(context["region"]), str(context["marketplace_id"])
        jobs: list[ReportJob] = []
        for start, end in period_windows(
            self._window_start(context),
            self._now_limit(),
            period,
            spans=self.spec.spans_periods,
            max_days=self.spec.window_days,
        ):
            job = self._new_job(context, start, end)
            from_state = next(
                (
                    p
                    for p in pending
                    if parse_time(p.get("start")) == start and parse_time(p.get("end")) == end
                ),
                None,
            )
            listed = engine.find_window_report(
                region, self.spec.report_type, (marketplace,), start, end, self._options
            )
            if from_state:
                jobs.append(engine.adopt(job, {"reportId": from_state["report_id"]}))
            elif listed and parse_time(listed.get("dataEndTime")) == end - timedelta(seconds=1):
                jobs.append(engine.adopt(job, listed))
            else:
                jobs.append(engine.plan(job))
        return jobs

    def _period(self) -> str | None:
        """The period the report's rows sum over (set by its option, else the spec's)."""
        if not self.spec.period_option:
            return self.spec.period
        return dict(self._options).get(self.spec.period_option, self.spec.period)

    @staticmethod
    def _window_end(
        start: datetime, end: datetime, window: timedelta, period: str | None
    ) -> datetime:
        window_end = min(start + window, end)
        if not period:
            return window_end
        following = period_after(start, period)
        if following - start >= MONTH_OR_LONGER and following < window_end:
            # A calendar month (or quarter) a report, the running one too: on the 1st, a
            # window from the month before must not run on into the new month.
            return following
        if window_end < end:
            # Whole periods only (at least one), so no row sums part of a period.
            aligned = period_start(window_end, period)
            window_end = aligned if aligned > start else min(following, end)
        return window_end

    def _request_start(self, start: datetime, end: datetime) -> datetime:
        """dataStartTime for data from `start`: earlier if Amazon wants a longer range."""
        if self.spec.min_range_hours:
            return min(start, end - timedelta(hours=self.spec.min_range_hours))
        return start

    def _plan_listed(self, engine: ReportEngine, context: Context) -> list[ReportJob]:
        """Reports Amazon makes on its own (settlements): list those created since the bookmark."""
        since = max(
            self._window_start(context),
            clock.now() - timedelta(days=LISTING_HORIZON_DAYS),
        )
        client = self.amazon.client(str(context["region"]))
        params = {
            "reportTypes": ",".join((self.spec.report_type, *self.spec.also_list)),
            "processingStatuses": "DONE",
            "marketplaceIds": str(context["marketplace_id"]),
            "createdSince": iso(since),
            "pageSize": 100,
        }
        reports = sorted(list_reports(client, params), key=lambda r: r.get("createdTime") or "")
        jobs = []
        for report in reports:
            created = parse_time(report.get("createdTime"))
            job = ReportJob(
                report_type=str(report["reportType"]),
                region=str(context["region"]),
                marketplace_ids=tuple(report.get("marketplaceIds") or (context["marketplace_id"],)),
                data_start=parse_time(report.get("dataStartTime")),
                data_end=created,  # the bookmark of a listed report is its creation time
                report_id=str(report["reportId"]),
                status="DONE",
                document_id=report.get("reportDocumentId"),
                created_time=created,
            )
            jobs.append(engine.plan(job))
        return jobs

    def _window_start(self, context: Context) -> datetime:
        start = self.amazon.settings.start_date
        bookmark = self.resumed_from(context)
        if bookmark:
            start = max(bookmark - timedelta(days=self.spec.lookback_days), start)
        if self.spec.history_days is not None:
            # Amazon keeps no older data: asking for it spends createReport on nothing.
            start = max(start, clock.now() - timedelta(days=self.spec.history_days))
        return start

    # -- state ---------------------------------------------------------------------------

    def _advance_bookmark(self, context: Context, job: ReportJob) -> None:
        """A window delivered whole (or empty) moves the bookmark to its end."""
        if self.spec.incremental and job.data_end is not None:
            # The SDK's own state machinery, fed a record that holds only the bookmark.
            self._increment_stream_state(
                {self.spec.bookmark_field: iso(job.data_end)}, context=context
            )

    # -- records ------------------------------------------------------------------------

    def get_records(self, context: Context | None) -> Iterator[dict]:
        assert context is not None
        engine = self.amazon.report_engine()
        jobs = self._plan.get(str(context["marketplace_id"]), [])
        for position, job in enumerate(jobs):
            if not (yield from self._deliver(engine, job, context)):
                # Later windows are not emitted, so the bookmark stays before this one; their
                # reports stay in pending_reports for the next run, and their documents go.
                for later in jobs[position + 1 :]:
                    engine.release(later)
                return

    def _deliver(
        self, engine: ReportEngine, job: ReportJob, context: Context
    ) -> t.Generator[dict, None, bool]:
        """Emit one window's records; False when the partition must stop at this window.

        A report whose document cannot be downloaded whole is replaced, once, by a new
        report for the same window, in the same run.
        """
        try:
            outcome = yield from self._deliver_report(engine, job, context)
        finally:
            engine.release(job)
        if outcome != "again":
            return outcome == "read"
        fresh = engine.request_again(job)
        try:
            return (yield from self._deliver_report(engine, fresh, context)) == "read"
        finally:
            engine.release(fresh)

    def _deliver_report(
        self, engine: ReportEngine, job: ReportJob, context: Context
    ) -> t.Generator[dict, None, str]:
        """Emit one report's records: "read", "stop" (the partition stops here), or "again"
        (its document could not be downloaded and nothing of it was emitted)."""
        status = engine.wait(job)
        if status == "CANCELLED" and self.spec.incremental:
            # Amazon's "no data": the window is complete and empty.
            self._forget_pending(context, job)
            self._advance_bookmark(context, job)
            return "read"
        if status == "CANCELLED":
            # A snapshot (the listings, the inventory, as they are now) has no empty window to
            # mean: the stream has no rows from this run, which the summary says.
            status = (
                "CANCELLED by Amazon, so this snapshot has no rows this run. Amazon cancels a "
                "report it has no data for or cannot make; if this account has no such data, "
                "deselect the stream"
            )
        if status == "DONE":
            rows = 0
            try:
                for record in self._records_of(engine, job, context):
                    rows += 1
                    yield record
            except IncompleteDocumentError as exc:
                if rows == 0 and not job.requested_again:
                    self._forget_pending(context, job)
                    return "again"
                status = str(exc)
            except DocumentError as exc:
                status = str(exc)
            else:
                self.logger.info("%s: %d rows read into %s", job.describe(), rows, self.name)
                self._forget_pending(context, job)
                self._advance_bookmark(context, job)
                return "read"
        if job.denied:
            self._forget_pending(context, job)
            self.amazon.note_skipped(self.name, describe_partition(context), "access denied")
            self.logger.error(
                "Stream %s, marketplace %s skipped: Amazon refuses %s to this app (%s). The "
                "app needs the role '%s'; its bookmark does not move, the other streams go on.",
                self.name,
                context["marketplace_id"],
                job.report_type,
                job.error,
                self.required_role,
            )
            return "stop"
        self.logger.error(
            "Stream %s, marketplace %s: %s: %s; %s",
            self.name,
            context["marketplace_id"],
            job.describe(),
            status,
            "this partition stops at this window and its bookmark stays before it. The next "
            "run retries from there."
            if self.spec.incremental
            else "the next run requests it again.",
        )
        self.amazon.note_failed(
            self.name, describe_partition(context), f"{job.describe()}: {status}"
        )
        if status != "TIMEOUT":  # a timed-out report stays pending: the next run polls it
            self._forget_pending(context, job)
        return "stop"

    def _records_of(self, engine: ReportEngine, job: ReportJob, context: Context) -> Iterator[dict]:
        return reader.records(
            engine.open_document(job),
            self.spec,
            job,
            reader.base_record(self.spec, job, str(context["marketplace_id"])),
            self.logger,
            lambda item: self.conformed(item, job.describe()),
        )


class ReportListStream(SpApiStream):
    """`reports`: the metadata of the account's reports (getReports), per region.

    Lists the types of `report_types` (default: every type the tap knows), created since
    the bookmark less a day (a report listed while IN_PROGRESS is listed again once DONE
    and upserts by reportId), at most 90 days back as Amazon keeps no older ones.
    """

    name = "reports"
    primary_keys: t.ClassVar[list[str]] = ["reportId"]
    replication_key = "createdTime"
    is_sorted = False
    required_role = "any role that can read reports"
    schema = th.PropertiesList(
        th.Property("reportId", th.StringType, required=True),
        th.Property("region", th.StringType),
        th.Property("reportType", th.StringType),
        th.Property("marketplaceIds", th.ArrayType(th.StringType)),
        th.Property("dataStartTime", th.DateTimeType),
        th.Property("dataEndTime", th.DateTimeType),
        th.Property("reportScheduleId", th.StringType),
        th.Property("createdTime", th.DateTimeType, required=True),
        th.Property("processingStatus", th.StringType),
        th.Property("processingStartTime", th.DateTimeType),
        th.Property("processingEndTime", th.DateTimeType),
        th.Property("reportDocumentId", th.StringType),
    ).to_dict()

    @property
    def partitions(self) -> list[dict] | None:
        return [{"region": region} for region in self.amazon.settings.regions]

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterator[dict]:
        settings = self.amazon.settings
        since = settings.start_date
        bookmark = parse_time(self.get_starting_replication_key_value(context))
        if bookmark:
            since = max(since, bookmark - timedelta(days=1))
        since = max(since, clock.now() - timedelta(days=LISTING_HORIZON_DAYS - 1))
        types = list(settings.report_types) or sorted(
            {s.report_type for s in REPORT_SPECS} | {t for s in REPORT_SPECS for t in s.also_list}
        )
        for start in range(0, len(types), 10):
            params = {
                "reportTypes": ",".join(types[start : start + 10]),
                "createdSince": iso(since),
                "pageSize": 100,
            }
            for report in list_reports(client, params):
                yield {**report, "region": client.region}
