"""Replenishment API streams (Subscribe & Save) against the simulator: values, periods,
bookmarks, paging, partial failures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from sp_api_simulator import Simulator, SimulatorConfig
from sp_api_simulator.families.replenishment import (
    brand_of,
    forecast_of,
    offer_day,
    offers,
    period_of,
    rolling_metrics,
)
from tap_amazon_seller import clock
from tap_amazon_seller.streams.replenishment import ROLLING_METRICS, ReplenishmentStream
from tests import instants
from tests.conftest import FAST, run_sync, select

# Dates decide what these tests read: each also runs at the edge instants (tests/instants.py).
pytestmark = pytest.mark.edges

US, DE = "ATVPDKIKX0DER", "A1PA6795UKMFR9"
DAILY, ROLLING = "replenishment_daily_metrics", "replenishment_rolling_metrics"
OFFER_METRICS, FORECAST = "replenishment_offer_metrics", "replenishment_offer_forecast"
OFFERS = "replenishment_offers"
LIST_OFFER_METRICS = "replenishment-2022-11-07.listOfferMetrics"
SELLER_METRICS = "replenishment-2022-11-07.getSellingPartnerMetrics"


@pytest.fixture
def sim() -> Iterator[Simulator]:
    # Pages of 2 offers. Amazon's usage plan here is 1 call a second with a burst of 1: sped
    # up 1000 times, the tap's pacing and the simulator's bucket meet at the millisecond and
    # 429s and retries follow; these tests are about values, tests/test_rate_limits.py pacing.
    simulator = Simulator(SimulatorConfig(time_scale=FAST, page_size=2, enforce_rate_limits=False))
    with simulator.running():
        yield simulator


def _day(stamp: str) -> date:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).date()


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


def _config(sim: Simulator, start: date, **more: object) -> dict:
    return sim.tap_config(marketplaces=["US", "DE"], start_date=f"{start}T00:00:00Z", **more)


def test_daily_metrics_are_the_sums_of_the_offers_day_by_day(sim: Simulator) -> None:
    yesterday = clock.today() - timedelta(days=1)
    start = yesterday - timedelta(days=44)  # two intervals: 31 days, then 14
    result = run_sync(_config(sim, start), catalog=select(DAILY, OFFER_METRICS))

    rows = result.records[DAILY]
    for marketplace, currency in ((US, "USD"), (DE, "EUR")):
        got = {_day(r["report_start_date"]): r for r in rows if r["marketplace_id"] == marketplace}
        assert sorted(got) == _days(start, yesterday)  # each day once, up to yesterday
        assert len([r for r in rows if r["marketplace_id"] == marketplace]) == len(got)
        for day, row in got.items():
            # A DAY period starts and ends on the same midnight (timeInterval as Amazon sent it).
            assert row["report_end_date"] == row["report_start_date"] == f"{day}T00:00:00Z"
            midnight = f"{day}T00:00:00Z"
            assert row["timeInterval"] == {"startDate": midnight, "endDate": midnight}
            expected = period_of(sim, offers(sim, marketplace), day, day)
            assert row["shippedSubscriptionUnits"] == expected.units
            assert _dec(row["totalSubscriptionsRevenue"]) == expected.revenue
            assert row["activeSubscriptions"] == expected.active
            assert _dec(row["lostRevenueDueToOOS"]) == expected.lost
            assert row["currencyCode"] == currency
            assert row["region"] == ("na" if marketplace == US else "eu")
            assert "subscriberAverageRevenue" not in row  # a rolling metric: not this stream's
    assert any(r["shippedSubscriptionUnits"] for r in rows)  # the data is not all zeros
    # 45 days: two getSellingPartnerMetrics calls per marketplace (31-day maximum).
    assert sim.calls[SELLER_METRICS] == 4

    # The offers' figures of a day add up to the seller's figures of that day.
    offer_rows = result.records[OFFER_METRICS]
    for row in rows:
        same_day = [
            o
            for o in offer_rows
            if o["marketplace_id"] == row["marketplace_id"]
            and o["report_start_date"] == row["report_start_date"]
        ]
        assert (
            sum(o["shippedSubscriptionUnits"] for o in same_day) == row["shippedSubscriptionUnits"]
        )
        assert sum(_dec(o["totalSubscriptionsRevenue"]) for o in same_day) == _dec(
            row["totalSubscriptionsRevenue"]
        )


def test_offer_metrics_one_day_per_call_paged_by_offset(sim: Simulator) -> None:
    yesterday = clock.today() - timedelta(days=1)
    start = yesterday - timedelta(days=4)
    result = run_sync(_config(sim, start), catalog=select(OFFER_METRICS))
    rows = result.records[OFFER_METRICS]
    for marketplace in (US, DE):
        enrolled = {o.product.sku: o for o in offers(sim, marketplace)}
        mine = [r for r in rows if r["marketplace_id"] == marketplace]
        assert len(mine) == len(enrolled) * 5  # every offer, every day, once
        for row in mine:
            offer = enrolled[row["sku"]]
            day = _day(row["report_start_date"])
            figures = offer_day(sim, offer, day)
            assert row["asin"] == offer.product.asin
            assert row["fulfillmentChannelType"] == offer.channel
            assert row["shippedSubscriptionUnits"] == figures.units
            assert _dec(row["totalSubscriptionsRevenue"]) == figures.revenue
            assert row["activeSubscriptions"] == figures.active
            # Amazon writes these with milliseconds; the tap's period fields are plain UTC.
            assert row["timeInterval"]["startDate"] == f"{day}T00:00:00.000Z"
            assert row["report_start_date"] == row["report_end_date"] == f"{day}T00:00:00Z"
            assert row["brandName"] == brand_of(sim, marketplace)
    # The brand is the seller's store name: é, ü, ß, ñ or Japanese come through.
    assert any(not r["brandName"].isascii() for r in rows)
    # One call per day and page: pages of 2 offers.
    pages = sum(-(-len(offers(sim, m)) // 2) for m in (US, DE))
    assert sim.calls[LIST_OFFER_METRICS] == 5 * pages


def test_the_next_run_reads_again_only_the_last_three_days(sim: Simulator) -> None:
    yesterday = clock.today() - timedelta(days=1)
    config = _config(sim, yesterday - timedelta(days=20))
    first = run_sync(config, catalog=select(DAILY, OFFER_METRICS))
    state = first.states[-1]
    for stream in (DAILY, OFFER_METRICS):
        for partition in state["bookmarks"][stream]["partitions"]:
            assert partition["replication_key_value"] == f"{yesterday}T00:00:00Z"
            assert partition["read_through"] == f"{yesterday}T00:00:00Z"
    calls = sim.calls[LIST_OFFER_METRICS]
    second = run_sync(config, catalog=select(DAILY, OFFER_METRICS), state=state)
    days = {_day(r["report_start_date"]) for r in second.records[DAILY]}
    assert days == set(_days(yesterday - timedelta(days=3), yesterday))
    pages = sum(-(-len(offers(sim, m)) // 2) for m in (US, DE))
    assert sim.calls[LIST_OFFER_METRICS] - calls == 4 * pages


def test_history_starts_no_earlier_than_amazons_two_years(sim: Simulator) -> None:
    today = clock.today()
    result = run_sync(
        sim.tap_config(marketplaces=["US"], start_date="2023-01-01T00:00:00Z"),
        catalog=select(DAILY),
    )
    days = sorted(_day(r["report_start_date"]) for r in result.records[DAILY])
    assert days[0] == today - timedelta(days=729)
    assert days[-1] == today - timedelta(days=1)
    assert len(days) == 729  # Amazon refused nothing: every window was inside its history


def test_rolling_metrics_keep_amazons_windows(sim: Simulator) -> None:
    yesterday = clock.today() - timedelta(days=1)
    result = run_sync(_config(sim, yesterday), catalog=select(ROLLING))
    rows = result.records[ROLLING]
    assert len(rows) == 4  # a 12-month and a 24-month window per marketplace
    for marketplace in (US, DE):
        expected = rolling_metrics(sim, marketplace, yesterday, set(ROLLING_METRICS))
        got = [r for r in rows if r["marketplace_id"] == marketplace]
        for row, bundle in zip(got, expected, strict=True):
            # Amazon's windows end when it computed them, not on a midnight.
            assert row["timeInterval"] == bundle["timeInterval"]
            assert row["report_end_date"] == f"{yesterday}T22:36:56Z"
            for field, value in bundle.items():
                if field != "timeInterval":
                    assert _dec(row[field]) == value if isinstance(value, Decimal) else value, field
    year = next(r for r in rows if r["marketplace_id"] == US and "subscriberAverageRevenue" in r)
    assert _day(year["report_start_date"]) == yesterday - timedelta(days=365)


def test_offer_forecast_and_offers_full_table(sim: Simulator) -> None:
    result = run_sync(_config(sim, instants.days_ago(300).date()), catalog=select(FORECAST, OFFERS))
    tomorrow = clock.today() + timedelta(days=1)
    forecasts = result.records[FORECAST]
    listed = result.records[OFFERS]
    for marketplace in (US, DE):
        enrolled = {o.product.sku: o for o in offers(sim, marketplace)}
        mine = {r["sku"]: r for r in forecasts if r["marketplace_id"] == marketplace}
        assert set(mine) == set(enrolled)
        for sku, row in mine.items():
            for days in (30, 60, 90):
                units, revenue = forecast_of(sim, enrolled[sku], days)
                assert row[f"next{days}DayShippedSubscriptionUnits"] == units
                assert _dec(row[f"next{days}DayTotalSubscriptionsRevenue"]) == revenue
            assert row["report_start_date"] == f"{tomorrow}T00:00:00Z"
            assert "shippedSubscriptionUnits" not in row
        offered = {r["sku"]: r for r in listed if r["marketplace_id"] == marketplace}
        assert set(offered) == set(enrolled)
        for sku, row in offered.items():
            offer = enrolled[sku]
            assert row["marketplaceId"] == marketplace
            assert _dec(row["price"]) == offer.product.price
            assert row["inventory"] == offer.product.quantity
            assert row["eligibility"] == ("SUSPENDED" if offer.out_of_stock else "ELIGIBLE")
            promotions = row["offerProgramConfiguration"]["promotions"]
            assert promotions["sellingPartnerFundedBaseDiscount"]["percentage"] == (
                offer.base_discount
            )
        assert [r["asin"] for r in listed if r["marketplace_id"] == marketplace] == sorted(
            o.product.asin for o in enrolled.values()
        )  # sorted by ASIN, across pages
    # No state for full-table streams beyond what the SDK keeps.
    assert "read_through" not in str(result.states[-1]["bookmarks"].get(FORECAST, {}))


def test_a_failed_page_keeps_the_bookmark_and_the_other_marketplaces_go_on(
    sim: Simulator,
) -> None:
    yesterday = clock.today() - timedelta(days=1)
    config = _config(sim, yesterday - timedelta(days=9))
    old = f"{yesterday - timedelta(days=6)}T00:00:00Z"
    state = {
        "bookmarks": {
            OFFER_METRICS: {
                "partitions": [
                    {
                        "context": {"region": "na", "marketplace_id": US},
                        "replication_key": "report_end_date",
                        "replication_key_value": old,
                        "read_through": old,
                    }
                ]
            }
        }
    }
    # US: the first page of its first day is read, then Amazon refuses for good.
    sim.faults.script[LIST_OFFER_METRICS] = [200, 400]
    result = run_sync(config, catalog=select(OFFER_METRICS), state=state)
    partitions = {
        p["context"]["marketplace_id"]: p
        for p in result.states[-1]["bookmarks"][OFFER_METRICS]["partitions"]
    }
    assert partitions[US]["replication_key_value"] == old
    assert partitions[US]["read_through"] == old
    assert len([r for r in result.records[OFFER_METRICS] if r["marketplace_id"] == US]) == 2
    assert partitions[DE]["replication_key_value"] == f"{yesterday}T00:00:00Z"
    assert result.tap is not None and any(OFFER_METRICS in p for p in result.tap.failed)


def test_only_marketplaces_with_subscribe_and_save_are_partitions() -> None:
    assert ReplenishmentStream.supported({"marketplace_id": US})
    assert ReplenishmentStream.supported({"marketplace_id": "A1VC38T7YXB528"})  # JP
    assert not ReplenishmentStream.supported({"marketplace_id": "A1C3SOZRARQ6R3"})  # PL
    assert not ReplenishmentStream.supported({"marketplace_id": "A2NODRKZP88ZB9"})  # SE


def test_a_missing_role_names_brand_analytics(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    sim.config.roles = {"Amazon Fulfillment"}
    result = run_sync(_config(sim, instants.days_ago(30).date()), catalog=select(OFFERS, DAILY))
    assert OFFERS not in result.records and DAILY not in result.records
    assert "'Brand Analytics'" in caplog.text


def test_offset_paging_stops_at_amazons_9000_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from tap_amazon_seller.streams.replenishment import ReplenishmentOffersStream
    from tap_amazon_seller.tap import TapAmazonSeller

    class Client:
        """Answers as Amazon would for 20,000 offers."""

        def __init__(self) -> None:
            self.offsets: list[int] = []

        def call(self, operation: str, *, json_body: dict) -> dict:
            limit, offset = json_body["pagination"]["limit"], json_body["pagination"]["offset"]
            assert 1 <= limit <= 100 and 0 <= offset <= 9000  # the model's limits
            self.offsets.append(offset)
            items = [{"asin": f"B{n:09d}"} for n in range(offset, min(offset + limit, 20000))]
            return {"offers": items, "pagination": {"totalResults": 20000}}

    tap = TapAmazonSeller(
        config={"marketplaces": ["US"], "refresh_token": "x"}, validate_config=False
    )
    stream = ReplenishmentOffersStream(tap)
    client = Client()
    body = {"filters": {"marketplaceId": US, "programTypes": ["SUBSCRIBE_AND_SAVE"]}}
    got = list(stream.offers(client, "listOffers", body, 100))  # type: ignore[arg-type]
    assert client.offsets == list(range(0, 9001, 100))
    assert len(got) == 9100 and len({o["asin"] for o in got}) == 9100
    assert "9100 of 20000 offers read for marketplace ATVPDKIKX0DER" in caplog.text
    assert any("replenishment_offers" in p and "9100 of 20000" in p for p in tap.skipped)
