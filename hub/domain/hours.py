"""Working hours: ``{"mon": "09:00-18:00", "fri": "09:00-13:00,14:00-17:00"}`` in a time zone."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from hub.domain.calendar import ORDINARY, Calendar, DayKind

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


class HoursError(ValueError):
    """Working hours written in a form we cannot read."""


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """Minute ranges per weekday (0 = Monday); a range past midnight spills into the next day."""

    ranges: tuple[tuple[tuple[int, int], ...], ...]
    zone: ZoneInfo

    def contains(self, moment: datetime, calendar: Calendar = ORDINARY) -> bool:
        """Is ``moment`` within the hours? On the ``calendar``'s holidays nobody works; a
        shortened day ends an hour earlier; a weekend worked by a transfer keeps the hours of
        the first weekday that has some."""
        local = moment.astimezone(self.zone)
        minute = local.hour * 60 + local.minute
        kind = calendar.kind(local.date())
        if kind is DayKind.HOLIDAY:
            return False
        ranges = self.ranges[local.weekday()]
        if kind is DayKind.WORKING and local.weekday() >= 5:
            ranges = next((day for day in self.ranges[:5] if day), ranges)
        if kind is DayKind.SHORT and ranges:
            ranges = _shortened(ranges)
        return any(start <= minute < end for start, end in ranges)


SHORTENED_BY = 60  # minutes: the eve of a public holiday is an hour shorter


def _shortened(ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """The day's ranges with the last one ending an hour earlier (dropped if nothing is left)."""
    *rest, (start, end) = sorted(ranges)
    cut = end - SHORTENED_BY
    return (*rest, (start, cut)) if cut > start else tuple(rest)


def _minutes(hour: str, minute: str) -> int:
    h, m = int(hour), int(minute)
    if h > 24 or m > 59 or (h == 24 and m):
        raise HoursError(f"{hour}:{minute} is not a time of day")
    return h * 60 + m


def parse_hours(spec: Mapping[str, object], zone: str) -> WorkingHours:
    """Read a working-hours mapping; days left out (or null/empty) are days off."""
    unknown = sorted(set(spec) - set(DAYS))
    if unknown:
        raise HoursError(f"unknown day {unknown[0]!r}; use {', '.join(DAYS)}")
    per_day: list[list[tuple[int, int]]] = [[] for _ in DAYS]
    for index, day in enumerate(DAYS):
        value = spec.get(day)
        if value in (None, ""):
            continue
        if not isinstance(value, str):
            raise HoursError(f"{day}: expected text like '09:00-18:00'")
        for part in value.split(","):
            match = _RANGE.match(part.strip())
            if not match:
                raise HoursError(f"{day}: {part.strip()!r} is not a range like '09:00-18:00'")
            start = _minutes(match.group(1), match.group(2))
            end = _minutes(match.group(3), match.group(4))
            if start == end:
                raise HoursError(f"{day}: {part.strip()!r} is an empty range")
            if start < end:
                per_day[index].append((start, end))
            else:
                per_day[index].append((start, 24 * 60))
                per_day[(index + 1) % 7].append((0, end))
    return WorkingHours(ranges=tuple(tuple(day) for day in per_day), zone=ZoneInfo(zone))
