"""The report engine: every report a sync needs, requested, polled and downloaded together.

A sync plans all its reports first (selected streams x marketplaces x windows),
adopts reports that already exist (left pending by an interrupted run, or found
with one getReports call per region), then, whenever a stream waits for one of
its reports, runs one cooperative loop that requests the next planned reports as
fast as createReport's bucket allows, polls every report in flight every
`report_poll_interval`, and returns as soon as the awaited one is finished. So
reports are processed by Amazon side by side, and the sync waits about as long
as the slowest report, not the sum of them.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from tap_amazon_seller import clock
from tap_amazon_seller.auth import PII_ROLE, RestrictedDataTokens
from tap_amazon_seller.client import SpApiClient
from tap_amazon_seller.errors import AccessDeniedError, SpApiError
from tap_amazon_seller.rate_limits import operation
from tap_amazon_seller.reports.documents import (
    Document,
    DocumentError,
    ExpiredUrlError,
    IncompleteDocumentError,
    download,
)
from tap_amazon_seller.reports.schedule import calls_in, describe_seconds, seconds_for

LOGGER = logging.getLogger("tap_amazon_seller.reports")

CREATE = "reports_2021-06-30.createReport"
GET = "reports_2021-06-30.getReport"
LIST = "reports_2021-06-30.getReports"
DOCUMENT = "reports_2021-06-30.getReportDocument"

#: DEFERRED: not requested, as the run budget (max_run_minutes) would not fit it.
FINISHED = frozenset(("DONE", "CANCELLED", "FATAL", "TIMEOUT", "FAILED", "DEFERRED"))
DEFAULT_REUSE_STATUSES = ("IN_QUEUE", "IN_PROGRESS", "DONE")
# How far back getReports is searched for reports to reuse (interrupted runs, recent snapshots).
REUSE_LOOKBACK = timedelta(hours=24)
DOWNLOAD_ATTEMPTS = 3
# Documents downloaded ahead of the streams that read them wait on disk (compressed), up to
# this many bytes: enough for a few hundred typical documents, so no region's
# getReportDocument bucket idles while the streams read another region's documents.
MAX_PREFETCH_BYTES = 2 * 1024**3
# Seconds between two "where the sync stands" lines while a stream waits for a report.
PROGRESS_EVERY = 60.0
#: Of a run budget, the end kept for the last reports to be made, downloaded and read:
#: Amazon takes minutes to make a report (at most a quarter of the budget).
BUDGET_TAIL = 600.0


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def list_reports(client: SpApiClient, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The reports getReports lists (Amazon wants nextToken alone on later pages)."""
    for page in client.pages(LIST, params=params, token_alone=True):
        yield from page.get("reports") or []


@dataclass(eq=False)
class ReportJob:
    """One report: what was asked of Amazon, and where it stands."""

    report_type: str
    region: str
    marketplace_ids: tuple[str, ...]
    data_start: datetime | None = None
    data_end: datetime | None = None
    options: tuple[tuple[str, str], ...] = ()
    #: dataEndTime is sent as the last second inside the window (reports whose range must
    #: end on a period's last day); `data_end` itself stays the window's exclusive end.
    end_inclusive: bool = False
    #: False when the window travels in `options` instead (reports selecting by another date).
    send_range: bool = True
    report_id: str | None = None
    status: str = "PLANNED"
    document_id: str | None = None
    reused: bool = False
    #: A restricted report: its document is fetched with a Restricted Data Token.
    restricted: bool = False
    error: str | None = None
    #: FAILED because Amazon refused the report type (the app lacks its role): a skip.
    denied: bool = False
    created_time: datetime | None = None
    submitted_at: float | None = None
    next_poll: float = 0.0
    consumers: int = 0
    document: Document | None = None
    #: Called with the job when Amazon gave it a report id (the stream records it in state).
    on_created: list[Callable[[ReportJob], None]] = field(default_factory=list)
    #: A second report for the window, asked for because the first one's document could not
    #: be downloaded whole: there is no third.
    requested_again: bool = False
    #: Requested before the reports planned without it: a report an earlier run deferred.
    first: bool = False

    @property
    def identity(self) -> tuple:
        return (
            self.report_type,
            self.region,
            self.marketplace_ids,
            self.data_start,
            self.data_end,
            self.options,
        )

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def describe(self) -> str:
        window = ""
        if self.data_start or self.data_end:
            start = iso(self.data_start) if self.data_start else "..."
            end = iso(self.data_end) if self.data_end else "..."
            window = f" {start}..{end}"
        report = f" (report {self.report_id})" if self.report_id else ""
        return f"{self.report_type} for {','.join(self.marketplace_ids)}{window}{report}"


@dataclass(frozen=True)
class RegionOutlook:
    """What is left of a region's reports, and the least time Amazon's limits give it."""

    region: str
    #: Reports still to request (createReport), and documents still to download.
    to_request: int
    to_download: int
    #: The least seconds the buckets need for them, from how full they are now.
    seconds: float

    def describe(self) -> str:
        return (
            f"{self.to_request} report(s) to request, {self.to_download} document(s) to "
            f"download: at least {describe_seconds(self.seconds)} by Amazon's limits"
        )


def _planning_instant() -> datetime:
    # (ReportEngine's `clock` parameter is its monotonic timer, not the tap's clock.)
    return clock.now().replace(microsecond=0)


class ReportEngine:
    """Requests, polls and downloads the reports of one sync, inside the Reports API's plans."""

    def __init__(
        self,
        client_for: Callable[[str], SpApiClient],
        *,
        poll_interval: float = 30.0,
        timeout: float = 3600.0,
        reuse_statuses: Iterable[str] = DEFAULT_REUSE_STATUSES,
        download_session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client_for = client_for
        self.poll_interval = poll_interval
        self.timeout = timeout
        self.reuse_statuses = tuple(reuse_statuses) or DEFAULT_REUSE_STATUSES
        # Pre-signed URLs carry their own credentials: a separate session, no SP-API headers.
        self._downloads = download_session or requests.Session()
        self._clock = clock
        self._sleep = sleep
        #: The one instant every stream of the sync plans its reports at: two streams that
        #: need the same report ask for the same window, and it is requested once (each
        #: reading its own `now` a moment apart, they asked for two).
        self.planned_at = _planning_instant()
        self._jobs: dict[tuple, ReportJob] = {}
        self._queue: list[ReportJob] = []
        self._in_flight: list[ReportJob] = []
        self._existing: dict[tuple[str, str], list[dict[str, Any]]] = {}
        # The listed reports of a (region, type) by marketplaces and start second, made on
        # first use: a backfill of weekly windows looks up hundreds of windows among
        # thousands of listed reports, and a scan per window cost seconds (#19).
        self._by_window: dict[tuple[str, str], dict[tuple[tuple[str, ...], datetime], list]] = {}
        # (region, report type) that Amazon refused with 403: the rest of them would be too.
        self._denied: dict[tuple[str, str], str] = {}
        #: Regions where the Reports API itself is refused (not authorised there).
        self.denied_regions: dict[str, str] = {}
        self._prefetching = False
        self._prefetch_failed: set[tuple] = set()
        self.stats: Counter[str] = Counter()
        self._progress_logged = float("-inf")
        #: The engine-clock time after which no report is requested (set_budget).
        self._deadline: float | None = None
        self._rdt = RestrictedDataTokens(clock)

    # -- planning ------------------------------------------------------------------

    def plan(self, job: ReportJob) -> ReportJob:
        """Add a report to the plan; the same report planned twice is requested once."""
        existing = self._jobs.get(job.identity)
        if existing is not None:
            existing.consumers += 1
            existing.on_created.extend(job.on_created)
            return existing
        job.consumers += 1
        self._jobs[job.identity] = job
        if job.report_id:
            self._track(job)
        elif job.first:
            # What an earlier run's budget deferred goes first (in its own plan order).
            self._queue.insert(sum(1 for queued in self._queue if queued.first), job)
        else:
            self._queue.append(job)
        return job

    def request_again(self, job: ReportJob) -> ReportJob:
        """A new report for `job`'s window, whose document could not be downloaded whole.

        Every stream that reads the report asks; the first to ask plans the new report and
        the others get the same one.
        """
        current = self._jobs.get(job.identity)
        if current is not None and current is not job:
            current.consumers += 1
            return current
        fresh = ReportJob(
            report_type=job.report_type,
            region=job.region,
            marketplace_ids=job.marketplace_ids,
            data_start=job.data_start,
            data_end=job.data_end,
            options=job.options,
            end_inclusive=job.end_inclusive,
            send_range=job.send_range,
            restricted=job.restricted,
            on_created=list(job.on_created),
            requested_again=True,
        )
        self._jobs.pop(job.identity, None)
        self._prefetch_failed.discard(job.identity)
        self.stats["requested_again"] += 1
        LOGGER.warning(
            "%s: its document could not be read whole; requesting a new report for the same window",
            job.describe(),
        )
        return self.plan(fresh)

    def adopt(self, job: ReportJob, report: dict[str, Any]) -> ReportJob:
        """Plan `job` as the existing `report` (from getReports or an earlier run's state)."""
        job.report_id = str(report["reportId"])
        job.status = str(report.get("processingStatus") or "IN_QUEUE")
        job.document_id = report.get("reportDocumentId")
        job.reused = True
        self.stats["reused"] += 1
        LOGGER.info("Reusing %s, already %s", job.describe(), job.status)
        return self.plan(job)

    def existing_reports(
        self, region: str, report_types: Iterable[str], marketplace_ids: Iterable[str]
    ) -> None:
        """Fetch, once per region, the recent reports of these types that could be reused."""
        types = sorted({t for t in report_types if (region, t) not in self._existing})
        if not types:
            return
        client = self._client_for(region)
        since = iso(clock.now() - REUSE_LOOKBACK)
        markets = sorted(set(marketplace_ids))[:10]
        for chunk_start in range(0, len(types), 10):
            chunk = types[chunk_start : chunk_start + 10]
            for name in chunk:
                self._existing[(region, name)] = []
                self._by_window.pop((region, name), None)
            params: dict[str, Any] = {
                "reportTypes": ",".join(chunk),
                "processingStatuses": ",".join(self.reuse_statuses),
                "createdSince": since,
                "pageSize": 100,
            }
            if markets:
                params["marketplaceIds"] = ",".join(markets)
            try:
                for report in list_reports(client, params):
                    self._existing.setdefault((region, report["reportType"]), []).append(report)
                    self._by_window.pop((region, report["reportType"]), None)
            except AccessDeniedError as exc:
                self.denied_regions[region] = str(exc)
                raise

    def list_done(
        self, region: str, report_types: Iterable[str], marketplace_id: str, since: datetime
    ) -> list[dict[str, Any]]:
        """The DONE reports of these types for one marketplace created since `since` (the
        reports Amazon makes on its own schedule, such as settlements)."""
        params = {
            "reportTypes": ",".join(report_types),
            "processingStatuses": "DONE",
            "marketplaceIds": marketplace_id,
            "createdSince": iso(since),
            "pageSize": 100,
        }
        return list(list_reports(self._client_for(region), params))

    def find_window_report(
        self,
        region: str,
        report_type: str,
        marketplace_ids: tuple[str, ...],
        start: datetime,
        latest_end: datetime,
        options: tuple[tuple[str, str], ...] = (),
    ) -> dict[str, Any] | None:
        """An existing report of this type and marketplaces starting at `start` (to the
        second), the one reaching furthest without passing `latest_end`."""
        index = self._windows_of(region, report_type)
        markets = tuple(sorted(marketplace_ids))
        second = start.replace(microsecond=0)
        best, best_end = None, None
        for near in (second - timedelta(seconds=1), second, second + timedelta(seconds=1)):
            for report_start, report_end, report in index.get((markets, near), ()):
                if report_end > latest_end or report_end <= start:
                    continue
                if abs((report_start - start).total_seconds()) >= 1:
                    continue
                if best_end is None or report_end > best_end:
                    best, best_end = report, report_end
        return best

    def _windows_of(
        self, region: str, report_type: str
    ) -> dict[tuple[tuple[str, ...], datetime], list]:
        index = self._by_window.get((region, report_type))
        if index is None:
            index = {}
            for report in self._existing.get((region, report_type), []):
                report_start = parse_time(report.get("dataStartTime"))
                report_end = parse_time(report.get("dataEndTime"))
                if report_start is None or report_end is None:
                    continue
                markets = tuple(sorted(report.get("marketplaceIds") or ()))
                key = (markets, report_start.replace(microsecond=0))
                index.setdefault(key, []).append((report_start, report_end, report))
            self._by_window[(region, report_type)] = index
        return index

    def find_recent_report(
        self, region: str, report_type: str, marketplace_ids: tuple[str, ...], max_age: timedelta
    ) -> dict[str, Any] | None:
        """The newest existing snapshot report of this type and marketplaces, if recent enough."""
        newest = None
        cutoff = clock.now() - max_age
        for report in self._existing.get((region, report_type), []):
            if tuple(sorted(report.get("marketplaceIds") or ())) != tuple(sorted(marketplace_ids)):
                continue
            created = parse_time(report.get("createdTime"))
            if created is None or created < cutoff:
                continue
            if newest is None or created > parse_time(newest["createdTime"]):  # type: ignore[operator]
                newest = report
        return newest

    def set_budget(self, seconds: float) -> int:
        """Request only what fits in `seconds` from now (the max_run_minutes setting):
        region by region, the queued reports beyond what createReport's and
        getReportDocument's buckets allow before the budget's end, less the time the last
        ones need to be made and read (BUDGET_TAIL), are DEFERRED; and a report whose turn
        comes after that end is deferred then. Returns how many were deferred now."""
        tail = min(BUDGET_TAIL, max(0.0, seconds) / 4)
        self._deadline = self._clock() + seconds - tail
        deferred = 0
        for outlook in self.outlook():
            client = self._client_for(outlook.region)
            room = []
            for name, already in (
                (CREATE, 0),
                (DOCUMENT, outlook.to_download - outlook.to_request),
            ):
                bucket = client.limiter.bucket(client.region, operation(name))
                room.append(calls_in(seconds - tail, bucket.available(), bucket.rate) - already)
            fits = max(0, min(room))
            queued = [job for job in self._queue if job.region == outlook.region]
            for job in queued[fits:]:
                self._defer(job)
                deferred += 1
        return deferred

    def _defer(self, job: ReportJob) -> None:
        self._queue.remove(job)
        job.status = "DEFERRED"
        job.error = "deferred to the next run by max_run_minutes"
        self.stats["deferred"] += 1

    def outlook(self) -> list[RegionOutlook]:
        """Per region, the reports still to request and documents still to download, and
        the least time createReport's and getReportDocument's buckets need for them (15 at
        once, then one a minute each): a floor, as Amazon's processing comes on top."""
        to_request = Counter(job.region for job in self._queue)
        to_download = Counter(
            job.region
            for job in self._jobs.values()
            if job.consumers > 0
            and job.document is None
            and job.status not in FINISHED - {"DONE"}
            and job.identity not in self._prefetch_failed
        )
        result = []
        for region in sorted(set(to_request) | set(to_download)):
            client = self._client_for(region)
            waits = []
            for name, count in ((CREATE, to_request[region]), (DOCUMENT, to_download[region])):
                # The bucket's rate: Amazon's x-amzn-RateLimit-Limit once it has said one.
                bucket = client.limiter.bucket(client.region, operation(name))
                waits.append(seconds_for(count, bucket.available(), bucket.rate))
            result.append(
                RegionOutlook(region, to_request[region], to_download[region], max(waits))
            )
        return result

    # -- running ---------------------------------------------------------------------

    @property
    def pending(self) -> int:
        return len(self._queue) + len(self._in_flight)

    def wait(self, job: ReportJob) -> str:
        """Drive all reports until `job` is finished; return its final status."""
        while not job.finished:
            now = self._clock()
            self._log_progress(job, now)
            if job.status == "PLANNED" and job in self._queue:
                # The awaited report goes first if its turn has not come yet.
                self._queue.remove(job)
                self._queue.insert(0, job)
            self._housekeeping()
            if job.finished:
                break
            self._sleep(self._seconds_to_next_action(now))
        return job.status

    def _log_progress(self, job: ReportJob, now: float) -> None:
        """Where the sync stands, at INFO, at most once a minute while a stream waits."""
        if now - self._progress_logged < PROGRESS_EVERY:
            return
        self._progress_logged = now
        statuses = Counter(j.status for j in self._in_flight)
        next_create = ""
        if self._queue:
            region = self._queue[0].region
            client = self._client_for(region)
            delay = client.limiter.bucket(region, operation(CREATE)).seconds_until_available()
            next_create = f"; next createReport in {region} in {delay:.0f} s"
        eta = "; ".join(f"{o.region}: {o.describe()}" for o in self.outlook())
        LOGGER.info(
            "Waiting for %s (%s); %d report(s) still to request, %d in flight (%s)%s%s",
            job.describe(),
            job.status,
            len(self._queue),
            len(self._in_flight),
            ", ".join(f"{n} {status}" for status, n in sorted(statuses.items())) or "none",
            next_create,
            f". Left: {eta}" if eta else "",
        )

    def _housekeeping(self, *, reserved_region: str | None = None) -> None:
        """Everything that can move without waiting: requests, polls, document prefetches."""
        self._submit_ready()
        self._poll_due(self._clock())
        self._prefetch(reserved_region)

    def _prefetch(self, reserved_region: str | None) -> None:
        """Download finished documents ahead of the streams, in plan order, whenever a
        region's getReportDocument bucket has a token that would otherwise go unused: while
        one stream reads region A's documents, region B's bucket keeps working. The region
        whose token the waiting stream needs is left alone."""
        if self._prefetching:
            return
        held = sum(j.document.size for j in self._jobs.values() if j.document is not None)
        self._prefetching = True
        try:
            for job in self._jobs.values():  # insertion order is plan order
                if held >= MAX_PREFETCH_BYTES:
                    return
                if (
                    job.status != "DONE"
                    or job.document is not None
                    or job.consumers <= 0
                    or not job.document_id
                    or job.region == reserved_region
                    or job.identity in self._prefetch_failed
                ):
                    continue
                client = self._client_for(job.region)
                if (
                    client.limiter.bucket(
                        client.region, operation(DOCUMENT)
                    ).seconds_until_available()
                    > 0
                ):
                    continue
                try:
                    job.document = self._download(job)
                except (DocumentError, SpApiError):
                    self._prefetch_failed.add(job.identity)  # the stream retries and reports it
                    continue
                held += job.document.size
        finally:
            self._prefetching = False

    def _seconds_to_next_action(self, now: float) -> float:
        waits = [j.next_poll - self._clock() for j in self._in_flight]
        for region in {job.region for job in self._queue}:
            client = self._client_for(region)
            waits.append(
                client.limiter.bucket(client.region, operation(CREATE)).seconds_until_available()
            )
        for region in {
            j.region
            for j in self._jobs.values()
            if j.status == "DONE"
            and j.document is None
            and j.consumers > 0
            and j.identity not in self._prefetch_failed
        }:
            client = self._client_for(region)
            waits.append(
                client.limiter.bucket(client.region, operation(DOCUMENT)).seconds_until_available()
            )
        return min(max(min(waits, default=self.poll_interval), 0.01), self.poll_interval)

    def _submit_ready(self) -> None:
        """createReport for planned reports whose region's bucket has a token (never waits).

        Buckets are per region, so a region whose bucket is empty does not hold back the
        reports of another; within a region, reports go in plan order.
        """
        if self._deadline is not None and self._clock() >= self._deadline:
            # The budget's end: what is not requested yet waits for the next run.
            for job in list(self._queue):
                self._defer(job)
            return
        blocked: set[str] = set()
        for job in list(self._queue):
            if job.region in blocked:
                continue
            refusal = self._denied.get((job.region, job.report_type))
            if refusal is not None:
                self._queue.remove(job)
                job.status, job.error, job.denied = "FAILED", refusal, True
                continue
            client = self._client_for(job.region)
            if (
                client.limiter.bucket(client.region, operation(CREATE)).seconds_until_available()
                > 0
            ):
                blocked.add(job.region)
                continue
            self._queue.remove(job)
            self._create(client, job)

    def _wait_for_token(self, region: str, operation_name: str) -> None:
        """Wait for a token of a slow operation (getReportDocument) while still requesting
        and polling the other reports, instead of blocking the whole engine."""
        client = self._client_for(region)
        bucket = client.limiter.bucket(client.region, operation(operation_name))
        while (delay := bucket.seconds_until_available()) > 0:
            self._housekeeping(reserved_region=region)
            self._sleep(min(delay, self._seconds_to_next_action(self._clock())))

    def _create(self, client: SpApiClient, job: ReportJob) -> None:
        body: dict[str, Any] = {
            "reportType": job.report_type,
            "marketplaceIds": list(job.marketplace_ids),
        }
        if job.data_start and job.send_range:
            body["dataStartTime"] = iso(job.data_start)
        if job.data_end and job.send_range:
            end = job.data_end - timedelta(seconds=1) if job.end_inclusive else job.data_end
            body["dataEndTime"] = iso(end)
        if job.options:
            body["reportOptions"] = dict(job.options)
        try:
            answer = client.call(CREATE, json_body=body)
        except SpApiError as exc:
            job.status, job.error = "FAILED", str(exc)
            LOGGER.error("Could not request %s: %s", job.describe(), exc)
            if isinstance(exc, AccessDeniedError):
                job.denied = True
                self._denied[(job.region, job.report_type)] = str(exc)
            return
        job.report_id = str(answer["reportId"])
        job.status = "IN_QUEUE"
        self.stats["created"] += 1
        LOGGER.info("Requested %s", job.describe())
        self._track(job)

    def _track(self, job: ReportJob) -> None:
        job.submitted_at = self._clock()
        job.next_poll = job.submitted_at if job.reused else job.submitted_at + self.poll_interval
        if job.status in FINISHED:
            return
        self._in_flight.append(job)
        for callback in job.on_created:
            callback(job)

    def _poll_due(self, now: float) -> None:
        """getReport for reports due a poll, oldest first, while the bucket has tokens.

        With a hundred reports in flight, polling them all would take getReport's bucket
        (2 a second) longer than a poll interval; a poll that would wait is left for the
        next round instead of stalling requests and downloads.
        """
        due = sorted((j for j in self._in_flight if j.next_poll <= now), key=lambda j: j.next_poll)
        for job in due:
            client = self._client_for(job.region)
            if client.limiter.bucket(client.region, operation(GET)).seconds_until_available() > 0:
                continue
            try:
                report = client.call(GET, path_params={"reportId": job.report_id or ""})
            except SpApiError as exc:
                job.status, job.error = "FAILED", str(exc)
            else:
                self.stats["polled"] += 1
                previous = job.status
                job.status = str(report.get("processingStatus") or job.status)
                if job.status != previous and job.status in ("IN_QUEUE", "IN_PROGRESS"):
                    LOGGER.info("%s is %s", job.describe(), job.status)
                job.document_id = report.get("reportDocumentId") or job.document_id
                job.created_time = parse_time(report.get("createdTime")) or job.created_time
            if not job.finished and self._clock() - (job.submitted_at or now) > self.timeout:
                job.status = "TIMEOUT"
                job.error = f"not DONE after report_timeout={self.timeout:g} s"
            if job.finished:
                self._in_flight.remove(job)
                self._log_outcome(job)
            else:
                job.next_poll = self._clock() + self.poll_interval

    def _log_outcome(self, job: ReportJob) -> None:
        if job.status == "DONE":
            LOGGER.info("%s is DONE", job.describe())
        elif job.status == "CANCELLED":
            LOGGER.info("%s was CANCELLED by Amazon: no data for it", job.describe())
        elif job.status == "FATAL":
            detail = self._fatal_detail(job)
            LOGGER.error("%s ended FATAL%s", job.describe(), f": {detail}" if detail else "")
        else:
            LOGGER.error("%s %s: %s", job.describe(), job.status, job.error)

    def _fatal_detail(self, job: ReportJob) -> str:
        """Amazon may explain a FATAL report in a document; read its start."""
        if not job.document_id:
            return ""
        try:
            document = self._download(job)
        except (DocumentError, SpApiError) as exc:
            return f"(its error document could not be read: {exc})"
        try:
            with document.open_text() as text:
                return " ".join(text.read(2000).split())
        finally:
            document.close()

    # -- documents ---------------------------------------------------------------------

    def open_document(self, job: ReportJob) -> Document:
        """The job's document on disk, downloaded once however many streams read it."""
        if job.document is None:
            job.document = self._download(job)
        return job.document

    def release(self, job: ReportJob) -> None:
        """A stream is done with the job; the document goes when the last one is."""
        job.consumers -= 1
        if job.consumers <= 0 and job.document is not None:
            job.document.close()
            job.document = None

    def _download(self, job: ReportJob) -> Document:
        client = self._client_for(job.region)
        failure: DocumentError | None = None
        for attempt in range(1, DOWNLOAD_ATTEMPTS + 1):
            self._wait_for_token(job.region, DOCUMENT)
            # A fresh pre-signed URL each attempt: they expire after five minutes.
            info = client.call(
                DOCUMENT,
                path_params={"reportDocumentId": job.document_id or ""},
                token=self._document_token(client, job) if job.restricted else None,
            )
            gzipped = str(info.get("compressionAlgorithm") or "").upper() == "GZIP"
            try:
                document = download(self._downloads, str(info["url"]), gzipped=gzipped)
            except ExpiredUrlError as exc:
                failure = exc
                LOGGER.warning("%s: %s; asking for a fresh URL", job.describe(), exc)
            except DocumentError as exc:
                failure = exc
                LOGGER.warning(
                    "%s: %s; downloading again (attempt %d of %d)",
                    job.describe(),
                    exc,
                    attempt,
                    DOWNLOAD_ATTEMPTS,
                )
            else:
                self.stats["downloaded"] += 1
                return document
        raise IncompleteDocumentError(f"{job.describe()}: document not downloaded whole: {failure}")

    def _document_token(self, client: SpApiClient, job: ReportJob) -> Callable[[], str]:
        """The Restricted Data Token a restricted report's document is fetched with."""
        path = f"/reports/2021-06-30/documents/{job.document_id}"

        def token() -> str:
            try:
                return self._rdt.token(client, "GET", path, ())
            except SpApiError as exc:
                raise DocumentError(
                    f"{job.describe()}: a restricted report, whose document needs a Restricted "
                    f"Data Token, and Amazon refused one ({exc}). The app needs the role "
                    f"'{PII_ROLE}'."
                ) from None

        return token

    def close(self) -> None:
        for job in self._jobs.values():
            if job.document is not None:
                job.document.close()
                job.document = None
