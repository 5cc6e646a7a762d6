"""The company calendar: holidays, shortened days and weekends worked, and what reads it —
working hours, escalation deadlines, the daily digest's window, the month's last working day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hub.domain.calendar import Calendar, DayKind, read_date, read_kind
from hub.domain.deadlines import EscalationPolicy, escalation_deadline
from hub.domain.digest import daily_window
from hub.domain.errors import InvalidInput
from hub.domain.hours import parse_hours
from hub.domain.month import Month, last_working_day

MOSCOW = ZoneInfo("Europe/Moscow")
# Russia's New Year holidays of 2027 (1–8 January), a shortened eve, and a Saturday worked.
NEW_YEAR = {date(2027, 1, d): DayKind.HOLIDAY for d in range(1, 9)}
CALENDAR = Calendar(
    {
        **NEW_YEAR,
        date(2026, 12, 31): DayKind.SHORT,
        date(2027, 2, 20): DayKind.WORKING,  # a Saturday
        date(2027, 5, 31): DayKind.HOLIDAY,  # a Monday: the month's last weekday is off
    }
)


def test_which_days_are_worked() -> None:
    assert not CALENDAR.is_working_day(date(2027, 1, 4))  # a Monday of the holidays
    assert CALENDAR.is_working_day(date(2027, 1, 11))
    assert CALENDAR.is_working_day(date(2027, 2, 20))  # the Saturday worked
    assert not CALENDAR.is_working_day(date(2027, 2, 21))  # an ordinary Sunday
    assert CALENDAR.is_working_day(date(2026, 12, 31))  # shortened, still worked
    assert CALENDAR.previous_working_day(date(2027, 1, 11)) == date(2026, 12, 31)


def test_working_hours_on_holidays_short_days_and_weekends_worked() -> None:
    hours = parse_hours(
        dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "09:00-18:00"), "Europe/Moscow"
    )

    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=MOSCOW)

    assert hours.contains(at(date(2027, 1, 5), 12))  # without a calendar: an ordinary Tuesday
    assert not hours.contains(at(date(2027, 1, 5), 12), CALENDAR)
    assert hours.contains(at(date(2026, 12, 31), 16, 59), CALENDAR)
    assert not hours.contains(at(date(2026, 12, 31), 17), CALENDAR)  # an hour shorter
    assert hours.contains(at(date(2027, 2, 20), 10), CALENDAR)  # Saturday worked: weekday hours
    assert not hours.contains(at(date(2027, 2, 20), 10))


def test_escalation_counts_no_working_time_over_the_holidays() -> None:
    policy = EscalationPolicy.build(
        timedelta(hours=24), working_hours_only=True, hours="09:00-18:00", zone="Europe/Moscow"
    )
    missed = datetime(2026, 12, 30, 17, 0, tzinfo=MOSCOW)  # Wednesday 17:00
    # 1 h on the 30th, 8 h on the shortened 31st, then nothing until Monday 11 January:
    # 9 h on the 11th, the last 6 h on Tuesday the 12th.
    assert escalation_deadline(missed, policy, CALENDAR) == datetime(
        2027, 1, 12, 15, 0, tzinfo=MOSCOW
    )
    # Without the calendar the holidays would count as weekdays.
    assert escalation_deadline(missed, policy) < datetime(2027, 1, 6, tzinfo=MOSCOW)


def test_the_daily_digest_covers_the_days_since_the_previous_working_day() -> None:
    tuesday = datetime(2027, 1, 12, 9, 0, tzinfo=MOSCOW)
    assert daily_window(tuesday, MOSCOW, CALENDAR).label == "2027-01-11"
    after_holidays = datetime(2027, 1, 11, 9, 0, tzinfo=MOSCOW)
    window = daily_window(after_holidays, MOSCOW, CALENDAR)
    assert window.label == "2026-12-31..2027-01-10"
    assert window.start == datetime(2026, 12, 31, tzinfo=MOSCOW)
    assert window.end == datetime(2027, 1, 11, tzinfo=MOSCOW)
    monday = datetime(2027, 1, 18, 9, 0, tzinfo=MOSCOW)
    assert daily_window(monday, MOSCOW, CALENDAR).label == "2027-01-15..2027-01-17"


def test_the_months_last_working_day_skips_a_holiday() -> None:
    may = Month(2027, 5)
    assert last_working_day(may) == date(2027, 5, 31)
    assert last_working_day(may, CALENDAR.is_working_day) == date(2027, 5, 28)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("holiday", DayKind.HOLIDAY),
        ("Выходной", DayKind.HOLIDAY),
        ("сокращённый", DayKind.SHORT),
        ("рабочий", DayKind.WORKING),
        ("short", DayKind.SHORT),
    ],
)
def test_kinds_as_calendars_write_them(text: str, kind: DayKind) -> None:
    assert read_kind(text) is kind


def test_bad_days_are_named() -> None:
    with pytest.raises(InvalidInput, match="'vacation' is not a kind of day"):
        read_kind("vacation")
    assert read_date("08.01.2027") == date(2027, 1, 8)
    with pytest.raises(InvalidInput, match="'2027-02-30' is not a date") as caught:
        read_date("2027-02-30", "days[3].date")
    assert caught.value.field == "days[3].date"
