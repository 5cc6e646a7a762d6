"""The budget of stored routing decisions: so many a second, the rest counted, and the log told
how many at most once a minute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hub.services.decision_budget import REPORT_EVERY, DecisionBudget

MOMENT = datetime(2026, 11, 23, 12, 0, 0, 900_000, tzinfo=UTC)


def test_so_many_a_second_are_stored_and_the_next_second_starts_afresh() -> None:
    budget = DecisionBudget(3)
    assert [budget.take(MOMENT) for _ in range(5)] == [True, True, True, False, False]
    # A tenth of a second later is the next second: three more.
    later = MOMENT + timedelta(milliseconds=100)
    assert [budget.take(later) for _ in range(4)] == [True, True, True, False]


def test_what_was_counted_is_reported_once_a_minute_and_none_is_lost() -> None:
    budget = DecisionBudget(1)
    assert budget.report(MOMENT) is None  # nothing counted yet
    for _ in range(4):
        budget.take(MOMENT)
    assert budget.report(MOMENT) == (3, True)  # the first: at once
    budget.take(MOMENT)
    assert budget.report(MOMENT + REPORT_EVERY / 2) is None  # too soon: kept for the next
    budget.take(MOMENT + REPORT_EVERY)
    budget.take(MOMENT + REPORT_EVERY)
    # One kept from before, one of the two in the new second (the other stored).
    assert budget.report(MOMENT + REPORT_EVERY) == (2, False)


def test_a_budget_stores_at_least_one_a_second() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        DecisionBudget(0)
