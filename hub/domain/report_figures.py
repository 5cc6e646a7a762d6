"""The reports page's figures over a chosen period: pure functions of plain rows, no database.

A period is whole days in the company's time zone (``from`` and ``until`` both included). Each
call of the period is given to one manager (:func:`owner_of`) and, when missed, one reason
(:func:`miss_reason`); each callback case that began in the period is put in one bucket of time
to callback (:func:`wait_bucket`). A figure is then a count over one manager's calls or cases, and
the same classification lists the calls behind it (:func:`calls_behind`), so a figure and its
click-through always agree.

Reasons for a miss, the first that applies: the call came **out of working hours** (the company's
hours and calendar); it rang **shorter** than ``callbacks.min_ring_time`` (it opened no case); the
PBX found **nobody available** (busy, unavailable, failed); it was **abandoned in the IVR or the
queue** (no phone rang); else it **rang and nobody answered**.

Time to callback counts from a case's first miss to its return: within 20 minutes, within a working
day (8 working hours of the company's hours and calendar: a miss on Friday at 17:00 returned on
Monday at 10:00 waited 2), later, or never (still open, or closed by hand). Withdrawn cases (their
miss was answered after all) needed no callback and are left out.
"""

from __future__ import annotations

import enum
import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hub.domain.calendar import ORDINARY, Calendar, DayKind, read_date
from hub.domain.calls import Direction, Outcome, is_missed
from hub.domain.cases import CaseStatus
from hub.domain.chart_figures import SOON, WORKING_DAY, Wait
from hub.domain.errors import InvalidInput
from hub.domain.hours import SHORTENED_BY, WorkingHours

# The longest period a report covers.
LONGEST = timedelta(days=366)
# The years a period may fall in: far enough from the ends of the calendar that a day's
# midnight in any zone, or the day after the last, can be computed.
YEARS = range(2000, 3000)


class MissReason(enum.StrEnum):
    OUT_OF_HOURS = "out_of_hours"
    SHORT_RING = "short_ring"
    NOBODY_AVAILABLE = "nobody_available"
    ABANDONED = "abandoned"
    UNANSWERED = "unanswered"


class PeriodProblem(enum.StrEnum):
    FROM = "from"
    UNTIL = "until"
    ORDER = "order"
    LONG = "long"


class PeriodError(InvalidInput):
    """A period that cannot be read; ``problem`` says which part is wrong, ``year`` that it is a
    real date out of :data:`YEARS`."""

    def __init__(self, problem: PeriodProblem, message: str, *, year: bool = False) -> None:
        super().__init__(message, field=problem.value)
        self.problem = problem
        self.year = year


@dataclass(frozen=True, slots=True)
class Period:
    """Whole days ``first`` to ``last`` (both included) in ``zone``; ``start``/``end`` in UTC."""

    first: date
    last: date
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        return _midnight(self.first, self.zone)

    @property
    def end(self) -> datetime:
        return _midnight(self.last + timedelta(days=1), self.zone)

    def contains(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def this_month(today: date, zone: ZoneInfo) -> Period:
    """The month of ``today``, its first day to its last."""
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(first, following - timedelta(days=1), zone)


def _day(text: str, problem: PeriodProblem) -> date:
    try:
        day = read_date(text, problem.value)
    except InvalidInput:
        raise PeriodError(problem, f"{text[:40]!r} is not a date like 2026-11-01") from None
    if day.year not in YEARS:
        raise PeriodError(
            problem,
            f"{text[:40]!r}: a year from {YEARS.start} to {YEARS.stop - 1}",
            year=True,
        )
    return day


def read_period(first: str | None, last: str | None, today: date, zone: ZoneInfo) -> Period:
    """The period ``first``..``last`` (``2026-11-01`` or ``01.11.2026``; either left out or blank:
    this month's first or last day)."""
    month = this_month(today, zone)
    start = _day(first, PeriodProblem.FROM) if first and first.strip() else month.first
    end = _day(last, PeriodProblem.UNTIL) if last and last.strip() else month.last
    if end < start:
        raise PeriodError(
            PeriodProblem.ORDER, f"the period ends ({end}) before it starts ({start})"
        )
    if end - start >= LONGEST:
        raise PeriodError(PeriodProblem.LONG, "a period is at most a year")
    return Period(start, end, zone)


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodCall:
    """A call of the period as storage reads it."""

    id: int
    direction: str
    outcome: str | None
    started_at: datetime
    ended_at: datetime | None
    number: str
    client_id: int | None = None
    client_name: str | None = None
    # The manager who answered it; the case it counted for and who answers for that case; the
    # client's personal manager; the managers whose phones rang, first first.
    answered_by: int | None = None
    case_id: int | None = None
    case_manager_id: int | None = None
    client_manager_id: int | None = None
    rang: tuple[int, ...] = ()
    # The PBX said a leg was busy, unavailable or failed.
    refused: bool = False
    recorded: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodCase:
    """A callback case whose first miss is in the period."""

    id: int
    manager_id: int | None
    status: str
    first_missed_at: datetime
    returned_at: datetime | None
    escalated_at: datetime | None


def owner_of(call: PeriodCall) -> int | None:
    """Whose call it is: who answered it; for a miss counted in a case, whoever answers for the
    case; for an outbound call, the manager who placed it; else the client's personal manager,
    else the first manager whose phone rang (None: nobody's)."""
    if call.answered_by is not None:
        return call.answered_by
    if call.case_id is not None:
        return call.case_manager_id
    if call.direction != Direction.OUTBOUND and call.client_manager_id is not None:
        return call.client_manager_id
    return call.rang[0] if call.rang else None


@dataclass(frozen=True, slots=True)
class Rules:
    """What the classification needs of the company: its hours, calendar and shortest ring."""

    hours: WorkingHours
    calendar: Calendar = ORDINARY
    min_ring_time: timedelta = timedelta(0)


def miss_reason(call: PeriodCall, rules: Rules) -> MissReason | None:
    """Why a missed call was missed (None: it was not missed)."""
    if not is_missed(call.direction, call.outcome):
        return None
    if not rules.hours.contains(call.started_at, rules.calendar):
        return MissReason.OUT_OF_HOURS
    if call.ended_at is not None and call.ended_at - call.started_at < rules.min_ring_time:
        return MissReason.SHORT_RING
    if call.refused or call.outcome == Outcome.BUSY:
        return MissReason.NOBODY_AVAILABLE
    if not call.rang:
        return MissReason.ABANDONED
    return MissReason.UNANSWERED


def day_ranges(hours: WorkingHours, calendar: Calendar, day: date) -> list[tuple[int, int]]:
    """The working minutes of ``day`` (as ``WorkingHours.contains`` reads them): none on a
    holiday, an hour less on a shortened day, a weekday's on a weekend worked."""
    kind = calendar.kind(day)
    if kind is DayKind.HOLIDAY:
        return []
    ranges = list(hours.ranges[day.weekday()])
    if kind is DayKind.WORKING and day.weekday() >= 5:
        ranges = list(next((r for r in hours.ranges[:5] if r), tuple(ranges)))
    if kind is DayKind.SHORT and ranges:
        *rest, (start, end) = sorted(ranges)
        ranges = [*rest, (start, end - SHORTENED_BY)] if end - SHORTENED_BY > start else rest
    return ranges


def working_time(
    start: datetime, end: datetime, hours: WorkingHours, calendar: Calendar = ORDINARY
) -> timedelta:
    """The working time between two moments, day by day (not minute by minute)."""
    total = timedelta(0)
    if end <= start:
        return total
    zone = hours.zone
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    while day <= last:
        midnight = datetime.combine(day, time(0), tzinfo=zone)
        for low, high in day_ranges(hours, calendar, day):
            opens = (midnight + timedelta(minutes=low)).astimezone(UTC)
            closes = (midnight + timedelta(minutes=high)).astimezone(UTC)
            overlap = min(closes, end) - max(opens, start)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total


def wait_bucket(case: PeriodCase, rules: Rules) -> Wait:
    """How long the case's caller waited for the callback (NOT_YET: never called back)."""
    if case.status != CaseStatus.RETURNED or case.returned_at is None:
        return Wait.NOT_YET
    waited = case.returned_at - case.first_missed_at
    if waited <= SOON:
        return Wait.SOON
    if working_time(case.first_missed_at, case.returned_at, rules.hours, rules.calendar) <= (
        WORKING_DAY
    ):
        return Wait.SAME_DAY
    return Wait.LATER


def median(values: Sequence[timedelta]) -> timedelta | None:
    if not values:
        return None
    return timedelta(seconds=statistics.median(v.total_seconds() for v in values))


def percentile(values: Sequence[timedelta], share: float) -> timedelta | None:
    """The nearest-rank percentile: the smallest value at least ``share`` of them reach."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


# A call, its owner and, when missed, why.
Counted = tuple[PeriodCall, int | None, MissReason | None]


@dataclass(frozen=True, slots=True)
class Classified:
    """A period's calls and cases, each with its owner and its reason or bucket."""

    calls: tuple[Counted, ...]
    cases: tuple[tuple[PeriodCase, Wait], ...]


def classify(calls: Iterable[PeriodCall], cases: Iterable[PeriodCase], rules: Rules) -> Classified:
    """Every inbound and outbound call with its owner and reason (internal calls left out), and
    every case not withdrawn with its bucket: one pass each."""
    return Classified(
        tuple(
            (c, owner_of(c), miss_reason(c, rules))
            for c in calls
            if c.direction in (Direction.INBOUND, Direction.OUTBOUND)
        ),
        tuple((c, wait_bucket(c, rules)) for c in cases if c.status != CaseStatus.WITHDRAWN),
    )


@dataclass(slots=True)
class Line:
    """One manager's figures (``manager_id`` None: nobody's; the total line has ``total``)."""

    manager_id: int | None
    total: bool = False
    calls_in: int = 0
    calls_out: int = 0
    missed: int = 0
    reasons: dict[MissReason, int] = field(default_factory=lambda: dict.fromkeys(MissReason, 0))
    waits: dict[Wait, int] = field(default_factory=lambda: dict.fromkeys(Wait, 0))
    escalated: int = 0
    waited: list[timedelta] = field(default_factory=list)

    @property
    def cases(self) -> int:
        return sum(self.waits.values())

    @property
    def median(self) -> timedelta | None:
        return median(self.waited)

    @property
    def p90(self) -> timedelta | None:
        return percentile(self.waited, 0.9)

    def figure(self, key: str) -> int:
        """The count named ``key`` (see :data:`FIGURES`)."""
        return _COUNTS[key](self)


FIGURES: tuple[str, ...] = (
    "calls_in",
    "calls_out",
    "missed",
    *(f"missed_{r.value}" for r in MissReason),
    *(f"returned_{w.value}" for w in Wait),
    "escalated",
)


def _reason(reason: MissReason) -> Callable[[Line], int]:
    return lambda line: line.reasons[reason]


def _wait(wait: Wait) -> Callable[[Line], int]:
    return lambda line: line.waits[wait]


_COUNTS: dict[str, Callable[[Line], int]] = {
    "calls_in": lambda line: line.calls_in,
    "calls_out": lambda line: line.calls_out,
    "missed": lambda line: line.missed,
    **{f"missed_{r.value}": _reason(r) for r in MissReason},
    **{f"returned_{w.value}": _wait(w) for w in Wait},
    "escalated": lambda line: line.escalated,
}


def _add(line: Line, call: PeriodCall, reason: MissReason | None) -> None:
    if call.direction == Direction.INBOUND:
        line.calls_in += 1
    else:
        line.calls_out += 1
    if reason is not None:
        line.missed += 1
        line.reasons[reason] += 1


def _add_case(line: Line, case: PeriodCase, wait: Wait) -> None:
    line.waits[wait] += 1
    if case.escalated_at is not None:
        line.escalated += 1
    if wait is not Wait.NOT_YET and case.returned_at is not None:
        line.waited.append(case.returned_at - case.first_missed_at)


def lines(
    classified: Classified, people: Sequence[int], sees: Callable[[int | None], bool]
) -> tuple[list[Line], Line]:
    """A line per manager of ``people`` (in that order) and per other manager whose calls or
    cases ``sees`` lets in, then nobody's (when seen and not empty), and the total of them."""
    found: dict[int | None, Line] = {m: Line(m) for m in people if sees(m)}
    total = Line(None, total=True)
    for call, owner, reason in classified.calls:
        if sees(owner):
            _add(found.setdefault(owner, Line(owner)), call, reason)
            _add(total, call, reason)
    for case, wait in classified.cases:
        if sees(case.manager_id):
            _add_case(found.setdefault(case.manager_id, Line(case.manager_id)), case, wait)
            _add_case(total, case, wait)
    ordered = [found.pop(m) for m in people if m in found]
    nobody = found.pop(None, None)
    ordered += [found[m] for m in sorted(m for m in found if m is not None)]
    if nobody is not None:
        ordered.append(nobody)
    return ordered, total


def calls_behind(
    classified: Classified,
    figure: str,
    whose: Callable[[int | None], bool],
) -> list[Counted]:
    """The calls a figure counts (each with its owner and reason), of the managers ``whose``
    lets in, in the order they came; for a figure of cases (a bucket, escalated) the missed
    calls those cases counted."""
    if figure not in _COUNTS:
        raise KeyError(figure)
    if figure.startswith("returned_") or figure == "escalated":
        wanted = {
            case.id
            for case, wait in classified.cases
            if whose(case.manager_id)
            and (
                case.escalated_at is not None
                if figure == "escalated"
                else f"returned_{wait.value}" == figure
            )
        }
        found = [c for c in classified.calls if c[0].case_id in wanted]
    else:
        found = [c for c in classified.calls if whose(c[1]) and _counts(figure, c[0], c[2])]
    return sorted(found, key=lambda c: (c[0].started_at, c[0].id))


def _counts(figure: str, call: PeriodCall, reason: MissReason | None) -> bool:
    if figure == "calls_in":
        return call.direction == Direction.INBOUND
    if figure == "calls_out":
        return call.direction == Direction.OUTBOUND
    if figure == "missed":
        return reason is not None
    return reason is not None and figure == f"missed_{reason.value}"
