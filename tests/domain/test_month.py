"""Months of the month-end report on plain dates: windows, the last working day, when it is due."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from hub.domain.errors import InvalidInput
from hub.domain.month import Month, last_working_day, report_day, report_due, report_window

MOSCOW = ZoneInfo("Europe/Moscow")
TEN = time(10, 0)


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        (Month(2026, 10), date(2026, 10, 30)),  # ends on a Saturday: Friday the 30th
        (Month(2026, 5), date(2026, 5, 29)),  # ends on a Sunday: Friday the 29th
        (Month(2026, 11), date(2026, 11, 30)),  # ends on a Monday: that day
        (Month(2026, 2), date(2026, 2, 27)),  # February ends on a Saturday
        (Month(2024, 2), date(2024, 2, 29)),  # a leap year's February, a Thursday
        (Month(2026, 12), date(2026, 12, 31)),  # the year's end, a Thursday
    ],
)
def test_last_working_day(month: Month, expected: date) -> None:
    assert last_working_day(month) == expected
    assert report_day(month, "last-working") == expected


def test_a_holiday_calendar_plugs_in() -> None:
    holidays = {date(2026, 12, 31), date(2026, 12, 30)}

    def working(day: date) -> bool:
        return day.weekday() < 5 and day not in holidays

    assert last_working_day(Month(2026, 12), working) == date(2026, 12, 29)
    assert last_working_day(Month(2026, 12), lambda day: False) == date(2026, 12, 31)


def test_a_day_of_the_month() -> None:
    assert report_day(Month(2026, 11), 25) == date(2026, 11, 25)


def test_months_parse_and_their_windows() -> None:
    november = Month.parse("2026-11")
    assert november == Month(2026, 11) and november.label == "2026-11"
    assert Month(2026, 12).following() == Month(2027, 1)
    start, end = november.window(MOSCOW)
    assert start == datetime(2026, 10, 31, 21, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 21, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-13", "month 13 is not from 01 to 12"),
        ("2026-00", "month 00 is not from 01 to 12"),
        ("2026-1", "must be YYYY-MM"),
        ("november", "must be YYYY-MM"),
        ("1969-12", "year 1969"),
        ("２０２６-11", "must be YYYY-MM"),
    ],
)
def test_bad_months_say_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem) as caught:
        Month.parse(text)
    assert caught.value.field == "month"


def _moscow(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=MOSCOW)


@pytest.mark.parametrize("month", [Month(2026, 10), Month(2026, 5), Month(2026, 11)])
def test_due_from_the_report_moment_to_the_month_end(month: Month) -> None:
    day = last_working_day(month)
    before = _moscow(day, 9, 59)
    assert report_due(before, "last-working", TEN, MOSCOW) is None
    assert report_due(before - timedelta(days=1), "last-working", TEN, MOSCOW) is None
    assert report_due(_moscow(day, 10), "last-working", TEN, MOSCOW) == month
    # Later that month (the weekend after it; the service was down): still due, once by key.
    last = _moscow(month.last_day, 23, 59)
    assert report_due(last, "last-working", TEN, MOSCOW) == month
    # The next month's first day: that month's report, not yet.
    assert report_due(last + timedelta(minutes=1), "last-working", TEN, MOSCOW) is None


def test_due_on_a_day_of_the_month() -> None:
    day = date(2026, 11, 25)
    assert report_due(_moscow(day, 9, 59), 25, TEN, MOSCOW) is None
    assert report_due(_moscow(day, 10), 25, TEN, MOSCOW) == Month(2026, 11)
    assert report_due(_moscow(day - timedelta(days=1), 12), 25, TEN, MOSCOW) is None
    # The time is the company's: 07:00 UTC is 10:00 in Moscow.
    assert report_due(datetime(2026, 11, 25, 7, 0, tzinfo=UTC), 25, TEN, MOSCOW) is not None


def test_each_report_covers_the_calls_since_the_previous_one() -> None:
    zone = ZoneInfo("Europe/Moscow")
    at = time(10, 0)
    november = report_window(Month(2026, 11), "last-working", at, zone)
    december = report_window(Month(2026, 12), "last-working", at, zone)
    # Fri 30 Oct 10:00 → Mon 30 Nov 10:00 → Thu 31 Dec 10:00 (Moscow): back to back.
    assert november == (
        datetime(2026, 10, 30, 7, 0, tzinfo=UTC),
        datetime(2026, 11, 30, 7, 0, tzinfo=UTC),
    )
    assert december[0] == november[1]
    assert report_window(Month(2027, 1), 5, at, zone)[0] == datetime(2026, 12, 5, 7, tzinfo=UTC)
    assert Month(2027, 1).previous() == Month(2026, 12)
