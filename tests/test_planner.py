"""The report planner on its own: which reports a partition needs, with no server.

Expectations are written out by hand from each rule (windows of the spec's length from the
bookmark less its lookback, whole days, whole periods, reuse of pending and listed
reports), never computed by the planner's own helpers.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tap_amazon_seller.reports import planner
from tap_amazon_seller.reports.registry import REPORT_SPECS_BY_STREAM
from tap_amazon_seller.reports.spec import (
    JsonRecords,
    Periods,
    ReportSpec,
    Snapshot,
    Windows,
)
from tap_amazon_seller.reports.spec import Listed as ListedTiming

US = "ATVPDKIKX0DER"
NOW = datetime(2026, 12, 1, 0, 30, tzinfo=UTC)  # the first of a month, just after midnight


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class Listed:
    """getReports as the planner asks it: a fixed list of the account's reports."""

    def __init__(self, *reports: dict[str, Any]) -> None:
        self.reports = list(reports)

    def find_window_report(
        self, region, report_type, marketplace_ids, start, latest_end, options=()
    ):  # type: ignore[no-untyped-def]
        for report in self.reports:
            if report["reportType"] == report_type and at(report["dataStartTime"][:19]) == start:
                return report
        return None

    def find_recent_report(self, region, report_type, marketplace_ids, max_age):  # type: ignore[no-untyped-def]
        return next((r for r in self.reports if r["reportType"] == report_type), None)


def partition(**given: Any) -> planner.Partition:
    values: dict[str, Any] = {
        "region": "na",
        "marketplace_id": US,
        "options": (),
        "start_date": at("2026-10-15T00:00:00"),
        "limit": at("2026-11-30T23:00:00"),
    }
    values.update(given)
    return planner.Partition(**values)


def windows(planned: list[planner.Planned]) -> list[tuple[str, str]]:
    return [
        (p.job.data_start.isoformat()[:19], p.job.data_end.isoformat()[:19])  # type: ignore[union-attr]
        for p in planned
    ]


def test_a_first_run_reads_consecutive_windows_of_the_spec_from_start_date() -> None:
    ledger = REPORT_SPECS_BY_STREAM["fba_inventory_ledger"]  # 30-day windows
    planned = planner.plan(ledger, partition(), Listed(), NOW)
    assert windows(planned) == [
        ("2026-10-15T00:00:00", "2026-11-14T00:00:00"),
        ("2026-11-14T00:00:00", "2026-11-30T23:00:00"),
    ]
    assert all(p.existing is None for p in planned)


def test_a_later_run_starts_at_the_bookmark_less_the_lookback() -> None:
    removals = REPORT_SPECS_BY_STREAM["fba_removal_orders"]  # 30 days of lookback
    planned = planner.plan(removals, partition(bookmark=at("2026-11-29T12:00:00")), Listed(), NOW)
    assert windows(planned) == [
        ("2026-10-30T12:00:00", "2026-11-29T12:00:00"),
        ("2026-11-29T12:00:00", "2026-11-30T23:00:00"),
    ]


def test_whole_day_reports_start_at_midnight_and_end_on_the_limit() -> None:
    feedback = REPORT_SPECS_BY_STREAM["seller_feedback"]  # whole days, 30-day windows
    planned = planner.plan(feedback, partition(bookmark=at("2026-11-20T15:45:00")), Listed(), NOW)
    assert windows(planned) == [("2026-11-20T00:00:00", "2026-11-30T23:00:00")]
    assert planned[0].job.end_inclusive


def test_a_tail_shorter_than_five_minutes_is_left_for_the_next_run() -> None:
    ledger = REPORT_SPECS_BY_STREAM["fba_inventory_ledger"]
    planned = planner.plan(ledger, partition(bookmark=at("2026-11-30T22:56:00")), Listed(), NOW)
    assert planned == []


def test_a_pending_report_of_the_state_is_adopted_for_its_window() -> None:
    ledger = REPORT_SPECS_BY_STREAM["fba_inventory_ledger"]
    pending = ({"report_id": "77", "start": "2026-11-14T00:00:00Z", "end": "2026-11-30T20:00:00Z"},)
    planned = planner.plan(ledger, partition(pending=pending), Listed(), NOW)
    assert windows(planned) == [
        ("2026-10-15T00:00:00", "2026-11-14T00:00:00"),
        ("2026-11-14T00:00:00", "2026-11-30T20:00:00"),  # the pending report's own end
        ("2026-11-30T20:00:00", "2026-11-30T23:00:00"),
    ]
    assert [p.existing and p.existing["reportId"] for p in planned] == [None, "77", None]


def test_a_listed_report_starting_at_a_window_is_adopted_and_the_next_starts_at_its_end() -> None:
    ledger = REPORT_SPECS_BY_STREAM["fba_inventory_ledger"]
    listed = Listed(
        {
            "reportId": "5",
            "reportType": ledger.report_type,
            "dataStartTime": "2026-10-15T00:00:00+00:00",
            "dataEndTime": "2026-11-01T00:00:00+00:00",
        }
    )
    planned = planner.plan(ledger, partition(), listed, NOW)
    assert windows(planned)[:2] == [
        ("2026-10-15T00:00:00", "2026-11-01T00:00:00"),
        ("2026-11-01T00:00:00", "2026-11-30T23:00:00"),
    ]
    assert planned[0].existing is not None and planned[0].existing["reportId"] == "5"


def test_a_snapshot_prefers_its_pending_report_then_a_recent_one_then_a_new_one() -> None:
    inventory = REPORT_SPECS_BY_STREAM["warehouse_inventory"]
    recent = {"reportId": "9", "reportType": inventory.report_type}
    pending = ({"report_id": "8", "start": None, "end": None},)
    (from_state,) = planner.plan(inventory, partition(pending=pending), Listed(recent), NOW)
    assert from_state.existing == {"reportId": "8"}
    (reused,) = planner.plan(inventory, partition(), Listed(recent), NOW)
    assert reused.existing is recent
    (fresh,) = planner.plan(inventory, partition(), Listed(), NOW)
    assert fresh.existing is None and fresh.job.data_start is None and fresh.job.data_end is None


def test_a_report_amazon_keeps_history_for_is_never_asked_for_older_data() -> None:
    realtime = REPORT_SPECS_BY_STREAM["vendor_real_time_sales_report"]  # 30 days of history
    planned = planner.plan(realtime, partition(start_date=at("2026-01-01T00:00:00")), Listed(), NOW)
    assert windows(planned)[0][0] == "2026-11-01T00:30:00"


def test_weekly_brand_analytics_read_finished_weeks_only() -> None:
    terms = REPORT_SPECS_BY_STREAM["brand_analytics_search_terms"]
    options = (("reportPeriod", "WEEK"),)
    planned = planner.plan(
        terms, partition(options=options, start_date=at("2026-11-04T00:00:00")), Listed(), NOW
    )
    # Amazon's weeks run Sunday to Saturday: the week start_date falls in is read whole,
    # and the week of 29 November is not over.
    assert windows(planned) == [
        ("2026-11-01T00:00:00", "2026-11-08T00:00:00"),
        ("2026-11-08T00:00:00", "2026-11-15T00:00:00"),
        ("2026-11-15T00:00:00", "2026-11-22T00:00:00"),
        ("2026-11-22T00:00:00", "2026-11-29T00:00:00"),
    ]
    assert all(p.job.end_inclusive for p in planned)


def test_monthly_storage_fees_on_the_first_read_the_month_before_again_whole() -> None:
    fees = REPORT_SPECS_BY_STREAM["fba_storage_fees"]  # monthly, one month of lookback
    planned = planner.plan(
        fees,
        partition(start_date=at("2026-09-10T00:00:00"), bookmark=at("2026-11-30T00:00:00")),
        Listed(),
        NOW,
    )
    assert windows(planned) == [
        ("2026-10-01T00:00:00", "2026-11-01T00:00:00"),
        ("2026-11-01T00:00:00", "2026-11-30T23:00:00"),
    ]


def test_listed_reports_become_jobs_bookmarked_by_their_creation_time() -> None:
    settlements = REPORT_SPECS_BY_STREAM["settlement_reports"]
    reports = [
        {
            "reportId": "2",
            "reportType": settlements.report_type,
            "createdTime": "2026-11-20T03:00:00+00:00",
            "dataStartTime": "2026-11-05T00:00:00+00:00",
            "reportDocumentId": "doc-2",
        },
        {
            "reportId": "1",
            "reportType": settlements.report_type,
            "createdTime": "2026-11-06T03:00:00+00:00",
            "dataStartTime": "2026-10-22T00:00:00+00:00",
            "reportDocumentId": "doc-1",
        },
    ]
    jobs = planner.listed_jobs(settlements, partition(), reports)
    assert [j.report_id for j in jobs] == ["1", "2"]  # oldest first
    assert [j.data_end for j in jobs] == [at("2026-11-06T03:00:00"), at("2026-11-20T03:00:00")]
    assert all(j.status == "DONE" for j in jobs)
    since = planner.listing_since(settlements, partition(start_date=at("2026-01-01T00:00:00")), NOW)
    assert since == NOW - timedelta(days=90)


# -- what a spec may say: invalid combinations fail where they are written ------------------


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"timing": Periods()}, "Periods needs an option or a period"),
        (
            {"timing": Periods(period="DAY", reads="running", spans=False)},
            "running periods are read up to now, so they span periods",
        ),
        ({"timing": Periods(period="DAY", lookback_periods=1)}, "lookback_periods is for running"),
        (
            {"timing": ListedTiming(), "options": {"a": "b"}},
            "a listed report is never requested, so it takes no options",
        ),
        (
            {"option_defaults": {"sellingProgram": "RETAIL"}},
            "option_defaults.sellingProgram is not in allowed_options",
        ),
    ],
)
def test_a_spec_that_combines_fields_that_exclude_each_other_is_refused(
    fields: dict[str, Any], said: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(said)):
        ReportSpec(stream="s", report_type="GET_X", description="d", role="r", **fields)


def test_a_timing_carries_only_its_own_fields() -> None:
    # What the flat spec let one write (a snapshot with a window length, windows sending a
    # full range, one format with another's records) now cannot be said at all.
    with pytest.raises(TypeError):
        Snapshot(days=30)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Windows(full_range=True)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        ListedTiming(reuse_minutes=5)  # type: ignore[call-arg]
    spec = ReportSpec(
        stream="s",
        report_type="GET_X",
        description="d",
        role="r",
        records=JsonRecords("x", "r", "R"),
    )
    assert (spec.format, spec.columns, spec.xml_records) == ("json", (), None)


def test_every_spec_of_the_registry_has_one_timing_and_one_format() -> None:
    from tap_amazon_seller.reports.registry import REPORT_SPECS

    timings = {spec.stream: spec.timing.kind for spec in REPORT_SPECS}
    assert timings["warehouse_inventory"] == "snapshot"
    assert timings["fba_inventory_ledger"] == "windows"
    assert timings["brand_analytics_search_terms"] == "periods"
    assert timings["fba_storage_fees"] == "periods"
    assert timings["settlement_reports"] == "listed"
    formats = {spec.stream: spec.format for spec in REPORT_SPECS}
    assert (formats["sales_traffic_report"], formats["browse_tree"]) == ("json", "xml")
    assert formats["fba_returns"] == "tsv"
