"""The instants the date-sensitive tests run at, and the test's own reading of "now".

Every expectation about dates is computed from `tap_amazon_seller.clock`, the same seam the
tap reads, after the test's clock has been set (time-machine moves `datetime.now` for the
whole process, the simulator's thread included). `started()` is the instant the running
test began at: a test that needs one fixed "now" for its expectations (a start date 45 days
back, today's midnight) takes it from there, so two reads in one test agree.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tap_amazon_seller import clock

#: Edge instants: each covers one or more of the classes named beside it.
EDGES: dict[str, datetime] = {
    name: datetime.fromisoformat(value).astimezone(UTC)
    for name, value in {
        # A year's and a month's first seconds, 00:00-00:05 UTC, a Friday.
        "year-start": "2027-01-01T00:00:05+00:00",
        # A month's first minutes after a 30-day month, a Tuesday.
        "month-start": "2026-12-01T00:02:00+00:00",
        # A month's last minutes, 23:55 UTC, a Monday.
        "month-end": "2026-11-30T23:57:00+00:00",
        # February's last minutes in a common year, a Sunday.
        "february-end": "2027-02-28T23:58:00+00:00",
        # 29 February of a leap year, a Tuesday.
        "leap-day": "2028-02-29T12:00:00+00:00",
        # US clocks go forward (2 am local, 07:00-10:00 UTC), a Sunday.
        "us-dst-start": "2027-03-14T12:00:00+00:00",
        # US clocks go back (2 am local, 06:00-09:00 UTC), a Sunday.
        "us-dst-end": "2026-11-01T12:00:00+00:00",
        # EU clocks go forward at 01:00 UTC, a Sunday.
        "eu-dst-start": "2027-03-28T01:30:00+00:00",
        # EU clocks go back at 01:00 UTC, a Sunday.
        "eu-dst-end": "2026-10-25T01:30:00+00:00",
        # A Saturday's last minutes (Brand Analytics weeks end on Saturday), 23:55 UTC.
        "saturday-late": "2026-12-05T23:55:00+00:00",
        # A Sunday's first minutes (weeks start on Sunday), 00:00-00:05 UTC.
        "sunday-early": "2026-12-06T00:03:00+00:00",
    }.items()
}
#: Always among a run's edge instants: the one that is every kind of edge at once.
ALWAYS = ("year-start",)
#: How many more a default run takes, chosen by the real date so that a few days of CI
#: cover them all.
ROTATING = 2

_started: datetime | None = None


def choose_edges(option: str, real_today: int) -> list[str]:
    """The edge instants a run uses: `all`, `none`, `rotate` (ALWAYS plus ROTATING picked by
    the real day's ordinal `real_today`), or names separated by commas."""
    if option == "all":
        return list(EDGES)
    if option == "none":
        return []
    if option == "rotate":
        others = [name for name in EDGES if name not in ALWAYS]
        first = (real_today * ROTATING) % len(others)
        picked = [others[(first + k) % len(others)] for k in range(ROTATING)]
        return [*ALWAYS, *picked]
    names = [name.strip() for name in option.split(",") if name.strip()]
    unknown = [name for name in names if name not in EDGES]
    if unknown:
        raise ValueError(
            f"--edges: unknown instant(s) {', '.join(unknown)}; known: {', '.join(EDGES)}, "
            "or all, none, rotate."
        )
    return names


def begin_test() -> None:
    """Note the instant the test starts at (called once its clock is set)."""
    global _started
    _started = clock.now()


def started() -> datetime:
    """The instant the running test started at, by the tap's clock."""
    return _started or clock.now()


def midnight() -> datetime:
    """The UTC midnight of the day the running test started on."""
    return clock.midnight(started())


def days_ago(days: float, *, at_midnight: bool = False) -> datetime:
    """`days` before the test's start, to the second (or from that day's midnight)."""
    base = midnight() if at_midnight else started().replace(microsecond=0)
    return base - timedelta(days=days)
