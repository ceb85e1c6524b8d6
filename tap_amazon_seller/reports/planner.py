"""Which reports one partition of a report stream needs, and which of them already exist.

Pure functions of the spec, the partition's bookmark and options, the reports its state
still holds as pending, and the reports Amazon already lists (asked through `Listed`, which
the report engine implements): no call, no clock of their own. So every rule of how
windows, periods, lookbacks and reuse interact is in this one module, and each can be
tested without a server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from tap_amazon_seller import clock
from tap_amazon_seller.reports.engine import ReportJob, iso, parse_time
from tap_amazon_seller.reports.periods import period_after, period_start, period_windows
from tap_amazon_seller.reports.spec import Listed as ListedTiming
from tap_amazon_seller.reports.spec import Periods, ReportSpec, Snapshot, Windows

# A shorter tail is left for the next run rather than spent a createReport on.
MIN_WINDOW = timedelta(minutes=5)
# Periods this long (months, quarters) are read one a report.
MONTH_OR_LONGER = timedelta(days=28)
# Amazon keeps reports for 90 days: listing further back finds nothing.
LISTING_HORIZON_DAYS = 90


class Listed(Protocol):
    """Reports Amazon already lists for the account (the report engine's getReports)."""

    def find_window_report(
        self,
        region: str,
        report_type: str,
        marketplace_ids: tuple[str, ...],
        start: datetime,
        latest_end: datetime,
        options: tuple[tuple[str, str], ...] = (),
    ) -> dict[str, Any] | None: ...

    def find_recent_report(
        self, region: str, report_type: str, marketplace_ids: tuple[str, ...], max_age: timedelta
    ) -> dict[str, Any] | None: ...


class _NothingListed:
    """No report listed: planning without asking Amazon (every window one to request)."""

    def find_window_report(self, *args: Any, **kwargs: Any) -> None:
        return None

    def find_recent_report(self, *args: Any, **kwargs: Any) -> None:
        return None


NOTHING_LISTED: Listed = _NothingListed()


@dataclass(frozen=True)
class Partition:
    """What planning needs to know of one partition (a marketplace of a stream)."""

    region: str
    marketplace_id: str
    #: The createReport options, the partition's marketplace included where the report
    #: names it in an option too.
    options: tuple[tuple[str, str], ...]
    #: The `start_date` setting.
    start_date: datetime
    #: Data is asked for up to here (now less the report's lag, or `end_date`).
    limit: datetime
    #: The bookmark an earlier run left (None on a first run).
    bookmark: datetime | None = None
    #: Reports an earlier run requested and did not finish reading ({report_id, start, end}).
    pending: tuple[dict[str, Any], ...] = field(default=())
    #: Listed reports (settlements) read already, of those created at the bookmark's second.
    read_at_bookmark: tuple[str, ...] = ()


def partition_for(
    spec: ReportSpec,
    *,
    region: str,
    marketplace_id: str,
    options: dict[str, str],
    start_date: datetime,
    end_date: datetime | None,
    bookmark: datetime | None = None,
    pending: tuple[dict[str, Any], ...] = (),
    read_at_bookmark: tuple[str, ...] = (),
    now: datetime | None = None,
) -> Partition:
    """A marketplace's partition of a report stream: its data asked for up to now less the
    report's lag (or `end_date`), the marketplace in an option where the report names it
    there too (the browse tree's MarketplaceId)."""
    if spec.marketplace_option:
        options = {**options, spec.marketplace_option: marketplace_id}
    return Partition(
        region=region,
        marketplace_id=marketplace_id,
        options=tuple(sorted(options.items())),
        start_date=start_date,
        limit=data_limit(spec, end_date, now),
        bookmark=bookmark,
        pending=pending,
        read_at_bookmark=read_at_bookmark,
    )


def data_limit(
    spec: ReportSpec, end_date: datetime | None, now: datetime | None = None
) -> datetime:
    """Where a run's data ends: now less the report's lag, or `end_date` if earlier."""
    latest = (now or clock.now()) - timedelta(minutes=spec.end_lag_minutes)
    return min(end_date, latest) if end_date else latest


@dataclass(frozen=True)
class Planned:
    """A report the partition needs: `existing` is one to adopt; None, one to request."""

    job: ReportJob
    existing: dict[str, Any] | None = None


def plan(
    spec: ReportSpec, partition: Partition, listed: Listed, now: datetime | None = None
) -> list[Planned]:
    """The reports of a requestable report stream's partition, oldest window first."""
    now = now or clock.now()
    timing = spec.timing
    if isinstance(timing, ListedTiming):
        raise ValueError(f"{spec.stream}: Amazon makes its reports; list them (listed_jobs)")
    if isinstance(timing, Snapshot):
        return [_plan_snapshot(spec, timing, partition, listed)]
    period = period_of(spec, partition.options)
    if isinstance(timing, Periods) and period and timing.reads == "finished":
        return _plan_periods(spec, timing, partition, listed, period, now)
    return _plan_windows(spec, timing, partition, listed, period, now)


def window_start(spec: ReportSpec, partition: Partition, now: datetime) -> datetime:
    """Where the partition's data is read from: the bookmark less the spec's lookback (the
    data Amazon still revises), never before `start_date` or Amazon's history."""
    start = partition.start_date
    timing = spec.timing
    if not isinstance(timing, Windows):
        return max(partition.bookmark, start) if partition.bookmark else start
    if partition.bookmark:
        start = max(partition.bookmark - timedelta(days=timing.lookback_days), start)
    if timing.history_days is not None:
        # Amazon keeps no older data: asking for it spends createReport on nothing.
        start = max(start, now - timedelta(days=timing.history_days))
    return start


def period_of(spec: ReportSpec, options: tuple[tuple[str, str], ...]) -> str | None:
    """The period the report's rows sum over (set by its option, else the spec's)."""
    timing = spec.timing
    if not isinstance(timing, Periods):
        return None
    if not timing.option:
        return timing.period
    return dict(options).get(timing.option, timing.period)


def new_job(
    spec: ReportSpec, partition: Partition, start: datetime | None, end: datetime | None
) -> ReportJob:
    options = partition.options
    timing = spec.timing
    window_options = timing.options if isinstance(timing, Windows) else None
    if window_options and start is not None and end is not None:
        # The window travels as options (e.g. promotionStartDateFrom/To), not as dataStart/End.
        window = dict(zip(window_options, (iso(start), iso(end)), strict=True))
        options = tuple(sorted({**dict(options), **window}.items()))
    return ReportJob(
        report_type=spec.report_type,
        region=partition.region,
        marketplace_ids=(partition.marketplace_id,),
        data_start=start,
        data_end=end,
        options=options,
        restricted=spec.restricted,
        # Reports by calendar day, week or month take dataEndTime as a day included whole:
        # a window ending at midnight is sent as the last second before it.
        end_inclusive=(isinstance(timing, Windows) and timing.whole_days)
        or period_of(spec, partition.options) is not None,
        send_range=window_options is None,
    )


def listed_jobs(
    spec: ReportSpec, partition: Partition, reports: list[dict[str, Any]]
) -> list[ReportJob]:
    """Jobs for reports Amazon makes on its own (settlements), as getReports listed them,
    but those read already: created before the bookmark, or at its second and read then
    (getReports' createdSince includes the bookmark's own report); and an older type's
    report (`also_list`: the first settlement flat file) of a period the spec's own type
    also covers, which Amazon made alongside it: its lines would be read twice."""
    periods = {_period(r) for r in reports if r.get("reportType") == spec.report_type}
    jobs = []
    for report in sorted(reports, key=lambda r: r.get("createdTime") or ""):
        if report.get("reportType") != spec.report_type and _period(report) in periods:
            continue
        created = parse_time(report.get("createdTime"))
        if (
            partition.bookmark
            and created
            and (
                created < partition.bookmark
                or (
                    created == partition.bookmark
                    and report["reportId"] in partition.read_at_bookmark
                )
            )
        ):
            continue
        jobs.append(
            ReportJob(
                report_type=str(report["reportType"]),
                region=partition.region,
                marketplace_ids=tuple(report.get("marketplaceIds") or (partition.marketplace_id,)),
                data_start=parse_time(report.get("dataStartTime")),
                data_end=created,  # the bookmark of a listed report is its creation time
                report_id=str(report["reportId"]),
                status="DONE",
                document_id=report.get("reportDocumentId"),
                created_time=created,
            )
        )
    return jobs


def _period(report: dict[str, Any]) -> tuple[Any, ...]:
    """The marketplaces and data range a listed report covers."""
    return (
        tuple(sorted(report.get("marketplaceIds") or ())),
        parse_time(report.get("dataStartTime")),
        parse_time(report.get("dataEndTime")),
    )


def listing_since(spec: ReportSpec, partition: Partition, now: datetime) -> datetime:
    """How far back Amazon's own reports (settlements) are listed."""
    return max(window_start(spec, partition, now), now - timedelta(days=LISTING_HORIZON_DAYS))


def _plan_snapshot(
    spec: ReportSpec, timing: Snapshot, partition: Partition, listed: Listed
) -> Planned:
    if timing.full_range:
        job = new_job(spec, partition, partition.start_date, partition.limit)
    elif timing.min_range_hours:
        end = partition.limit
        job = new_job(spec, partition, _request_start(timing, end, end), end)
    else:
        job = new_job(spec, partition, None, None)
    if partition.pending:
        return Planned(job, {"reportId": partition.pending[-1]["report_id"]})
    recent = listed.find_recent_report(
        partition.region,
        spec.report_type,
        (partition.marketplace_id,),
        timedelta(minutes=timing.reuse_minutes),
    )
    return Planned(job, recent)


def _plan_windows(
    spec: ReportSpec,
    timing: Windows | Periods,
    partition: Partition,
    listed: Listed,
    period: str | None,
    now: datetime,
) -> list[Planned]:
    """Consecutive windows from the bookmark to the limit, each reusing a report an earlier
    run (or anyone) already requested for exactly that start."""
    start = window_start(spec, partition, now)
    end = partition.limit
    if isinstance(timing, Windows) and timing.whole_days:
        start = clock.midnight(start)
    if period:
        # Back to the start of the period the bookmark is in: a period read while it was
        # still running (the current day, week or month) is read again whole.
        start = period_start(start, period)
        earliest = period_start(partition.start_date, period)
        lookback = timing.lookback_periods if isinstance(timing, Periods) else 0
        for _ in range(lookback if partition.bookmark else 0):
            start = max(period_start(start - timedelta(seconds=1), period), earliest)
    window = timedelta(days=timing.days or 30)
    planned: list[Planned] = []
    while end - start >= MIN_WINDOW:
        planned_end = _window_end(start, end, window, period)
        requested_start = _request_start(timing, start, planned_end)
        # An earlier run's report for a window starting here is reused as it is.
        from_state = next(
            (
                p
                for p in partition.pending
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
            else listed.find_window_report(
                partition.region,
                spec.report_type,
                (partition.marketplace_id,),
                requested_start,
                end,
                partition.options,
            )
        )
        if existing and period:
            existing_end = parse_time(existing["dataEndTime"]) or end
            if existing_end < end and period_start(existing_end, period) != existing_end:
                # It ends inside a period: the next window would sum part of one.
                existing = None
        window_end = (
            (parse_time(existing["dataEndTime"]) or planned_end) if existing else planned_end
        )
        planned.append(Planned(new_job(spec, partition, requested_start, window_end), existing))
        start = window_end
    return planned


def _plan_periods(
    spec: ReportSpec,
    timing: Periods,
    partition: Partition,
    listed: Listed,
    period: str,
    now: datetime,
) -> list[Planned]:
    """Windows of whole, finished periods (e.g. reportPeriod=WEEK): each starts on a period's
    first day and ends after a period's last, and a period not over yet is left for a later
    run, so the bookmark always sits on a period edge."""
    planned: list[Planned] = []
    for start, end in period_windows(
        window_start(spec, partition, now),
        partition.limit,
        period,
        spans=timing.spans,
        max_days=timing.days,
    ):
        job = new_job(spec, partition, start, end)
        from_state = next(
            (
                p
                for p in partition.pending
                if parse_time(p.get("start")) == start and parse_time(p.get("end")) == end
            ),
            None,
        )
        listed_report = listed.find_window_report(
            partition.region,
            spec.report_type,
            (partition.marketplace_id,),
            start,
            end,
            partition.options,
        )
        if from_state:
            planned.append(Planned(job, {"reportId": from_state["report_id"]}))
        elif listed_report and parse_time(listed_report.get("dataEndTime")) == end - timedelta(
            seconds=1
        ):
            planned.append(Planned(job, listed_report))
        else:
            planned.append(Planned(job))
    return planned


def _window_end(start: datetime, end: datetime, window: timedelta, period: str | None) -> datetime:
    window_end = min(start + window, end)
    if not period:
        return window_end
    following = period_after(start, period)
    if following - start >= MONTH_OR_LONGER and following < window_end:
        # A calendar month (or quarter) a report, the running one too: on the 1st, a window
        # from the month before must not run on into the new month.
        return following
    if window_end < end:
        # Whole periods only (at least one), so no row sums part of a period.
        aligned = period_start(window_end, period)
        window_end = aligned if aligned > start else min(following, end)
    return window_end


def _request_start(
    timing: Snapshot | Windows | Periods, start: datetime, end: datetime
) -> datetime:
    """dataStartTime for data from `start`: earlier if Amazon wants a longer range."""
    if isinstance(timing, Snapshot | Windows) and timing.min_range_hours:
        return min(start, end - timedelta(hours=timing.min_range_hours))
    return start
