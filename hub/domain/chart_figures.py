"""What the charts draw, shaped from plain rows: pure functions, no drawing and no database.

Missed calls and callbacks per day of a digest's window, the time to callback in the buckets
people use (within 20 minutes, within a working day of 8 hours, later, not called back), and the
calls per manager. The numbers agree with the digest's text (hub/domain/digest.py): the
day bars add up to its "missed" and "called back", the first three buckets to "called back" and
the last to "not called back yet".
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hub.domain.calls import Direction, Outcome, is_missed
from hub.domain.cases import is_active
from hub.domain.digest import CallRow, CaseRow, Window

# A callback this soon is one the client hardly noticed; within a working day, one he waited for.
SOON = timedelta(minutes=20)
WORKING_DAY = timedelta(hours=8)


@dataclass(frozen=True, slots=True, kw_only=True)
class DayCount:
    day: date
    missed: int
    returned: int


class Wait(enum.StrEnum):
    """How long a missed caller waited for the callback."""

    SOON = "soon"  # within SOON
    SAME_DAY = "same_day"  # within WORKING_DAY
    LATER = "later"
    NOT_YET = "not_yet"  # not called back (still open when the digest is written)


@dataclass(frozen=True, slots=True, kw_only=True)
class ManagerCalls:
    """One manager's bar: answered inbound, outbound and missed calls."""

    name: str
    answered: int
    outbound: int
    missed: int

    @property
    def total(self) -> int:
        return self.answered + self.outbound + self.missed


@dataclass(frozen=True, slots=True, kw_only=True)
class AttributedCall:
    """A call and the manager it belongs to (``None``: nobody's)."""

    manager_id: int | None
    direction: str
    outcome: str | None


def window_days(window: Window, zone: ZoneInfo) -> list[date]:
    """The days of ``window`` in the company's time zone, in order."""
    first = window.start.astimezone(zone).date()
    last = (window.end - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def per_day(
    window: Window, zone: ZoneInfo, calls: Iterable[CallRow], cases: Iterable[CaseRow]
) -> list[DayCount]:
    """Missed inbound calls started, and callback cases returned, on each day of ``window``."""
    missed: dict[date, int] = {}
    returned: dict[date, int] = {}
    for call in calls:
        if window.contains(call.started_at) and is_missed(call.direction, call.outcome):
            day = _day(call.started_at, zone)
            missed[day] = missed.get(day, 0) + 1
    for case in cases:
        if window.contains(case.returned_at) and case.returned_at is not None:
            day = _day(case.returned_at, zone)
            returned[day] = returned.get(day, 0) + 1
    return [
        DayCount(day=day, missed=missed.get(day, 0), returned=returned.get(day, 0))
        for day in window_days(window, zone)
    ]


def _day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def wait_of(waited: timedelta | None) -> Wait:
    """The bucket of one wait (``None``: not called back)."""
    if waited is None:
        return Wait.NOT_YET
    if waited <= SOON:
        return Wait.SOON
    if waited <= WORKING_DAY:
        return Wait.SAME_DAY
    return Wait.LATER


def waits(window: Window, cases: Iterable[CaseRow]) -> dict[Wait, int]:
    """Cases returned within ``window`` by how long they waited, and those still open that
    began before its end; every bucket present, in the order of :class:`Wait`."""
    counts = dict.fromkeys(Wait, 0)
    for case in cases:
        if window.contains(case.returned_at) and case.returned_at is not None:
            counts[wait_of(case.returned_at - case.first_missed_at)] += 1
        elif is_active(case.status) and case.first_missed_at < window.end:
            counts[Wait.NOT_YET] += 1
    return counts


def per_manager(calls: Iterable[AttributedCall], names: Mapping[int, str]) -> list[ManagerCalls]:
    """Each named manager's answered inbound, outbound (answered or not) and missed calls,
    busiest first, then by name; nobody's calls, internal ones and managers without calls are
    left out."""
    counts: dict[int, list[int]] = {}
    for call in calls:
        if call.manager_id is None or call.manager_id not in names:
            continue
        if is_missed(call.direction, call.outcome):
            column = 2
        elif call.direction == Direction.INBOUND and call.outcome == Outcome.ANSWERED:
            column = 0
        elif call.direction == Direction.OUTBOUND:
            column = 1
        else:  # internal, or an inbound call still going on
            continue
        counts.setdefault(call.manager_id, [0, 0, 0])[column] += 1
    lines = [
        ManagerCalls(name=names[m], answered=a, outbound=o, missed=x)
        for m, (a, o, x) in counts.items()
    ]
    return sorted(lines, key=lambda line: (-line.total, line.name))
