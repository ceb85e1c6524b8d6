"""Brand Analytics, promotion and coupon JSON reports, compared with the documents the
simulator rendered from Amazon's report schemas: windows aligned to the report period,
incremental runs that neither lose nor repeat a period, options Amazon requires."""

from __future__ import annotations

import logging
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from sp_api_simulator import Simulator
from sp_api_simulator.families.reports import SimReport, store
from tap_amazon_seller.reports import schedule
from tap_amazon_seller.settings import SettingsError, parse_settings
from tests import instants
from tests.conftest import run_sync, select
from tests.test_conformance import access_token, call

# Dates decide what these tests read: each also runs at the edge instants (tests/instants.py).
pytestmark = pytest.mark.edges

US, DE = "ATVPDKIKX0DER", "A1PA6795UKMFR9"
CREATE = "reports_2021-06-30.createReport"
LAST_SECOND = timedelta(hours=23, minutes=59, seconds=59)


def rendered(sim: Simulator, report_type: str, array: str) -> list[tuple[SimReport, dict]]:
    """(report, row) for every row of the documents the simulator made for `report_type`."""
    reports = store(sim)
    return [
        (report, row)
        for report in reports.reports.values()
        if report.report_type == report_type and report.document_id and report.outcome == "DONE"
        for row in (reports.rendered[report.document_id].json or {}).get(array, [])
    ]


def requests_of(sim: Simulator, report_type: str) -> list[SimReport]:
    return sorted(
        (r for r in store(sim).reports.values() if r.report_type == report_type),
        key=lambda r: (
            r.marketplace_ids,
            r.data_start or instants.started(),
            sorted(r.options.items()),
        ),
    )


def sunday_on_or_before(day: date) -> date:
    return day - timedelta(days=day.isoweekday() % 7)


def last_complete_week_end() -> datetime:
    """The exclusive end of the last week Amazon has published (three days after it ends)."""
    sunday = sunday_on_or_before((instants.started() - timedelta(hours=72)).date())
    return datetime(sunday.year, sunday.month, sunday.day, tzinfo=UTC)


def config(sim: Simulator, start: datetime, **overrides: Any) -> dict:
    return sim.tap_config(
        **{"marketplaces": ["US", "DE"], "start_date": start.isoformat(), **overrides}
    )


def value(record: dict, path: str) -> Any:
    for part in path.split("."):
        record = record[part]
    return float(record) if isinstance(record, int | float) else record


# stream, report type, array, key fields (rendered rows' paths), compared values, options
BRAND_ANALYTICS = [
    (
        "brand_analytics_market_basket",
        "GET_BRAND_ANALYTICS_MARKET_BASKET_REPORT",
        "dataByAsin",
        ("startDate", "endDate", "asin", "purchasedWithAsin"),
        ("purchasedWithRank", "combinationPct"),
    ),
    (
        "brand_analytics_repeat_purchase",
        "GET_BRAND_ANALYTICS_REPEAT_PURCHASE_REPORT",
        "dataByAsin",
        ("startDate", "endDate", "asin"),
        ("orders", "uniqueCustomers", "repeatPurchaseRevenue.amount"),
    ),
    (
        "brand_analytics_search_catalog_performance",
        "GET_BRAND_ANALYTICS_SEARCH_CATALOG_PERFORMANCE_REPORT",
        "dataByAsin",
        ("startDate", "endDate", "asin"),
        ("impressionData.impressionCount", "purchaseData.searchTrafficSales.amount"),
    ),
    (
        "brand_analytics_search_query_performance",
        "GET_BRAND_ANALYTICS_SEARCH_QUERY_PERFORMANCE_REPORT",
        "dataByAsin",
        ("startDate", "endDate", "asin", "searchQueryData.searchQuery"),
        ("clickData.asinClickCount", "searchQueryData.searchQueryVolume"),
    ),
]


def sqp_options(sim: Simulator) -> dict:
    asins = [p.asin for p in sim.data.products(US)[:2] + sim.data.products(DE)[:2]]
    return {"brand_analytics_search_query_performance": {"asin": " ".join(asins)}}


@pytest.mark.parametrize(
    ("stream", "report_type", "array", "keys", "values"), BRAND_ANALYTICS, ids=lambda v: str(v)[:30]
)
def test_brand_analytics_streams_by_week(
    sim: Simulator, stream: str, report_type: str, array: str, keys: tuple, values: tuple
) -> None:
    result = run_sync(
        config(sim, instants.midnight() - timedelta(days=30), report_options=sqp_options(sim)),
        catalog=select(stream),
    )
    records = result.records[stream]
    expected = rendered(sim, report_type, array)
    assert expected
    tap_key = tuple(k.rsplit(".", 1)[-1] for k in keys)
    got = {
        (r["marketplace_id"], *(r[k] for k in tap_key)): tuple(value(r, v) for v in values)
        for r in records
    }
    assert len(got) == len(records)  # each key once
    assert got == {
        (report.marketplace_ids[0], *(value(row, k) for k in keys)): tuple(
            value(row, v) for v in values
        )
        for report, row in expected
    }
    # Every request covers whole weeks, Sunday to Saturday, and the last is over.
    for report in requests_of(sim, report_type):
        assert report.options["reportPeriod"] == "WEEK"
        assert report.data_start and report.data_end
        assert report.data_start.isoweekday() == 7 and report.data_start.time().hour == 0
        assert report.data_end.isoweekday() == 6
        assert (report.data_end.hour, report.data_end.minute, report.data_end.second) == (
            23,
            59,
            59,
        )
        assert report.data_end + timedelta(seconds=1) <= last_complete_week_end()
    bookmarks = result.states[-1]["bookmarks"][stream]["partitions"]
    assert {b["replication_key_value"] for b in bookmarks} == {
        last_complete_week_end().strftime("%Y-%m-%dT%H:%M:%SZ")
    }


def test_search_terms_one_report_a_week_with_international_departments(sim: Simulator) -> None:
    result = run_sync(
        config(sim, instants.midnight() - timedelta(days=23)),
        catalog=select("brand_analytics_search_terms"),
    )
    records = result.records["brand_analytics_search_terms"]
    expected = rendered(
        sim, "GET_BRAND_ANALYTICS_SEARCH_TERMS_REPORT", "dataByDepartmentAndSearchTerm"
    )

    def key(marketplace: str, start: datetime, row: dict) -> tuple:
        return (
            marketplace,
            start.date().isoformat(),
            row["departmentName"],
            row["searchTerm"],
            row["clickedAsin"],
        )

    got = {
        key(r["marketplace_id"], datetime.fromisoformat(r["report_start_date"]), r): (
            r["clickShare"],
            r["clickShareRank"],
        )
        for r in records
    }
    assert len(got) == len(records)
    assert got == {
        key(report.marketplace_ids[0], report.data_start, row): (
            row["clickShare"],
            row["clickShareRank"],
        )
        for report, row in expected
        if report.data_start
    }
    # Amazon refuses a range spanning weeks: one report per week and marketplace.
    for report in requests_of(sim, "GET_BRAND_ANALYTICS_SEARCH_TERMS_REPORT"):
        assert report.data_start and report.data_end
        assert report.data_end - report.data_start == timedelta(days=6) + LAST_SECOND
        assert report.data_start.isoweekday() == 7
    assert "Küche, Haushalt & Wohnen" in {r["departmentName"] for r in records}
    assert any("größe" in r["searchTerm"] for r in records)  # non-ASCII search terms


@pytest.mark.parametrize(
    ("stream", "report_type", "period", "days_back"),
    [
        (
            "brand_analytics_repeat_purchase",
            "GET_BRAND_ANALYTICS_REPEAT_PURCHASE_REPORT",
            "MONTH",
            100,
        ),
        (
            "brand_analytics_search_catalog_performance",
            "GET_BRAND_ANALYTICS_SEARCH_CATALOG_PERFORMANCE_REPORT",
            "QUARTER",
            200,
        ),
        ("brand_analytics_market_basket", "GET_BRAND_ANALYTICS_MARKET_BASKET_REPORT", "DAY", 5),
    ],
)
def test_other_periods_align_to_calendar(
    sim: Simulator, stream: str, report_type: str, period: str, days_back: int
) -> None:
    start = instants.midnight() - timedelta(days=days_back)
    result = run_sync(
        config(sim, start, marketplaces=["US"], report_options={stream: {"reportPeriod": period}}),
        catalog=select(stream),
    )
    requests = requests_of(sim, report_type)
    assert requests and all(r.outcome == "DONE" for r in requests)
    published = (instants.started() - timedelta(hours=72)).date()
    covered = set()
    for report in requests:
        assert report.options["reportPeriod"] == period
        first, last = report.data_start.date(), report.data_end.date()  # type: ignore[union-attr]
        after = last + timedelta(days=1)
        if period == "MONTH":
            assert first.day == 1 and after.day == 1
        if period == "QUARTER":
            assert first.day == 1 and first.month in (1, 4, 7, 10)
            assert after.day == 1 and after.month in (1, 4, 7, 10)
            assert (after.month - first.month) % 12 == 3  # one quarter a report
        assert after <= published  # a period not yet published is not asked for
        covered |= {first + timedelta(days=n) for n in range((last - first).days + 1)}
    # The period holding start_date is read whole; every day from there on, once.
    assert min(covered) <= start.date() and len(covered) == (max(covered) - min(covered)).days + 1
    rows = result.records[stream]
    assert {r["startDate"] for r in rows} <= {d.isoformat() for d in covered}
    assert rows


def test_incremental_runs_neither_lose_nor_repeat_a_period(sim: Simulator) -> None:
    streams = ("brand_analytics_search_terms", "brand_analytics_market_basket")
    start = instants.midnight() - timedelta(days=45)
    first = run_sync(
        config(sim, start, end_date=(instants.midnight() - timedelta(days=17)).isoformat()),
        catalog=select(*streams),
    )
    second = run_sync(config(sim, start), catalog=select(*streams), state=first.states[-1])
    creates = sim.calls[CREATE]
    third = run_sync(config(sim, start), catalog=select(*streams), state=second.states[-1])
    assert sim.calls[CREATE] == creates  # nothing new finished: nothing asked
    assert not any(third.records.values())

    def keys(result: Any, stream: str) -> list[tuple]:
        fields = (
            ("report_start_date", "departmentName", "searchTerm", "clickedAsin")
            if stream.endswith("terms")
            else ("startDate", "asin", "purchasedWithAsin")
        )
        return [
            (r["marketplace_id"], *(r[f] for f in fields)) for r in result.records.get(stream, [])
        ]

    for stream in streams:
        before, after = keys(first, stream), keys(second, stream)
        assert before and after
        assert not set(before) & set(after)  # no period read twice
        assert len(set(before + after)) == len(before + after)
    # Together the runs asked for every week from start_date's on, each once per marketplace.
    for report_type in (
        "GET_BRAND_ANALYTICS_SEARCH_TERMS_REPORT",
        "GET_BRAND_ANALYTICS_MARKET_BASKET_REPORT",
    ):
        for marketplace in (US, DE):
            weeks = []
            for report in requests_of(sim, report_type):
                if report.marketplace_ids == [marketplace]:
                    day = report.data_start.date()  # type: ignore[union-attr]
                    while day <= report.data_end.date():  # type: ignore[union-attr]
                        weeks.append(day)
                        day += timedelta(days=7)
            expected, week = [], sunday_on_or_before(start.date())
            while (
                datetime.combine(week + timedelta(days=7), datetime.min.time(), UTC)
                <= last_complete_week_end()
            ):
                expected.append(week)
                week += timedelta(days=7)
            assert weeks == expected


def test_search_query_performance_needs_the_asin_option(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        result = run_sync(
            config(sim, instants.midnight() - timedelta(days=20)),
            catalog=select("brand_analytics_search_query_performance"),
        )
    assert sim.calls[CREATE] == 0
    assert not result.records.get("brand_analytics_search_query_performance")
    assert "report_options" in caplog.text and "asin" in caplog.text
    too_long = {"brand_analytics_search_query_performance": {"asin": " ".join(["B0ABCDEFGH"] * 19)}}
    with pytest.raises(
        SettingsError,
        match=r"report_options\.brand_analytics_search_query_performance\.asin: 208 characters",
    ):
        parse_settings({"region": "na", "report_options": too_long})
    with pytest.raises(SettingsError, match="'DAY' is not one of WEEK, MONTH, QUARTER"):
        parse_settings(
            {
                "region": "na",
                "report_options": {"brand_analytics_repeat_purchase": {"reportPeriod": "DAY"}},
            }
        )


def _create(
    sim: Simulator, token: str, report_type: str, start: str | None, end: str | None, **options: str
) -> tuple[int, str | None]:
    body: dict[str, Any] = {
        "reportType": report_type,
        "marketplaceIds": [US],
        "reportOptions": options,
    }
    if start:
        body["dataStartTime"], body["dataEndTime"] = start, end
    answer = call(sim, CREATE, "na", {}, {}, token, body)
    if answer.status_code != 202:
        return answer.status_code, None
    report_id = answer.json()["reportId"]
    for _ in range(50):
        time.sleep(0.05)
        report = call(
            sim, "reports_2021-06-30.getReport", "na", {"reportId": report_id}, {}, token
        ).json()
        if report["processingStatus"] in ("DONE", "FATAL", "CANCELLED"):
            return 202, report["processingStatus"]
    return 202, None


def test_simulator_refuses_what_amazon_refuses(sim: Simulator) -> None:
    token = access_token(sim)
    sunday = sunday_on_or_before((instants.started() - timedelta(days=30)).date())
    week = (f"{sunday}T00:00:00Z", f"{sunday + timedelta(days=6)}T23:59:59Z")
    two_weeks = (week[0], f"{sunday + timedelta(days=13)}T23:59:59Z")
    monday = (f"{sunday + timedelta(days=1)}T00:00:00Z", f"{sunday + timedelta(days=7)}T23:59:59Z")
    terms, basket = (
        "GET_BRAND_ANALYTICS_SEARCH_TERMS_REPORT",
        "GET_BRAND_ANALYTICS_MARKET_BASKET_REPORT",
    )
    assert _create(sim, token, terms, *week, reportPeriod="WEEK") == (202, "DONE")
    assert _create(sim, token, terms, *monday, reportPeriod="WEEK") == (202, "FATAL")
    assert _create(sim, token, terms, *two_weeks, reportPeriod="WEEK") == (202, "FATAL")
    assert _create(sim, token, basket, *two_weeks, reportPeriod="WEEK") == (202, "DONE")
    assert _create(sim, token, terms, *week) == (400, None)  # no reportPeriod
    assert _create(
        sim, token, "GET_BRAND_ANALYTICS_REPEAT_PURCHASE_REPORT", *week, reportPeriod="DAY"
    ) == (400, None)
    query = "GET_BRAND_ANALYTICS_SEARCH_QUERY_PERFORMANCE_REPORT"
    assert _create(sim, token, query, *week, reportPeriod="WEEK") == (400, None)  # no asin
    assert _create(sim, token, "GET_PROMOTION_PERFORMANCE_REPORT", None, None) == (400, None)
    old = (instants.started() - timedelta(days=800)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _create(
        sim,
        token,
        "GET_COUPON_PERFORMANCE_REPORT",
        None,
        None,
        couponStartDateFrom=old,
        couponStartDateTo=old,
    ) == (202, "FATAL")


def test_promotions_and_coupons_by_start_date(sim: Simulator) -> None:
    streams = ("promotion_performance", "coupon_performance", "vendor_coupon_performance")
    start = instants.midnight() - timedelta(days=50)
    result = run_sync(config(sim, start), catalog=select(*streams))
    for stream, report_type, array, key, metric in (
        (
            "promotion_performance",
            "GET_PROMOTION_PERFORMANCE_REPORT",
            "promotions",
            "promotionId",
            "unitsSold",
        ),
        ("coupon_performance", "GET_COUPON_PERFORMANCE_REPORT", "coupons", "couponId", "clips"),
        (
            "vendor_coupon_performance",
            "GET_COUPON_PERFORMANCE_REPORT",
            "campaigns",
            "campaignId",
            "totalClips",
        ),
    ):
        records = result.records[stream]
        vendor = stream.startswith("vendor")
        expected = rendered(sim, report_type, array)
        got = {(r["marketplace_id"], r[key]): r[metric] for r in records}
        assert got == {
            (report.marketplace_ids[0], row[key]): int(row[metric]) for report, row in expected
        }
        assert all(isinstance(r[metric], int) for r in records)  # "13" from Amazon is 13
        assert len(records) == len(got) > 2
        for report, _ in expected:
            assert report.data_start is None  # the window travels in the options
        if vendor:
            flags = {r["isSubscribeAndSave"] for r in records}
            assert flags == {False}  # "false" strings in DE documents come out as booleans
    promotions = result.records["promotion_performance"]
    names = {p["productName"] for r in promotions for p in r["includedProducts"]}
    assert any("ü" in n or "ß" in n for n in names) and any("é" in n or "ñ" in n for n in names)
    assert all(r["startDateTime"] >= start.strftime("%Y-%m-%dT%H:%M:%SZ") for r in promotions)
    windows = [r.options for r in requests_of(sim, "GET_PROMOTION_PERFORMANCE_REPORT")]
    assert windows[0]["promotionStartDateFrom"] == start.strftime("%Y-%m-%dT%H:%M:%SZ")
    # The next run reads the last 30 days of promotion starts again (their figures grow).
    bookmark = result.states[-1]["bookmarks"]["promotion_performance"]["partitions"][0]
    seen = len(store(sim).reports)
    run_sync(
        config(sim, start, report_cadence_hours={"*": 0}),  # due at once: the re-read is tested
        catalog=select("promotion_performance"),
        state=result.states[-1],
    )
    again = [
        r
        for r in list(store(sim).reports.values())[seen:]
        if r.report_type == "GET_PROMOTION_PERFORMANCE_REPORT"
    ]
    froms = {r.options["promotionStartDateFrom"] for r in again}
    end = datetime.fromisoformat(bookmark["replication_key_value"].replace("Z", "+00:00"))
    assert min(froms) == (end - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_reports_of_a_run_without_state_are_found_and_reused(sim: Simulator) -> None:
    """getReports lists a Brand Analytics report with its inclusive end (Saturday 23:59:59);
    the planner matches it to the window it asked for, rather than asking again."""
    cfg = config(sim, instants.midnight() - timedelta(days=20), marketplaces=["US"])
    first = run_sync(cfg, catalog=select("brand_analytics_repeat_purchase"))
    created = sim.calls[CREATE]
    second = run_sync(cfg, catalog=select("brand_analytics_repeat_purchase"))
    assert sim.calls[CREATE] == created
    assert second.records == first.records
    # Each run notes when it read (read_at, by the clock): the bookmarks themselves agree.
    assert without_read_at(second.states[-1]) == without_read_at(first.states[-1])


def without_read_at(state: dict) -> dict:
    return {
        stream: {
            **entry,
            "partitions": [
                {k: v for k, v in p.items() if k != schedule.READ_AT}
                for p in entry.get("partitions") or []
            ],
        }
        for stream, entry in state["bookmarks"].items()
    }
