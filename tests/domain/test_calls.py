"""The call fold: outcomes, ring groups, and independence from order and repetition."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.domain.calls import (
    CallState,
    CallStatus,
    Direction,
    EndReason,
    Outcome,
    StoredUpdate,
    fold_call,
)

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CALLER = "+79031112233"
LINE = "+74950001122"


def u(
    state: CallState,
    seconds: int,
    extension: str | None = None,
    *,
    direction: Direction = Direction.INBOUND,
    reason: EndReason | None = None,
    recording: str | None = None,
) -> StoredUpdate:
    return StoredUpdate(
        direction=direction,
        state=state,
        caller=CALLER,
        callee=LINE,
        extension=extension,
        leg=None,
        at=T0 + timedelta(seconds=seconds),
        reason=reason,
        recording_url=recording,
    )


def test_answered_call() -> None:
    summary = fold_call(
        [
            u(CallState.RINGING, 0, "101"),
            u(CallState.ANSWERED, 5, "101"),
            u(CallState.ENDED, 65, "101", recording="https://r/1.mp3"),
        ]
    )
    assert summary.status is CallStatus.ENDED
    assert summary.outcome is Outcome.ANSWERED
    assert summary.answered_extension == "101"
    assert summary.talk_time == timedelta(seconds=60)
    assert summary.recording_url == "https://r/1.mp3"
    assert not summary.missed


def test_missed_busy_and_abandoned_are_all_missed() -> None:
    for reason, outcome in [
        (EndReason.NO_ANSWER, Outcome.MISSED),
        (EndReason.BUSY, Outcome.BUSY),
        (EndReason.CANCEL, Outcome.ABANDONED),
        (None, Outcome.MISSED),
        (EndReason.UNAVAILABLE, Outcome.MISSED),
    ]:
        summary = fold_call(
            [u(CallState.RINGING, 0, "101"), u(CallState.ENDED, 20, "101", reason=reason)]
        )
        assert summary.outcome is outcome
        assert summary.missed


def test_ring_group_answered_by_one_is_not_missed() -> None:
    summary = fold_call(
        [
            u(CallState.RINGING, 0, "101"),
            u(CallState.RINGING, 0, "102"),
            u(CallState.ENDED, 10, "101", reason=EndReason.CANCEL),
            u(CallState.ANSWERED, 8, "102"),
            u(CallState.ENDED, 90, "102"),
        ]
    )
    assert summary.outcome is Outcome.ANSWERED
    assert summary.answered_extension == "102"
    assert not summary.missed


def test_call_is_not_over_while_a_leg_still_rings() -> None:
    summary = fold_call(
        [
            u(CallState.RINGING, 0, "101"),
            u(CallState.RINGING, 0, "102"),
            u(CallState.ENDED, 10, "101", reason=EndReason.NO_ANSWER),
        ]
    )
    assert summary.status is CallStatus.RINGING
    assert summary.outcome is None
    assert not summary.missed


def test_an_end_without_a_party_ends_the_whole_call() -> None:
    summary = fold_call(
        [
            u(CallState.RINGING, 0, "101"),
            u(CallState.RINGING, 0, "102"),
            u(CallState.ENDED, 30, reason=EndReason.CANCEL),
        ]
    )
    assert summary.status is CallStatus.ENDED
    assert summary.outcome is Outcome.ABANDONED
    assert summary.final


def test_a_call_whose_legs_have_all_ended_is_over_but_not_said_to_be() -> None:
    summary = fold_call(
        [
            u(CallState.RINGING, 0, "101"),
            u(CallState.ENDED, 10, "101", reason=EndReason.NO_ANSWER),
        ]
    )
    assert (summary.status, summary.outcome) == (CallStatus.ENDED, Outcome.MISSED)
    assert not summary.final  # a PBX that ends legs one by one may still add one


def test_an_update_without_numbers_does_not_blank_the_calls_numbers() -> None:
    blank = replace(u(CallState.ANSWERED, -5, "101"), caller="", callee="")
    summary = fold_call([blank, u(CallState.RINGING, 0, "101")])
    assert (summary.caller, summary.callee) == (CALLER, LINE)


def test_outbound_not_answered_is_unanswered_not_missed() -> None:
    summary = fold_call(
        [
            u(CallState.RINGING, 0, "101", direction=Direction.OUTBOUND),
            u(CallState.ENDED, 30, "101", direction=Direction.OUTBOUND, reason=EndReason.BUSY),
        ]
    )
    assert summary.outcome is Outcome.UNANSWERED
    assert not summary.missed


def test_answered_but_not_ended_is_in_progress() -> None:
    summary = fold_call([u(CallState.RINGING, 0, "101"), u(CallState.ANSWERED, 3, "101")])
    assert summary.status is CallStatus.ANSWERED
    assert summary.outcome is Outcome.ANSWERED
    assert summary.ended_at is None


_SCENARIOS = [
    [
        u(CallState.RINGING, 0, "101"),
        u(CallState.ANSWERED, 5, "101"),
        u(CallState.ENDED, 65, "101"),
    ],
    [
        u(CallState.RINGING, 0, "101"),
        u(CallState.RINGING, 1, "102"),
        u(CallState.ENDED, 20, "101", reason=EndReason.NO_ANSWER),
        u(CallState.ANSWERED, 9, "102"),
        u(CallState.ENDED, 40, "102"),
    ],
    [u(CallState.RINGING, 0, "101"), u(CallState.ENDED, 20, "101", reason=EndReason.BUSY)],
    [
        u(CallState.RINGING, 0, "101"),
        u(CallState.RINGING, 0, "102"),
        u(CallState.ENDED, 15, reason=EndReason.CANCEL),
    ],
]


@settings(max_examples=300)
@given(
    st.sampled_from(range(len(_SCENARIOS))),
    st.randoms(use_true_random=False),
    st.integers(min_value=1, max_value=3),
)
def test_order_and_repeats_do_not_change_the_result(index: int, rng: object, repeat: int) -> None:
    updates = _SCENARIOS[index]
    expected = fold_call(updates)
    shuffled = updates * repeat
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert fold_call(shuffled) == expected
