"""Calendar months of the month-end reports: a month's window in the company's zone, and the day
its report goes out.

Which days are working days is one pure function of a date (:func:`is_working_day`: Monday to
Friday), passed to whatever picks a day, so a holiday calendar can take its place later without
touching the rest. The report of a month goes out on its report day at the report time; a run
later in the same month (the service was down, or restarted) still sends what was not sent —
once, because each message's outbox key names the month.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from hub.domain.errors import InvalidInput

WorkingDay = Callable[[date], bool]
ReportDay = Literal["last-working"] | int

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def is_working_day(day: date) -> bool:
    """Monday to Friday: the ordinary week (the company calendar, ``Calendar.is_working_day``,
    knows the holidays and transfers)."""
    return day.weekday() < 5


@dataclass(frozen=True, slots=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str, field: str = "month") -> Month:
        """``YYYY-MM`` (e.g. ``2026-11``); anything else is :class:`InvalidInput`."""
        found = _MONTH.fullmatch(text.strip())
        if found is None:
            raise InvalidInput(f"{field} must be YYYY-MM, e.g. 2026-11; got {text!r}", field=field)
        year, month = int(found[1]), int(found[2])
        if not 1 <= month <= 12:
            raise InvalidInput(f"{field}: month {month:02d} is not from 01 to 12", field=field)
        if not 1970 <= year <= 9998:
            raise InvalidInput(f"{field}: year {year} is not from 1970 to 9998", field=field)
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.following().first_day - timedelta(days=1)

    def following(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def window(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) of the month in ``zone``, as UTC moments."""
        return _midnight(self.first_day, zone), _midnight(self.following().first_day, zone)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def last_working_day(month: Month, working: WorkingDay = is_working_day) -> date:
    """The month's last working day (its last day, if the calendar leaves it none)."""
    day = month.last_day
    while not working(day):
        day -= timedelta(days=1)
        if day < month.first_day:
            return month.last_day
    return day


def report_day(month: Month, setting: ReportDay, working: WorkingDay = is_working_day) -> date:
    """The day the month's report goes out: its last working day, or the given day (1-28)."""
    if setting == "last-working":
        return last_working_day(month, working)
    return date(month.year, month.month, setting)


def report_due(
    now: datetime,
    setting: ReportDay,
    at: time,
    zone: ZoneInfo,
    working: WorkingDay = is_working_day,
) -> Month | None:
    """The month whose report is due at ``now``: from its report day's ``at`` (in ``zone``)
    to the month's end; ``None`` before that."""
    local = now.astimezone(zone)
    month = Month.of(local.date())
    day = report_day(month, setting, working)
    if local.date() > day or (local.date() == day and local.time() >= at):
        return month
    return None


def report_moment(
    month: Month, setting: ReportDay, at: time, zone: ZoneInfo, working: WorkingDay = is_working_day
) -> datetime:
    """When the month's report is due, as a UTC moment."""
    day = report_day(month, setting, working)
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def report_window(
    month: Month, setting: ReportDay, at: time, zone: ZoneInfo, working: WorkingDay = is_working_day
) -> tuple[datetime, datetime]:
    """[start, end) of the calls the month's report covers: from the previous month's report
    to this one's — the report goes out before the month ends, so the days after it belong to
    the next report, and no call falls between two."""
    return (
        report_moment(month.previous(), setting, at, zone, working),
        report_moment(month, setting, at, zone, working),
    )
