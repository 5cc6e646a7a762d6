"""What the charts draw: per-day counts, callback waits in buckets, calls per manager."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hub.domain.chart_figures import (
    AttributedCall,
    DayCount,
    ManagerCalls,
    Wait,
    per_day,
    per_manager,
    wait_of,
    waits,
    window_days,
)
from hub.domain.digest import CallRow, CaseRow, daily_window, figures, weekly_window

MSK = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
# Monday 23 November 2026, 09:00 in Moscow: last week is the 16th to the 22nd.
MONDAY = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


def _msk(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=MSK)


def _call(at: datetime, direction: str = "inbound", outcome: str | None = "missed") -> CallRow:
    return CallRow(direction=direction, outcome=outcome, started_at=at, caller_kind="external")


def _case(first: datetime, returned: datetime | None, status: str = "returned") -> CaseRow:
    return CaseRow(status=status, first_missed_at=first, returned_at=returned, escalated_at=None)


def test_the_days_of_a_window_in_the_company_zone() -> None:
    week = weekly_window(MONDAY, MSK)
    assert window_days(week, MSK) == [date(2026, 11, 16) + timedelta(days=n) for n in range(7)]
    assert window_days(daily_window(MONDAY, MSK), MSK) == [
        date(2026, 11, 20),
        date(2026, 11, 21),
        date(2026, 11, 22),
    ]
    # Across the change to summer time (a 23-hour Sunday) still three days.
    spring = daily_window(datetime(2026, 3, 30, 8, 0, tzinfo=UTC), BERLIN)
    assert window_days(spring, BERLIN) == [date(2026, 3, 27), date(2026, 3, 28), date(2026, 3, 29)]


def test_missed_and_returned_per_day_add_up_to_the_digest() -> None:
    week = weekly_window(MONDAY, MSK)
    calls = [
        _call(_msk(15, 23, 59)),  # the Sunday before: not counted
        _call(_msk(16, 0, 0)),  # midnight in Moscow opens the week
        _call(_msk(16, 10)),
        _call(_msk(16, 11), outcome="answered"),
        _call(_msk(18, 12), direction="outbound", outcome="unanswered"),
        _call(_msk(22, 23, 59)),
        _call(_msk(23, 0, 0)),  # the next Monday: not counted
    ]
    cases = [
        _case(_msk(16, 10), _msk(16, 10, 15)),
        _case(_msk(16, 10), _msk(17, 9)),
        _case(_msk(10, 10), _msk(10, 11)),  # returned before the week: not counted
        _case(_msk(22, 10), None, status="open"),
    ]
    days = per_day(week, MSK, calls, cases)
    assert [d.day for d in days] == window_days(week, MSK)
    assert [(d.missed, d.returned) for d in days] == [
        (2, 1),
        (0, 1),
        (0, 0),
        (0, 0),
        (0, 0),
        (0, 0),
        (1, 0),
    ]
    digest = figures(week, calls, cases, 0)
    assert sum(d.missed for d in days) == digest.missed
    assert sum(d.returned for d in days) == digest.returned
    assert per_day(week, MSK, [], []) == [
        DayCount(day=d, missed=0, returned=0) for d in window_days(week, MSK)
    ]


def test_waits_in_the_buckets_people_use() -> None:
    assert wait_of(timedelta(minutes=20)) is Wait.SOON
    assert wait_of(timedelta(minutes=20, seconds=1)) is Wait.SAME_DAY
    assert wait_of(timedelta(hours=8)) is Wait.SAME_DAY
    assert wait_of(timedelta(hours=8, seconds=1)) is Wait.LATER
    assert wait_of(None) is Wait.NOT_YET


def test_waits_agree_with_the_digest() -> None:
    week = weekly_window(MONDAY, MSK)
    cases = [
        _case(_msk(16, 10), _msk(16, 10, 5)),  # 5 min
        _case(_msk(16, 10), _msk(16, 10, 20)),  # 20 min
        _case(_msk(17, 10), _msk(17, 15)),  # 5 h
        _case(_msk(14, 10), _msk(16, 10)),  # 2 days, opened before the week
        _case(_msk(20, 10), None, status="open"),
        _case(_msk(12, 10), None, status="escalated"),
        _case(_msk(23, 10), None, status="open"),  # opened after the week
        _case(_msk(18, 10), None, status="closed"),  # closed by hand: neither
    ]
    counts = waits(week, cases)
    assert list(counts) == list(Wait)
    assert counts == {Wait.SOON: 2, Wait.SAME_DAY: 1, Wait.LATER: 1, Wait.NOT_YET: 2}
    digest = figures(week, [], cases, 0)
    assert counts[Wait.NOT_YET] == digest.still_open
    assert sum(counts.values()) - counts[Wait.NOT_YET] == digest.returned
    assert waits(week, []) == dict.fromkeys(Wait, 0)


def test_calls_per_manager_busiest_first() -> None:
    names = {1: "Иван", 2: "Ольга", 3: "Пётр", 4: "Анна"}
    calls = [
        AttributedCall(manager_id=1, direction="inbound", outcome="answered"),
        AttributedCall(manager_id=1, direction="inbound", outcome="missed"),
        AttributedCall(manager_id=1, direction="outbound", outcome="unanswered"),
        AttributedCall(manager_id=2, direction="outbound", outcome="answered"),
        AttributedCall(manager_id=2, direction="inbound", outcome="busy"),
        AttributedCall(manager_id=2, direction="internal", outcome="answered"),
        AttributedCall(manager_id=3, direction="inbound", outcome="answered"),
        AttributedCall(manager_id=3, direction="inbound", outcome=None),  # still ringing
        AttributedCall(manager_id=None, direction="inbound", outcome="missed"),
        AttributedCall(manager_id=9, direction="inbound", outcome="missed"),  # not named
    ]
    assert per_manager(calls, names) == [
        ManagerCalls(name="Иван", answered=1, outbound=1, missed=1),
        ManagerCalls(name="Ольга", answered=0, outbound=1, missed=1),
        ManagerCalls(name="Пётр", answered=1, outbound=0, missed=0),
    ]
    assert per_manager([], names) == []
