"""A report's document as the records of its stream, whatever its format.

The streams hand over a downloaded document, the spec and the partition's constant fields;
this picks the format's reader (flat file, JSON or XML) and fills what every format
shares: the partition's fields, the window's bookmark, keys a coarser report leaves out.
"""

from __future__ import annotations

import logging
import typing as t
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tap_amazon_seller import clock
from tap_amazon_seller.casting import snake_case
from tap_amazon_seller.errors import AccessDeniedError, TapError
from tap_amazon_seller.reports import planner
from tap_amazon_seller.reports.documents import Document, IncompleteDocumentError
from tap_amazon_seller.reports.engine import CREATE, ReportEngine, ReportJob, iso
from tap_amazon_seller.reports.json_records import json_records
from tap_amazon_seller.reports.retirements import removal
from tap_amazon_seller.reports.spec import Listed, ReportSpec
from tap_amazon_seller.reports.tsv_records import tsv_records
from tap_amazon_seller.reports.xml_records import iter_xml_records


def plan(
    engine: ReportEngine,
    spec: ReportSpec,
    partition: planner.Partition,
    remember: Callable[[ReportJob], None],
    *,
    first: bool = False,
) -> list[ReportJob]:
    """The partition's reports, handed to the engine: a report that exists is adopted, the
    others are to be requested (`remember` hears each id Amazon gives, for the state), and
    `first` puts them before the reports of the rest (an earlier run deferred them).
    Reports Amazon makes on its own (settlements) are those listed since the bookmark."""
    if isinstance(spec.timing, Listed):
        since = planner.listing_since(spec, partition, clock.now())
        # A type Amazon has removed (the V1 settlement file) is no longer listed: it would fail.
        today = clock.today()
        types = tuple(t for t in (spec.report_type, *spec.also_list) if not removal(t, today))
        reports = engine.list_done(partition.region, types, partition.marketplace_id, since)
        return [engine.plan(job) for job in planner.listed_jobs(spec, partition, reports)]
    jobs = []
    for planned in planner.plan(spec, partition, engine, engine.planned_at):
        job = planned.job
        job.on_created.append(remember)
        job.first = first
        jobs.append(engine.adopt(job, planned.existing) if planned.existing else engine.plan(job))
    return jobs


#: Reads a downloaded document of a job as records.
RowsOf = Callable[[Document, ReportJob], Iterator[dict[str, t.Any]]]


class ReportNotRead(TapError):
    """A report that ended without a document to read (FATAL, CANCELLED snapshot, timed out,
    refused): `keep_pending` when the report may still finish for the next run."""

    def __init__(self, job: ReportJob, status: str) -> None:
        super().__init__(f"{job.describe()}: {status}")
        self.keep_pending = job.status == "TIMEOUT"


class ReportDeferred(TapError):
    """A report the run budget (max_run_minutes) left for the next run: not a failure."""

    def __init__(self, job: ReportJob) -> None:
        super().__init__(f"{job.describe()}: deferred to the next run by max_run_minutes")


# A snapshot (the listings, the inventory as it is now) has no empty window to mean.
CANCELLED_SNAPSHOT = (
    "CANCELLED by Amazon, so this snapshot has no rows this run. Amazon cancels a report it "
    "has no data for or cannot make; if this account has no such data, deselect the stream"
)


@dataclass(frozen=True)
class Read:
    """What read_report read: the report whose records were emitted (a new one for the
    window when the first one's document could not be downloaded), and how many."""

    report: ReportJob
    rows: int


def read_report(
    engine: ReportEngine, job: ReportJob, rows_of: RowsOf, *, window: bool
) -> t.Generator[dict[str, t.Any], None, Read]:
    """Wait for `job`'s report and yield its records; return what was read. A report whose
    document could not be downloaded whole, before any of its rows was emitted, is
    replaced once by a new report for the same window.

    CANCELLED is Amazon's "no data" for a report over a `window`: nothing is yielded. For a
    snapshot, and for FATAL, a timeout or a failed request, ReportNotRead is raised;
    AccessDeniedError when Amazon refused the report type to the app. The caller releases
    `job`; a replacement is released here.
    """
    current, read = job, [job]
    try:
        while True:
            status = engine.wait(current)
            if status == "DEFERRED":
                raise ReportDeferred(current)
            if status == "CANCELLED" and window:
                return Read(current, 0)
            if current.denied:
                raise AccessDeniedError(str(current.error), operation=CREATE, status=403)
            if status != "DONE":
                why = CANCELLED_SNAPSHOT if status == "CANCELLED" else status
                if current.error and status != "TIMEOUT":
                    why = f"{status} ({current.error})"
                raise ReportNotRead(current, why)
            emitted = 0
            try:
                for record in rows_of(engine.open_document(current), current):
                    emitted += 1
                    yield record
                return Read(current, emitted)
            except IncompleteDocumentError:
                if emitted or current.requested_again:
                    raise
            current = engine.request_again(current)
            read.append(current)
    finally:
        for replacement in read[1:]:
            engine.release(replacement)


# Problems in one document's rows logged one by one; the rest are counted.
MAX_LOGGED_PROBLEMS = 5


class Problems:
    """What was wrong in a document's rows: the first few logged with their line (or
    record) number, the rest counted in one line at the end, and values that could not be
    read counted per column (a date written another way nulls a whole column)."""

    def __init__(
        self, logger: logging.Logger | logging.LoggerAdapter, label: str, unit: str
    ) -> None:
        self.logger = logger
        self.label = label
        self.unit = unit
        self.count = 0
        self.unread: Counter[str] = Counter()

    def __call__(self, position: int, what: str, *, column: str | None = None) -> None:
        self.count += 1
        if column is not None:
            self.unread[column] += 1
        if self.count <= MAX_LOGGED_PROBLEMS:
            self.logger.warning("%s %s %d: %s", self.label, self.unit, position, what)

    def summarise(self) -> None:
        if self.count > MAX_LOGGED_PROBLEMS:
            self.logger.warning(
                "%s: %d problems in all (the first %d logged above)",
                self.label,
                self.count,
                MAX_LOGGED_PROBLEMS,
            )
        for column, count in sorted(self.unread.items()):
            self.logger.warning(
                "%s: %d value(s) of column %s could not be read and were emitted as null",
                self.label,
                count,
                column,
            )


def base_record(spec: ReportSpec, job: ReportJob, marketplace_id: str) -> dict[str, t.Any]:
    """The fields every record of `job`'s report shares: partition, report, options, window."""
    base: dict[str, t.Any] = {"marketplace_id": marketplace_id, "report_id": job.report_id}
    options = dict(job.options)
    for option in spec.option_fields:
        base[snake_case(option)] = options.get(option)
    if spec.incremental and job.data_end is not None:
        base[spec.bookmark_field] = iso(job.data_end)
        if spec.requestable and job.data_start is not None:
            base["report_start_date"] = iso(job.data_start)
    return base


def records(
    document: Document,
    spec: ReportSpec,
    job: ReportJob,
    base: dict[str, t.Any],
    logger: logging.Logger | logging.LoggerAdapter,
    conform: Callable[[dict[str, t.Any]], dict[str, t.Any]],
) -> Iterator[dict[str, t.Any]]:
    """The stream's records from `job`'s document, each starting from `base`."""
    label = job.describe()
    if spec.format == "tsv":
        problems = Problems(logger, label, "line")
        yield from tsv_records(document, spec, base, problems)
        problems.summarise()
        return
    problems = Problems(logger, label, "record")
    if spec.format == "json":
        items = json_records(document, spec, base, conform)
    else:
        assert spec.xml_records is not None
        parsed = iter_xml_records(document, spec.xml_records, job.report_type, problems)
        items = ({**base, **item} for item in parsed)
    for record in items:
        for key in spec.keys:
            # A key a coarser granularity leaves out is "", never null.
            if record.get(key) is None:
                record[key] = ""
        yield record
    problems.summarise()
