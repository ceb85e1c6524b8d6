"""Report periods: DAY, WEEK, MONTH, QUARTER (Brand Analytics' `reportPeriod`), also spelt
DAILY, WEEKLY, MONTHLY (the FBA ledger summary's `aggregatedByTimePeriod`).

Amazon wants such a report's data range to start on a period's first day and end on a
period's last day (a WEEK runs Sunday to Saturday; MONTH and QUARTER are calendar
months and quarters), or the report ends FATAL. Periods here are UTC and half-open:
[start, next start).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

PERIODS = ("DAY", "WEEK", "MONTH", "QUARTER")
_SPELLINGS = {"DAILY": "DAY", "WEEKLY": "WEEK", "MONTHLY": "MONTH", "QUARTERLY": "QUARTER"}


def period_start(moment: datetime, period: str) -> datetime:
    """The start of the period holding `moment`."""
    period = _SPELLINGS.get(period, period)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "DAY":
        return day
    if period == "WEEK":
        return day - timedelta(days=(day.weekday() + 1) % 7)  # back to Sunday
    if period == "MONTH":
        return day.replace(day=1)
    if period == "QUARTER":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    raise ValueError(f"unknown report period {period!r}: one of {', '.join(PERIODS)}")


def next_period(start: datetime, period: str) -> datetime:
    """The start of the period after the one starting at `start`."""
    period = _SPELLINGS.get(period, period)
    if period == "DAY":
        return start + timedelta(days=1)
    if period == "WEEK":
        return start + timedelta(days=7)
    months = {"MONTH": 1, "QUARTER": 3}.get(period)
    if months is None:
        raise ValueError(f"unknown report period {period!r}: one of {', '.join(PERIODS)}")
    month = start.month - 1 + months
    return start.replace(year=start.year + month // 12, month=month % 12 + 1, day=1)


def period_windows(
    start: datetime, limit: datetime, period: str, *, spans: bool, max_days: int | None
) -> Iterator[tuple[datetime, datetime]]:
    """Windows of whole periods from the period holding `start`, each ending no later than
    `limit` (a period not yet over is left for a later run). With `spans`, a window holds
    as many periods as fit in `max_days` (at least one); without, one period each."""
    window_start = period_start(start, period)
    while (first_end := next_period(window_start, period)) <= limit:
        window_end = first_end
        while spans:
            following = next_period(window_end, period)
            too_long = max_days is not None and following - window_start > timedelta(max_days)
            if following > limit or too_long:
                break
            window_end = following
        yield window_start, window_end
        window_start = window_end


def period_after(moment: datetime, period: str) -> datetime:
    """The start of the period after the one holding `moment`."""
    return next_period(period_start(moment, period), period)
