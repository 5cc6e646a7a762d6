"""The reports page's pure figures: periods, why a call was missed, whose it is, how long a
callback took (in working time), the median and 90th percentile, and the lines and click-throughs
built from one classification."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hub.domain.calendar import Calendar, DayKind
from hub.domain.chart_figures import Wait
from hub.domain.hours import parse_hours
from hub.domain.report_figures import (
    MissReason,
    PeriodCall,
    PeriodCase,
    PeriodError,
    PeriodProblem,
    Rules,
    calls_behind,
    classify,
    day_ranges,
    lines,
    median,
    miss_reason,
    owner_of,
    percentile,
    read_period,
    wait_bucket,
    working_time,
)

MOSCOW = ZoneInfo("Europe/Moscow")
HOURS = parse_hours(dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "09:00-18:00"), MOSCOW.key)
RULES = Rules(HOURS, Calendar(), timedelta(seconds=10))
MONDAY = date(2026, 11, 23)


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=MOSCOW)


def call(
    number: int = 1,
    *,
    direction: str = "inbound",
    outcome: str | None = "missed",
    start: datetime | None = None,
    rings: int = 30,
    **fields: object,
) -> PeriodCall:
    began = start or at(23, 11)
    return PeriodCall(
        id=number,
        direction=direction,
        outcome=outcome,
        started_at=began,
        ended_at=began + timedelta(seconds=rings),
        number=f"+7916555{number:04d}",
        **fields,  # type: ignore[arg-type]
    )


def case(
    number: int, first: datetime, returned: datetime | None, manager: int | None = 7, **kw: object
) -> PeriodCase:
    return PeriodCase(
        id=number,
        manager_id=manager,
        status=str(kw.get("status", "returned" if returned else "open")),
        first_missed_at=first,
        returned_at=returned,
        escalated_at=kw.get("escalated"),  # type: ignore[arg-type]
    )


def test_a_period_defaults_to_this_month_and_takes_both_date_forms() -> None:
    today = date(2026, 11, 25)
    month = read_period(None, "", today, MOSCOW)
    assert (month.first, month.last) == (date(2026, 11, 1), date(2026, 11, 30))
    assert month.start == datetime(2026, 10, 31, 21, 0, tzinfo=UTC)
    assert month.end == datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
    year = read_period("2025-11-01", "2026-11-01", today, MOSCOW)  # 366 days: the longest
    assert year.end - year.start == timedelta(days=366)
    chosen = read_period("01.02.2026", "2026-02-28", today, MOSCOW)
    assert (chosen.first, chosen.last) == (date(2026, 2, 1), date(2026, 2, 28))
    assert read_period("2026-12-01", None, date(2026, 12, 5), MOSCOW).last == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("first", "last", "problem", "year"),
    [
        ("2026-13-01", "", PeriodProblem.FROM, False),
        ("", "31.02.2026", PeriodProblem.UNTIL, False),
        ("2026-11-30", "2026-11-01", PeriodProblem.ORDER, False),
        ("2025-10-01", "2026-11-01", PeriodProblem.LONG, False),
        # Real dates out of the years a period may fall in, refused before any arithmetic.
        ("9999-12-01", "9999-12-31", PeriodProblem.FROM, True),
        ("2999-12-01", "9999-12-31", PeriodProblem.UNTIL, True),
        ("0001-01-01", "0001-01-31", PeriodProblem.FROM, True),
        ("31.12.1999", "2000-01-05", PeriodProblem.FROM, True),
        ("", "01.01.3000", PeriodProblem.UNTIL, True),
    ],
)
def test_a_period_that_cannot_be_read_says_which_part(
    first: str, last: str, problem: PeriodProblem, year: bool
) -> None:
    with pytest.raises(PeriodError) as raised:
        read_period(first, last, date(2026, 11, 25), MOSCOW)
    assert (raised.value.problem, raised.value.year) == (problem, year)


def test_the_first_and_last_years_allowed_still_have_a_start_and_an_end() -> None:
    first = read_period(
        "2000-01-01", "2000-01-31", date(2026, 11, 25), ZoneInfo("Pacific/Kiritimati")
    )
    assert first.start == datetime(1999, 12, 31, 10, 0, tzinfo=UTC)
    last = read_period("2999-12-01", "31.12.2999", date(2026, 11, 25), ZoneInfo("Etc/GMT+12"))
    assert last.end == datetime(3000, 1, 1, 12, 0, tzinfo=UTC)


def test_a_miss_has_one_reason_the_first_that_applies() -> None:
    rang = (7,)
    assert miss_reason(call(start=at(23, 8), rings=2), RULES) is MissReason.OUT_OF_HOURS
    assert miss_reason(call(start=at(28, 12), rang=rang), RULES) is MissReason.OUT_OF_HOURS  # Sat
    assert miss_reason(call(rings=9, rang=rang), RULES) is MissReason.SHORT_RING
    assert miss_reason(call(rings=10, rang=rang), RULES) is MissReason.UNANSWERED
    busy = call(outcome="busy", rang=rang)
    assert miss_reason(busy, RULES) is MissReason.NOBODY_AVAILABLE
    assert miss_reason(call(refused=True, rang=rang), RULES) is MissReason.NOBODY_AVAILABLE
    assert miss_reason(call(outcome="abandoned"), RULES) is MissReason.ABANDONED
    assert miss_reason(call(outcome="answered", rang=rang), RULES) is None
    assert miss_reason(call(direction="outbound", outcome="unanswered"), RULES) is None
    holiday = Rules(HOURS, Calendar({MONDAY: DayKind.HOLIDAY}))
    assert miss_reason(call(rang=rang), holiday) is MissReason.OUT_OF_HOURS


def test_whose_a_call_is() -> None:
    assert owner_of(call(answered_by=3, case_id=9, case_manager_id=4)) == 3
    assert owner_of(call(case_id=9, case_manager_id=None, client_manager_id=5)) is None
    assert owner_of(call(client_manager_id=5, rang=(6,))) == 5
    assert owner_of(call(rang=(6, 8))) == 6
    assert owner_of(call(direction="outbound", client_manager_id=5, rang=(6,))) == 6
    assert owner_of(call()) is None


def test_working_time_counts_the_company_hours_and_calendar() -> None:
    friday_17 = at(27, 17)
    assert working_time(friday_17, at(30, 10), HOURS) == timedelta(hours=2)
    assert working_time(at(23, 11), at(24, 9, 50, 10), HOURS) == timedelta(
        hours=7, minutes=50, seconds=10
    )
    short = Calendar({MONDAY: DayKind.SHORT, date(2026, 11, 24): DayKind.HOLIDAY})
    assert working_time(at(23, 8), at(25, 10), HOURS, short) == timedelta(hours=9)
    assert working_time(at(25, 10), at(23, 10), HOURS) == timedelta(0)


def test_day_ranges_agree_with_the_hours_minute_by_minute() -> None:
    calendar = Calendar(
        {
            MONDAY: DayKind.SHORT,
            date(2026, 11, 24): DayKind.HOLIDAY,
            date(2026, 11, 28): DayKind.WORKING,
        }
    )
    for offset in range(7):
        day = MONDAY + timedelta(days=offset)
        ranges = day_ranges(HOURS, calendar, day)
        midnight = datetime(day.year, day.month, day.day, tzinfo=MOSCOW)
        for minute in range(0, 24 * 60, 15):
            inside = any(low <= minute < high for low, high in ranges)
            moment = midnight + timedelta(minutes=minute)
            assert inside == HOURS.contains(moment, calendar), (day, minute)


def test_wait_buckets_use_twenty_minutes_and_a_working_day() -> None:
    assert wait_bucket(case(1, at(23, 11), at(23, 11, 20)), RULES) is Wait.SOON
    assert wait_bucket(case(1, at(23, 11), at(23, 11, 20, 1)), RULES) is Wait.SAME_DAY
    # 22 h 50 min passed, 7 h 50 min of them working: within a working day.
    assert wait_bucket(case(1, at(23, 11), at(24, 9, 50)), RULES) is Wait.SAME_DAY
    assert wait_bucket(case(1, at(23, 11), at(24, 10, 0, 1)), RULES) is Wait.LATER
    # Friday 17:00 to Monday 10:00 is two working hours.
    assert wait_bucket(case(1, at(27, 17), at(30, 10)), RULES) is Wait.SAME_DAY
    assert wait_bucket(case(1, at(23, 11), None), RULES) is Wait.NOT_YET
    closed = case(1, at(23, 11), None, status="closed")
    assert wait_bucket(closed, RULES) is Wait.NOT_YET


def test_median_and_nearest_rank_percentile() -> None:
    minutes = [timedelta(minutes=m) for m in (40, 10, 30, 20)]
    assert median(minutes) == timedelta(minutes=25)
    assert median(minutes[:3]) == timedelta(minutes=30)
    assert percentile(minutes, 0.9) == timedelta(minutes=40)
    ten = [timedelta(minutes=m) for m in range(1, 11)]
    assert percentile(ten, 0.9) == timedelta(minutes=9)
    assert percentile(ten[:1], 0.9) == timedelta(minutes=1)
    assert median([]) is None and percentile([], 0.9) is None


def test_lines_and_click_throughs_come_from_one_classification() -> None:
    calls = [
        call(1, start=at(23, 8), case_id=11, case_manager_id=7),  # out of hours, 7's case
        call(2, case_id=12, case_manager_id=7, rang=(7,)),  # rang, unanswered
        call(3, outcome="abandoned", case_id=13, case_manager_id=None),  # nobody's
        call(4, outcome="answered", answered_by=8),
        call(5, direction="outbound", outcome="answered", answered_by=7),
        call(6, direction="internal", outcome="answered", answered_by=7),
        call(7, rings=3, rang=(8,)),  # a short ring of 8's
    ]
    cases = [
        case(11, at(23, 8), at(23, 8, 15), escalated=None),
        case(12, at(23, 11), at(24, 12)),
        case(13, at(23, 11), None, manager=None, escalated=at(24, 11)),
        case(14, at(23, 11), at(23, 11, 1), status="withdrawn"),
    ]
    classified = classify(calls, cases, RULES)
    found, total = lines(classified, [8, 7, 9], lambda manager: True)
    assert [line.manager_id for line in found] == [8, 7, 9, None]
    seven = found[1]
    assert (seven.calls_in, seven.calls_out, seven.missed) == (2, 1, 2)
    assert seven.reasons[MissReason.OUT_OF_HOURS] == 1
    assert seven.reasons[MissReason.UNANSWERED] == 1
    assert seven.waits == {Wait.SOON: 1, Wait.SAME_DAY: 0, Wait.LATER: 1, Wait.NOT_YET: 0}
    assert seven.median == timedelta(hours=12, minutes=37, seconds=30)
    assert seven.p90 == timedelta(hours=25)
    assert (total.calls_in, total.calls_out, total.missed, total.escalated) == (5, 1, 4, 1)
    assert total.cases == 3  # the withdrawn case needed no callback
    assert found[3].figure("missed_abandoned") == 1
    assert found[0].figure("missed_short_ring") == 1

    def ids(figure: str, whose: int | None) -> list[int]:
        return [c.id for c, _, _ in calls_behind(classified, figure, lambda m: m == whose)]

    assert ids("missed", 7) == [1, 2]
    assert ids("missed_short_ring", 8) == [7]
    assert ids("returned_later", 7) == [2]
    assert ids("escalated", None) == [3]
    assert ids("calls_out", 7) == [5]
    # Only what the person sees: a supervisor who is not shown 8's calls gets none of them.
    seen, team_total = lines(classified, [7], lambda manager: manager != 8)
    assert [line.manager_id for line in seen] == [7, None]
    assert team_total.calls_in == 3
    with pytest.raises(KeyError):
        calls_behind(classified, "nonsense", lambda m: True)
