"""The simulator's one reading of "now": its data, report windows and retention ask here.

Kept apart from the tap's own clock on purpose: the simulator checks the tap only while it
borrows none of the tap's code. Both read the same process clock, so a test that sets the
instant (time-machine) moves both at once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def now() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in UTC."""
    return now().date()


def midnight(moment: datetime | None = None) -> datetime:
    """The UTC midnight that starts the day of `moment` (default: now)."""
    moment = (moment or now()).astimezone(UTC)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)
