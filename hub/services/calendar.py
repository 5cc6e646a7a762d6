"""The company calendar as the service keeps it: the configured days (``company.holidays``,
``short_days``, ``working_days``) with the database's written over them, a year at a time.

A year is replaced whole (``PUT /api/v1/calendar``, ``dozvon calendar import``), checked first
and audited (entity ``calendar``, the year as its id): every instance's routing reads the change
from the audit log like any directory change, and so do the escalation deadlines, the digests
and the month-end reports, which ask the routing snapshot's calendar.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Annotated, Any

from pydantic import Field

from hub.domain.calendar import Calendar, DayKind, read_date, read_kind
from hub.domain.errors import InvalidInput
from hub.services.directory.commands import Body
from storage.repositories.calendar import CalendarRepository
from storage.uow import UnitOfWork

Year = Annotated[int, Field(ge=2000, le=2100)]


class CalendarDayBody(Body):
    date: Annotated[str, Field(max_length=20)]
    kind: Annotated[str, Field(max_length=40)]


class CalendarYear(Body):
    """``PUT /api/v1/calendar``: a year's special days, replacing what the year had."""

    year: Year
    days: list[CalendarDayBody] = Field(max_length=366)


def configured(
    holidays: Iterable[date], short_days: Iterable[date], working_days: Iterable[date]
) -> Calendar:
    """The calendar the configuration names."""
    days = dict.fromkeys(holidays, DayKind.HOLIDAY)
    days |= dict.fromkeys(short_days, DayKind.SHORT)
    days |= dict.fromkeys(working_days, DayKind.WORKING)
    return Calendar(days)


async def stored_days(calendar: CalendarRepository) -> dict[date, DayKind]:
    """The days written in the database, each with its kind."""
    return {day: DayKind(kind) for day, kind in (await calendar.days()).items()}


async def stored_calendar(uow: UnitOfWork) -> dict[date, DayKind]:
    return await stored_days(uow.calendar)


async def current_calendar(uow: UnitOfWork, configured_days: Calendar) -> Calendar:
    """``configured_days`` with the database's days written over them."""
    return configured_days.merged(await stored_calendar(uow))


def year_days(
    year: int, entries: Sequence[tuple[str, str]], *, where: str = "days"
) -> dict[date, DayKind]:
    """A year's days read from (date, kind) texts, each checked: a date of that year, once."""
    days: dict[date, DayKind] = {}
    for index, (day_text, kind_text) in enumerate(entries):
        day = read_date(day_text, f"{where}[{index}].date")
        if day.year != year:
            raise InvalidInput(f"{day} is not in {year}", field=f"{where}[{index}].date")
        if day in days:
            raise InvalidInput(f"{day} is named twice", field=f"{where}[{index}].date")
        days[day] = read_kind(kind_text, f"{where}[{index}].kind")
    return days


async def put_year(
    uow: UnitOfWork, year: int, days: dict[date, DayKind], *, actor: str
) -> dict[str, Any]:
    """Replace the year's stored days with ``days``, audited; returns the year as stored. The
    caller commits."""
    before = {d: k for d, k in (await stored_calendar(uow)).items() if d.year == year}
    await uow.calendar.replace_year(year, {d: str(k) for d, k in days.items()})
    if before != days:
        uow.audit.record(
            actor=actor,
            action="update",
            entity="calendar",
            entity_id=year,
            before={d.isoformat(): str(k) for d, k in sorted(before.items())},
            after={d.isoformat(): str(k) for d, k in sorted(days.items())},
        )
    return {
        "year": year,
        "days": [{"date": d.isoformat(), "kind": str(k)} for d, k in sorted(days.items())],
    }


def year_view(calendar: Calendar, stored: Iterable[date], year: int) -> dict[str, Any]:
    """The year as the service works it: each special day, its kind and where it is kept, and
    how many working days each month has."""
    kept = set(stored)
    days = [
        {"date": d.isoformat(), "kind": str(k), "source": "database" if d in kept else "config"}
        for d, k in calendar.of_year(year).items()
    ]
    months: dict[str, int] = {}
    for month in range(1, 13):
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        count = sum(
            calendar.is_working_day(date.fromordinal(n))
            for n in range(first.toordinal(), following.toordinal())
        )
        months[f"{year}-{month:02d}"] = count
    return {"year": year, "days": days, "working_days": months}
