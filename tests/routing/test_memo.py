"""Decisions kept for a personal manager's clients: given again only while nothing they depend on
can have changed — not across an absence's start or end, a whole minute, or a new set of
managers, absences or calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.domain.calendar import Calendar, DayKind
from hub.domain.phone import normalize
from routing.decision import ReasonCode, RouteDecision
from routing.engine import decide
from routing.memo import OwnerDecisions
from routing.snapshot import AbsenceView, ClientView, DirectorySnapshot
from tests.routing.test_engine import CLIENT_PHONE, NOW, WINDOW, manager

START = NOW + timedelta(seconds=30, microseconds=250)  # an absence starting mid-minute


def _snapshot(*, absent_from: datetime = START) -> DirectorySnapshot:
    snap = DirectorySnapshot()
    snap.set_managers(
        {
            1: manager(1, "101", supervisor=3, hours={"mon": "09:00-13:01"}),
            2: manager(2, "102"),
            3: manager(3, "103"),
        },
        {
            1: (
                AbsenceView(
                    manager_id=1,
                    starts_at=absent_from,
                    ends_at=absent_from + timedelta(seconds=5),
                    substitute_id=2,
                ),
            )
        },
    )
    snap.set_client(ClientView(id=1, name="Romashka", manager_id=1), 1, frozenset({CLIENT_PHONE}))
    snap.set_client(ClientView(id=2, name="Лютик", manager_id=1), 2, frozenset({"+79161234568"}))
    return snap


def _route(snap: DirectorySnapshot, at: datetime, number: str = CLIENT_PHONE) -> RouteDecision:
    return decide(normalize(number), snap, at, sticky_window=WINDOW)


def test_a_decision_is_given_again_to_the_owner_s_other_clients() -> None:
    snap = _snapshot()
    first = _route(snap, NOW)
    assert first.code is ReasonCode.PERSONAL_MANAGER
    assert _route(snap, NOW + timedelta(seconds=1), "+79161234568") is first


def test_an_absence_starting_and_ending_mid_minute_changes_the_answer_at_once() -> None:
    snap = _snapshot()
    assert _route(snap, START - timedelta(microseconds=1)).code is ReasonCode.PERSONAL_MANAGER
    assert _route(snap, START).code is ReasonCode.SUBSTITUTE
    assert _route(snap, START + timedelta(seconds=4)).code is ReasonCode.SUBSTITUTE
    assert _route(snap, START + timedelta(seconds=5)).code is ReasonCode.PERSONAL_MANAGER
    # Back before the absence (a moment earlier than one already asked for).
    assert _route(snap, START - timedelta(seconds=1)).code is ReasonCode.PERSONAL_MANAGER


def test_working_hours_ending_change_the_answer_at_the_minute() -> None:
    snap = _snapshot(absent_from=NOW - timedelta(days=3))
    last = NOW + timedelta(seconds=59, microseconds=999_999)  # 13:00:59.999999 in Moscow
    assert _route(snap, NOW + timedelta(seconds=1)).code is ReasonCode.PERSONAL_MANAGER
    assert _route(snap, last).code is ReasonCode.PERSONAL_MANAGER
    assert _route(snap, NOW + timedelta(minutes=1)).code is ReasonCode.SUPERVISOR


def test_new_managers_or_a_new_calendar_are_read_at_once() -> None:
    snap = _snapshot(absent_from=NOW - timedelta(days=3))
    assert _route(snap, NOW).code is ReasonCode.PERSONAL_MANAGER
    snap.calendar = Calendar({date(2026, 11, 23): DayKind.HOLIDAY})
    holiday = _route(snap, NOW)  # nobody with hours works on a holiday
    assert holiday.code is ReasonCode.SUPERVISOR and "outside working hours" in holiday.reason
    snap.calendar = Calendar()
    managers = dict(snap.managers)
    managers[1] = manager(1, "101", active=False, supervisor=3)
    snap.set_managers(managers, snap.absences)
    decision = _route(snap, NOW)
    assert decision.code is ReasonCode.SUPERVISOR and "inactive" in decision.reason


def test_a_client_without_a_manager_is_named_and_his_number_still_found() -> None:
    snap = _snapshot()
    snap.set_client(
        ClientView(id=4, name="Ромашка", manager_id=None), 4, frozenset({"+79035550000"})
    )
    decision = _route(snap, NOW, "+79035550000")
    assert decision.code is ReasonCode.DEFAULT and "'Ромашка'" in decision.reason


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=-90_000_000, max_value=90_000_000), min_size=1, max_size=12))
def test_kept_decisions_are_those_decided_afresh(offsets: list[int]) -> None:
    """At any moments, in any order: what is given equals what would be decided anew."""
    snap = _snapshot()
    for offset in offsets:
        at = START + timedelta(microseconds=offset)
        kept = _route(snap, at)
        # The same directory, nothing kept.
        fresh = DirectorySnapshot(
            managers=snap.managers, absences=snap.absences, clients=snap.clients
        )
        assert isinstance(fresh.decided, OwnerDecisions)
        assert kept == _route(fresh, at), at.astimezone(UTC)
