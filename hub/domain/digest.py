"""Digest windows and figures: pure functions of plain rows, a time zone and a clock.

A supervisor's daily digest comes on working days and covers the days since the previous working
day began (yesterday, or a weekend or the holidays with the working day before them; midnight to
midnight in the company's time zone);
the director's weekly one covers the previous Monday to Monday. The figures are computed from
the calls and callback cases of the window, whatever their source.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hub.domain.calendar import ORDINARY, Calendar
from hub.domain.calls import is_missed
from hub.domain.cases import is_active


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime
    end: datetime
    label: str

    def contains(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    # In UTC: arithmetic between two aware datetimes of the same zone ignores DST changes.
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def daily_window(now: datetime, zone: ZoneInfo, calendar: Calendar = ORDINARY) -> Window:
    """What today's daily digest covers, in the company's time zone: since the previous working
    day began — yesterday on a Tuesday; Friday to Sunday on a Monday; the whole New Year
    holidays on the first working day after them (a 23- or 25-hour day across a DST change)."""
    today = now.astimezone(zone).date()
    first = calendar.previous_working_day(today)
    last = today - timedelta(days=1)
    label = first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"
    return Window(_midnight(first, zone), _midnight(today, zone), label)


def weekly_window(now: datetime, zone: ZoneInfo) -> Window:
    """The last full Monday-to-Monday week, in the company's time zone."""
    today = now.astimezone(zone).date()
    this_monday = today - timedelta(days=today.weekday())
    last_monday = this_monday - timedelta(days=7)
    return Window(
        _midnight(last_monday, zone),
        _midnight(this_monday, zone),
        f"{last_monday.isoformat()}..{(this_monday - timedelta(days=1)).isoformat()}",
    )


def is_due(now: datetime, at: time, zone: ZoneInfo) -> bool:
    """Whether today's digest time (in the company's zone) has come."""
    return now.astimezone(zone).time() >= at


@dataclass(frozen=True, slots=True, kw_only=True)
class CallRow:
    direction: str
    outcome: str | None
    started_at: datetime
    caller_kind: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseRow:
    status: str
    first_missed_at: datetime
    returned_at: datetime | None
    escalated_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Figures:
    calls_in: int
    calls_out: int
    missed: int
    withheld_missed: int
    returned: int
    median_callback: timedelta | None
    still_open: int
    escalated: int
    unknown_waiting: int
    # A supervisor's team's forgotten clients (hub/domain/forgotten.py); None: not counted.
    forgotten: int | None = None


def figures(
    window: Window, calls: Iterable[CallRow], cases: Iterable[CaseRow], unknown_waiting: int
) -> Figures:
    """The digest's figures for one window."""
    in_window = [c for c in calls if window.contains(c.started_at)]
    inbound = [c for c in in_window if c.direction == "inbound"]
    missed = [c for c in inbound if is_missed(c.direction, c.outcome)]
    case_list = list(cases)
    returned = [c for c in case_list if window.contains(c.returned_at)]
    waits = [
        (c.returned_at - c.first_missed_at).total_seconds()
        for c in returned
        if c.returned_at is not None
    ]
    return Figures(
        calls_in=len(inbound),
        calls_out=sum(1 for c in in_window if c.direction == "outbound"),
        missed=len(missed),
        withheld_missed=sum(1 for c in missed if c.caller_kind == "withheld"),
        returned=len(returned),
        median_callback=timedelta(seconds=statistics.median(waits)) if waits else None,
        still_open=sum(
            1 for c in case_list if is_active(c.status) and c.first_missed_at < window.end
        ),
        escalated=sum(1 for c in case_list if window.contains(c.escalated_at)),
        unknown_waiting=unknown_waiting,
    )
