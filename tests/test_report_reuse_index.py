"""ReportEngine.find_window_report's index against a plain scan of the listed reports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tap_amazon_seller.reports.engine import ReportEngine, iso, parse_time

BASE = datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
TYPE = "GET_BRAND_ANALYTICS_SEARCH_TERMS_REPORT"


def scan(reports: list[dict], markets: tuple[str, ...], start: datetime, latest_end: datetime):
    """What the lookup must return: of the reports of these marketplaces whose start is
    within a second of `start` and whose end lies in (start, latest_end], the furthest."""
    best = None
    for report in reports:
        if tuple(sorted(report["marketplaceIds"])) != tuple(sorted(markets)):
            continue
        report_start, report_end = (
            parse_time(report["dataStartTime"]),
            parse_time(report["dataEndTime"]),
        )
        assert report_start is not None and report_end is not None
        if report_end > latest_end or report_end <= start:
            continue
        if abs((report_start - start).total_seconds()) >= 1:
            continue
        if best is None or report_end > parse_time(best["dataEndTime"]):  # type: ignore[operator]
            best = report
    return best


def engine_with(reports: list[dict]) -> ReportEngine:
    engine = ReportEngine(lambda region: None)  # type: ignore[arg-type, return-value]
    engine._existing[("eu", TYPE)] = reports
    return engine


REPORT = st.builds(
    lambda n, start, length, markets: {
        "reportId": str(n),
        "reportType": TYPE,
        "marketplaceIds": markets,
        "dataStartTime": iso(BASE + timedelta(seconds=start)),
        "dataEndTime": iso(BASE + timedelta(seconds=start + length)),
    },
    st.integers(0, 10**6),
    st.integers(0, 6),
    st.integers(-2, 8),
    st.sampled_from([["A1PA6795UKMFR9"], ["A13V1IB3VIYZZH"], ["A1PA6795UKMFR9", "A13V1IB3VIYZZH"]]),
)


@settings(max_examples=300)
@given(
    st.lists(REPORT, max_size=25, unique_by=lambda r: r["reportId"]),
    st.floats(0, 6),
    st.integers(0, 10),
    st.sampled_from([("A1PA6795UKMFR9",), ("A13V1IB3VIYZZH", "A1PA6795UKMFR9")]),
)
def test_the_index_finds_what_a_scan_finds(
    reports: list[dict[str, Any]], start: float, latest: int, markets: tuple[str, ...]
) -> None:
    at = BASE + timedelta(seconds=start)
    latest_end = BASE + timedelta(seconds=latest)
    found = engine_with(reports).find_window_report("eu", TYPE, markets, at, latest_end)
    expected = scan(reports, markets, at, latest_end)
    # Equal ends may come from either report; the end (what the planner reads) must agree.
    assert (found and found["dataEndTime"]) == (expected and expected["dataEndTime"])
    if found is not None:
        assert abs((parse_time(found["dataStartTime"]) - at).total_seconds()) < 1  # type: ignore[operator]


def test_a_half_second_apart_start_is_the_same_window() -> None:
    report = {
        "reportId": "1",
        "reportType": TYPE,
        "marketplaceIds": ["A1PA6795UKMFR9"],
        "dataStartTime": "2026-03-29T00:00:01Z",
        "dataEndTime": "2026-03-30T00:00:00Z",
    }
    engine = engine_with([report])
    at = BASE + timedelta(milliseconds=500)
    assert (
        engine.find_window_report("eu", TYPE, ("A1PA6795UKMFR9",), at, BASE + timedelta(days=2))
        is report
    )
    assert (
        engine.find_window_report("eu", TYPE, ("A1PA6795UKMFR9",), BASE, BASE + timedelta(hours=1))
        is None
    )
