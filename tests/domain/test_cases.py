"""Callback cases as a state machine, and which calls open or return one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from hub.domain.calls import CallStatus, CallSummary, Direction, Outcome, is_missed
from hub.domain.cases import (
    ACTIVE,
    CaseNotActive,
    CaseStatus,
    decide_at,
    may_close,
    may_move,
    move,
    opens_a_case,
    returns_a_case,
)

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _summary(
    outcome: Outcome | None,
    *,
    direction: Direction = Direction.INBOUND,
    rang: timedelta = timedelta(seconds=20),
    answered: datetime | None = None,
) -> CallSummary:
    return CallSummary(
        direction=direction,
        status=CallStatus.ENDED,
        outcome=outcome,
        caller="+79031112233",
        callee="+74950001122",
        answered_extension="101" if answered else None,
        started_at=T0,
        answered_at=answered,
        ended_at=T0 + rang,
        recording_url=None,
    )


def test_the_moves_of_a_case() -> None:
    assert {CaseStatus.OPEN, CaseStatus.ESCALATED} == ACTIVE
    for target in (CaseStatus.ESCALATED, CaseStatus.RETURNED, CaseStatus.CLOSED):
        assert may_move(CaseStatus.OPEN, target)
    assert not may_move(CaseStatus.ESCALATED, CaseStatus.ESCALATED)  # escalates once
    assert may_move(CaseStatus.ESCALATED, CaseStatus.RETURNED)
    for ended in (CaseStatus.RETURNED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN):
        for target in CaseStatus:
            assert not may_move(ended, target)
    assert move("open", CaseStatus.CLOSED, 7) is CaseStatus.CLOSED
    with pytest.raises(CaseNotActive) as refused:
        move("returned", CaseStatus.CLOSED, 7)
    assert refused.value.case_status == "returned" and refused.value.status == 409
    assert str(refused.value) == "callback case 7 is already returned"


@pytest.mark.parametrize(
    ("direction", "outcome", "missed"),
    [
        ("inbound", "missed", True),
        ("inbound", "busy", True),
        ("inbound", "abandoned", True),
        ("inbound", "answered", False),
        ("inbound", None, False),
        ("outbound", "unanswered", False),
        ("internal", "missed", False),
    ],
)
def test_one_answer_to_is_this_call_missed(
    direction: str, outcome: str | None, missed: bool
) -> None:
    assert is_missed(direction, outcome) is missed
    assert is_missed(Direction(direction), Outcome(outcome) if outcome else None) is missed


def test_which_calls_open_a_case() -> None:
    missed = _summary(Outcome.MISSED)

    def opens(summary: CallSummary, ring: timedelta = timedelta(0)) -> bool:
        return opens_a_case(
            summary, number="+79031112233", opens_cases=True, counted=False, min_ring_time=ring
        )

    assert opens(missed)
    assert not opens(missed, timedelta(seconds=30))  # shorter than the minimum ring
    assert not opens_a_case(
        missed, number=None, opens_cases=True, counted=False, min_ring_time=timedelta(0)
    )
    assert not opens_a_case(
        missed, number="+79031112233", opens_cases=False, counted=False, min_ring_time=timedelta(0)
    )
    assert not opens_a_case(
        missed, number="+79031112233", opens_cases=True, counted=True, min_ring_time=timedelta(0)
    )
    answered = _summary(Outcome.ANSWERED, answered=T0 + timedelta(seconds=5))
    assert not opens(answered)


def test_which_calls_return_a_case() -> None:
    later = T0 + timedelta(minutes=5)
    callback = _summary(Outcome.ANSWERED, direction=Direction.OUTBOUND, answered=later)
    assert returns_a_case(callback, first_missed_at=T0, counted=False)
    assert not returns_a_case(callback, first_missed_at=later, counted=False)  # not after it
    assert not returns_a_case(callback, first_missed_at=T0, counted=True)
    internal = _summary(Outcome.ANSWERED, direction=Direction.INTERNAL, answered=later)
    assert not returns_a_case(internal, first_missed_at=T0, counted=False)
    assert not returns_a_case(_summary(Outcome.MISSED), first_missed_at=T0, counted=False)


def test_a_call_that_looks_missed_waits_for_its_pbx_only_while_it_may_still_hear_more() -> None:
    heard, wait = T0 + timedelta(seconds=30), timedelta(seconds=10)
    legs_only = _summary(Outcome.MISSED)
    said_over = replace(legs_only, final=True)
    # Legs only, within the wait: decided when the wait is over.
    assert decide_at(legs_only, last_heard=heard, wait=wait, now=heard) == heard + wait
    assert decide_at(legs_only, last_heard=heard, wait=wait, now=heard + wait / 2) == heard + wait
    # Past it, or said over by the PBX, or a PBX without a wait: now.
    assert decide_at(legs_only, last_heard=heard, wait=wait, now=heard + wait) is None
    assert decide_at(said_over, last_heard=heard, wait=wait, now=heard) is None
    assert decide_at(legs_only, last_heard=heard, wait=timedelta(0), now=heard) is None


def test_who_may_close_a_case() -> None:
    assert may_close("manager", 5, 5, 2)  # the responsible manager
    assert may_close("supervisor", 2, 5, 2)  # his supervisor
    assert not may_close("supervisor", 3, 5, 2)  # another team's supervisor
    assert not may_close("manager", 6, 5, 2)  # a colleague
    assert may_close("director", 9, 5, 2) and may_close("admin", 8, 5, 2)
    assert may_close("supervisor", 3, None, None)  # nobody's case: any supervisor
    assert not may_close("manager", 6, None, None)
