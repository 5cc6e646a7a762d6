"""Escalation deadlines: plain 24 hours, or 24 working hours in the company's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hub.domain.deadlines import EscalationPolicy, escalation_deadline

MSK = "Europe/Moscow"


def _policy(hours: float, working_only: bool) -> EscalationPolicy:
    return EscalationPolicy.build(
        timedelta(hours=hours), working_hours_only=working_only, hours="09:00-18:00", zone=MSK
    )


def test_plain_deadline_is_first_miss_plus_after() -> None:
    miss = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
    assert escalation_deadline(miss, _policy(24, False)) == miss + timedelta(hours=24)


def test_working_hours_skip_nights_and_weekends() -> None:
    # Friday 17:00 in Moscow (14:00 UTC); 9 working hours a day, Monday to Friday.
    friday = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
    # 1 hour on Friday, then 8 on Monday: Monday 17:00 Moscow.
    assert escalation_deadline(friday, _policy(9, True)) == datetime(
        2026, 11, 30, 14, 0, tzinfo=UTC
    )
    # 24 working hours: 1 (Fri) + 9 (Mon) + 9 (Tue) + 5 (Wed) → Wednesday 14:00 Moscow.
    assert escalation_deadline(friday, _policy(24, True)) == datetime(
        2026, 12, 2, 11, 0, tzinfo=UTC
    )


def test_a_miss_at_night_starts_counting_in_the_morning() -> None:
    night = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)  # 23:00 Tuesday in Moscow
    assert escalation_deadline(night, _policy(2, True)) == datetime(
        2026, 11, 25, 8, 0, tzinfo=UTC
    )  # Wednesday 11:00 Moscow
