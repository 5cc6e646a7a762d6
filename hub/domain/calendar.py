"""The company calendar: which dates are not ordinary — public holidays, shortened days before
them, and weekends made working days by a transfer (Russia's production calendar: 1–8 January,
the May holidays, a Saturday worked for a Friday off).

A date the calendar does not name is an ordinary day: Monday to Friday working, the weekend
not. The calendar is a plain value; what reads it asks :meth:`Calendar.kind` or
:meth:`Calendar.is_working_day`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from hub.domain.errors import InvalidInput


class DayKind(enum.StrEnum):
    HOLIDAY = "holiday"  # not worked (a public holiday, a day off moved onto a weekday)
    SHORT = "short"  # worked, one hour shorter (the eve of a holiday)
    WORKING = "working"  # a weekend day worked (a transfer)


# The words a production calendar's export uses, in Russian and English.
_KINDS = {
    "holiday": DayKind.HOLIDAY,
    "nonworking": DayKind.HOLIDAY,
    "non-working": DayKind.HOLIDAY,
    "day off": DayKind.HOLIDAY,
    "выходной": DayKind.HOLIDAY,
    "праздник": DayKind.HOLIDAY,
    "праздничный": DayKind.HOLIDAY,
    "нерабочий": DayKind.HOLIDAY,
    "short": DayKind.SHORT,
    "shortened": DayKind.SHORT,
    "сокращённый": DayKind.SHORT,
    "сокращенный": DayKind.SHORT,
    "предпраздничный": DayKind.SHORT,
    "working": DayKind.WORKING,
    "workday": DayKind.WORKING,
    "рабочий": DayKind.WORKING,
}


def read_kind(text: str, field: str = "kind") -> DayKind:
    """A day's kind as a production calendar writes it (``holiday``, «выходной», «сокращённый»…)."""
    kind = _KINDS.get(" ".join(text.strip().casefold().split()))
    if kind is None:
        raise InvalidInput(
            f"{text!r} is not a kind of day: holiday (выходной), short (сокращённый) or "
            "working (рабочий)",
            field=field,
        )
    return kind


def read_date(text: str, field: str = "date") -> date:
    """A date written ``2027-01-08`` or ``08.01.2027``."""
    value = text.strip()
    try:
        if len(value) == 10 and value[2] == "." and value[5] == ".":
            return date(int(value[6:]), int(value[3:5]), int(value[:2]))
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a date like 2027-01-08", field=field) from None


@dataclass(frozen=True, slots=True)
class Calendar:
    """The company's special days."""

    days: Mapping[date, DayKind] = field(default_factory=dict)

    def kind(self, day: date) -> DayKind | None:
        return self.days.get(day)

    def is_working_day(self, day: date) -> bool:
        """A date people work: Monday to Friday unless a holiday, a weekend day worked by a
        transfer."""
        kind = self.days.get(day)
        if kind is DayKind.HOLIDAY:
            return False
        if kind in (DayKind.WORKING, DayKind.SHORT):
            return True
        return day.weekday() < 5

    def previous_working_day(self, day: date) -> date:
        """The last working day before ``day`` (within a year; else the day before)."""
        for back in range(1, 366):
            candidate = date.fromordinal(day.toordinal() - back)
            if self.is_working_day(candidate):
                return candidate
        return date.fromordinal(day.toordinal() - 1)

    def merged(self, days: Mapping[date, DayKind]) -> Calendar:
        """This calendar with ``days`` written over it."""
        return Calendar({**self.days, **days})

    def of_year(self, year: int) -> dict[date, DayKind]:
        return {d: k for d, k in sorted(self.days.items()) if d.year == year}


def calendar_of(entries: Iterable[tuple[date, DayKind]]) -> Calendar:
    return Calendar(dict(entries))


ORDINARY = Calendar()
