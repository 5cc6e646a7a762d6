"""Digest windows across midnight and time-zone edges, and the figures."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hub.domain.digest import CallRow, CaseRow, daily_window, figures, is_due, weekly_window

MSK = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")


def test_yesterday_in_the_company_zone() -> None:
    # 23:30 UTC on the 23rd is already the 24th in Moscow: "yesterday" is the 23rd there.
    now = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    window = daily_window(now, MSK)
    assert window.label == "2026-11-23"
    assert window.start == datetime(2026, 11, 22, 21, 0, tzinfo=UTC)
    assert window.end == datetime(2026, 11, 23, 21, 0, tzinfo=UTC)


def test_a_dst_day_is_23_hours_long() -> None:
    # Monday's digest covers Friday to Sunday, the Sunday of the change 23 hours long.
    window = daily_window(datetime(2026, 3, 30, 8, 0, tzinfo=UTC), BERLIN)
    assert window.label == "2026-03-27..2026-03-29"
    assert window.end - window.start == timedelta(days=3, hours=-1)


def test_last_week_is_monday_to_monday() -> None:
    window = weekly_window(datetime(2026, 11, 23, 6, 0, tzinfo=UTC), MSK)  # Monday 09:00 MSK
    assert window.label == "2026-11-16..2026-11-22"
    assert window.start == datetime(2026, 11, 15, 21, 0, tzinfo=UTC)
    assert window.end - window.start == timedelta(days=7)


def test_due_at_the_digest_time_in_the_zone() -> None:
    assert not is_due(datetime(2026, 11, 23, 5, 59, tzinfo=UTC), time(9, 0), MSK)
    assert is_due(datetime(2026, 11, 23, 6, 0, tzinfo=UTC), time(9, 0), MSK)


def test_figures() -> None:
    now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    window = daily_window(now, MSK)
    inside = window.start + timedelta(hours=10)
    calls = [
        CallRow(direction="inbound", outcome="answered", started_at=inside, caller_kind="e164"),
        CallRow(direction="inbound", outcome="missed", started_at=inside, caller_kind="e164"),
        CallRow(
            direction="inbound", outcome="abandoned", started_at=inside, caller_kind="withheld"
        ),
        CallRow(
            direction="outbound", outcome="answered", started_at=inside, caller_kind="internal"
        ),
        CallRow(
            direction="inbound",
            outcome="missed",
            started_at=window.start - timedelta(1),
            caller_kind="e164",
        ),
    ]
    cases = [
        CaseRow(
            status="returned",
            first_missed_at=inside,
            returned_at=inside + timedelta(minutes=10),
            escalated_at=None,
        ),
        CaseRow(
            status="returned",
            first_missed_at=inside,
            returned_at=inside + timedelta(minutes=30),
            escalated_at=None,
        ),
        CaseRow(status="open", first_missed_at=inside, returned_at=None, escalated_at=None),
        CaseRow(
            status="escalated",
            first_missed_at=window.start - timedelta(days=2),
            returned_at=None,
            escalated_at=inside,
        ),
    ]
    result = figures(window, calls, cases, unknown_waiting=3)
    assert (result.calls_in, result.calls_out, result.missed, result.withheld_missed) == (
        3,
        1,
        2,
        1,
    )
    assert result.returned == 2
    assert result.median_callback == timedelta(minutes=20)
    assert (result.still_open, result.escalated, result.unknown_waiting) == (2, 1, 3)
