"""Token buckets and usage plans, on a fake clock."""

from __future__ import annotations

import pytest

from tap_amazon_seller.rate_limits import (
    RateLimiter,
    TokenBucket,
    operation,
    operations,
    parse_rate_limit_header,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_burst_is_free_then_calls_are_paced_at_the_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=0.0167, burst=15, clock=clock, sleep=clock.sleep)
    waits = [bucket.acquire() for _ in range(17)]
    assert waits[:15] == [0.0] * 15
    assert waits[15] == pytest.approx(1 / 0.0167)
    assert waits[16] == pytest.approx(1 / 0.0167)
    assert clock.now == pytest.approx(2 / 0.0167)


def test_header_rate_replaces_the_default() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=0.5, burst=1, clock=clock, sleep=clock.sleep)
    bucket.acquire()
    bucket.set_rate(2.0)
    assert bucket.acquire() == pytest.approx(0.5)


def test_drain_after_429_makes_the_next_call_wait_a_full_refill() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=1.0, burst=5, clock=clock, sleep=clock.sleep)
    bucket.drain()
    assert bucket.acquire() == pytest.approx(1.0)


def test_buckets_are_per_region_and_operation() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    op = operation("reports_2021-06-30.createReport")
    assert limiter.bucket("na", op) is limiter.bucket("na", op)
    assert limiter.bucket("na", op) is not limiter.bucket("eu", op)
    assert limiter.bucket("na", op).burst == 15


def test_default_plans_match_amazons_documented_numbers() -> None:
    assert operation("reports_2021-06-30.createReport").rate == 0.0167
    assert operation("ordersV0.getOrderItems").rate == 0.5
    assert operation("ordersV0.getOrderItems").burst == 30
    assert operation("orders_2026-01-01.searchOrders").rate == 0.0056
    assert len(operations()) == 158


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.0167", 0.0167), (" 2 ", 2.0), ("", None), ("abc", None), ("0", None)],
)
def test_rate_limit_header_parsing(value: str, expected: float | None) -> None:
    assert parse_rate_limit_header(value) == expected
