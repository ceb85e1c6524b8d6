"""The tap's one reading of "now": every window, period, lag and reuse rule asks here.

A test sets the instant with time-machine (which moves `datetime.now` for the whole
process, threads included); code and tests that read the clock only through `now()` and
`today()` therefore agree on what "now" is. Intervals that must not jump with the wall
clock (rate limits, timeouts) use `time.monotonic`, not this.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def now() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in UTC (Amazon's windows and periods are UTC unless said otherwise)."""
    return now().date()


def midnight(moment: datetime | None = None) -> datetime:
    """The UTC midnight that starts the day of `moment` (default: now)."""
    moment = (moment or now()).astimezone(UTC)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)
