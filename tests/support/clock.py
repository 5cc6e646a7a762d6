"""A clock the tests move: the app reads the time from it, so nothing waits for a real day.

It starts at a chosen moment and keeps ticking with real time (so retries, leases and backoffs
still come due as in the service), and :meth:`TestClock.advance` jumps it forward.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

MOSCOW = ZoneInfo("Europe/Moscow")
# A plain Wednesday morning in the company's zone: what the app sees unless a test says otherwise.
DEFAULT_START = datetime(2026, 11, 25, 10, 30, tzinfo=MOSCOW)


class TestClock:
    __test__ = False  # not a test class, whatever its name says

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        if start.tzinfo is None:
            raise ValueError("a test clock starts at an aware moment")
        self._start = start.astimezone(UTC)
        self._origin = time.monotonic()
        self._shift = timedelta(0)

    def now(self) -> datetime:
        return self._start + self._shift + timedelta(seconds=time.monotonic() - self._origin)

    def advance(self, delta: timedelta) -> None:
        """Jump forward by ``delta`` (and keep ticking from there)."""
        self._shift += delta

    def set(self, moment: datetime) -> None:
        """Jump to ``moment`` (forward or back)."""
        self.advance(moment.astimezone(UTC) - self.now())


class MachineClock:
    """The machine's real clock, even while this process's clock is moved (``TEST_WALL_CLOCK``):
    for an app that shares its database with a process of its own (the CLI, ``dozvon serve``),
    which runs on the real clock."""

    def now(self) -> datetime:
        escape = time_machine.escape_hatch
        if escape.is_travelling():
            return datetime.fromtimestamp(escape.time.time(), UTC)
        return datetime.now(UTC)


def week_of_moments(zone: ZoneInfo = MOSCOW) -> list[datetime]:
    """Every day of one week at 00:00, 09:00 and 23:59 in ``zone``, plus the last day of a month
    and a DST change elsewhere: the moments a time-dependent test is run at."""
    monday = datetime(2026, 11, 23, tzinfo=zone)
    moments = [
        monday + timedelta(days=day, hours=hour, minutes=minute)
        for day in range(7)
        for hour, minute in ((0, 0), (9, 0), (23, 59))
    ]
    moments.append(datetime(2026, 11, 30, 23, 59, tzinfo=zone))  # the last day of a month
    moments.append(datetime(2026, 12, 31, 23, 59, tzinfo=zone))  # and of a year
    return moments


def moment_id(moment: datetime) -> str:
    return moment.strftime("%a-%H%M-%d%b")
