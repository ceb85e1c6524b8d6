"""When a report stream is due, and how long Amazon's limits make a sync's reports take.

Pure arithmetic of the clock, a partition's state and the usage plans, no calls: the
report streams ask `is_due` before planning, and the report engine asks `seconds_for` what
its plan costs and `calls_in` how many reports fit in the budget (`max_run_minutes`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from tap_amazon_seller.rate_limits import Operation

#: The partition state key that says up to when the partition was last read in full (a
#: snapshot: the moment it was planned; a stream by data time: where its data ended).
READ_AT = "read_at"
#: The partition state key of a partition whose reports a run budget deferred: they are
#: requested first next run.
DEFERRED = "deferred"

#: A run this much earlier than the cadence still counts as due (10 %, at most 15
#: minutes): an hourly cron whose runs start a few seconds apart must not skip every other.
EARLY_SHARE = 0.1
MAX_EARLY = timedelta(minutes=15)


def early_allowance(cadence: timedelta) -> timedelta:
    return min(cadence * EARLY_SHARE, MAX_EARLY)


def next_due(read_at: datetime, cadence_hours: float) -> datetime:
    """When a partition read at `read_at` is due again."""
    cadence = timedelta(hours=cadence_hours)
    return read_at + cadence - early_allowance(cadence)


def is_due(read_at: datetime | None, cadence_hours: float, now: datetime) -> bool:
    """Whether a partition last read in full at `read_at` is to be read now: always when
    never read (or `cadence_hours` is 0), else once its cadence has (nearly) passed."""
    if read_at is None or cadence_hours <= 0:
        return True
    return now >= next_due(read_at, cadence_hours)


def describe_hours(hours: float) -> str:
    """30 min, 4 h, 3 days, 1 week: a cadence as people say it."""
    if hours < 1:
        return f"{round(hours * 60)} min"
    if hours % 168 == 0:
        weeks = int(hours // 168)
        return f"{weeks} week{'s' if weeks > 1 else ''}"
    if hours % 24 == 0 and hours > 24:
        return f"{int(hours // 24)} days"
    return f"{hours:g} h"


def seconds_for(calls: int, tokens: float, rate: float) -> float:
    """Seconds until `calls` calls have gone through a bucket that holds `tokens` now and
    refills `rate` a second (the first calls go at once, each further one waits a refill)."""
    if calls <= tokens:
        return 0.0
    return (calls - tokens) / rate if rate > 0 else math.inf


def calls_in(seconds: float, tokens: float, rate: float) -> int:
    """How many calls a bucket that holds `tokens` now and refills `rate` a second allows
    within `seconds`."""
    return math.floor(tokens + max(0.0, seconds) * rate + 1e-9)


@dataclass(frozen=True)
class Floor:
    """The least time `calls` calls of one operation take from a full bucket."""

    calls: int
    seconds: float


def floor_seconds(calls: int, plan: Operation) -> Floor:
    """From a full bucket (createReport: 15 at once, then 1 a minute)."""
    return Floor(calls, seconds_for(calls, plan.burst, plan.rate))


def calls_within(seconds: float, plan: Operation) -> int:
    """How many calls of one operation a full bucket allows in `seconds`."""
    return calls_in(seconds, plan.burst, plan.rate) if seconds >= 0 else 0


def describe_seconds(seconds: float) -> str:
    """0 s, 14 min, 2 h 40 min."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"
