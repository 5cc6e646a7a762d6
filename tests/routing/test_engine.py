"""Routing decisions over a directory snapshot and a fixed clock."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from itertools import product

import pytest

from hub.domain.hours import parse_hours
from hub.domain.phone import normalize
from routing.decision import ReasonCode, TargetType
from routing.engine import decide
from routing.snapshot import (
    AbsenceView,
    ClientView,
    DirectorySnapshot,
    ListView,
    ManagerView,
    StickyView,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday, 13:00 in Moscow
WINDOW = timedelta(days=30)
CLIENT_PHONE = "+79161234567"


def manager(
    mid: int,
    ext: str | None,
    *,
    active: bool = True,
    supervisor: int | None = None,
    hours: Mapping[str, str | None] | None = None,
) -> ManagerView:
    return ManagerView(
        id=mid,
        name=f"M{mid}",
        role="manager",
        extension=ext,
        active=active,
        supervisor_id=supervisor,
        hours=parse_hours(hours, "Europe/Moscow") if hours else None,
    )


def snapshot(*managers: ManagerView, absences: tuple[AbsenceView, ...] = ()) -> DirectorySnapshot:
    snap = DirectorySnapshot()
    snap.set_managers({m.id: m for m in managers}, {a.manager_id: (a,) for a in absences})
    snap.set_client(ClientView(id=1, name="Romashka", manager_id=1), 1, frozenset({CLIENT_PHONE}))
    return snap


def route(snap: DirectorySnapshot, number: str = CLIENT_PHONE, now: datetime = NOW):  # type: ignore[no-untyped-def]
    return decide(normalize(number), snap, now, sticky_window=WINDOW)


def absence(mid: int, substitute: int | None) -> AbsenceView:
    return AbsenceView(
        manager_id=mid,
        starts_at=NOW - timedelta(days=1),
        ends_at=NOW + timedelta(days=1),
        substitute_id=substitute,
    )


def test_personal_manager_takes_his_client() -> None:
    decision = route(snapshot(manager(1, "101", supervisor=3), manager(3, "103")))
    assert decision.target.type is TargetType.MANAGER
    assert decision.target.extension == "101"
    assert decision.code is ReasonCode.PERSONAL_MANAGER
    assert [t.type for t in decision.fallback] == [TargetType.MANAGER, TargetType.DEFAULT]
    assert decision.fallback[0].extension == "103"


def test_substitute_covers_an_absent_manager() -> None:
    decision = route(snapshot(manager(1, "101"), manager(2, "102"), absences=(absence(1, 2),)))
    assert decision.target.extension == "102"
    assert decision.code is ReasonCode.SUBSTITUTE
    assert "M1 is absent" in decision.reason


def test_supervisor_when_absent_without_substitute() -> None:
    decision = route(
        snapshot(manager(1, "101", supervisor=3), manager(3, "103"), absences=(absence(1, None),))
    )
    assert decision.target.extension == "103"
    assert decision.code is ReasonCode.SUPERVISOR


def test_absence_that_has_ended_does_not_count() -> None:
    old = AbsenceView(
        manager_id=1,
        starts_at=NOW - timedelta(days=5),
        ends_at=NOW - timedelta(days=1),
        substitute_id=2,
    )
    decision = route(snapshot(manager(1, "101"), manager(2, "102"), absences=(old,)))
    assert decision.target.extension == "101"


def test_outside_working_hours() -> None:
    hours = {"mon": "09:00-12:00"}  # 13:00 in Moscow is outside
    decision = route(snapshot(manager(1, "101", supervisor=3, hours=hours), manager(3, "103")))
    assert decision.code is ReasonCode.SUPERVISOR
    assert "outside working hours" in decision.reason
    inside = route(snapshot(manager(1, "101", hours={"mon": "12:00-18:00"})))
    assert inside.code is ReasonCode.PERSONAL_MANAGER


def test_nobody_available_is_default_with_reason() -> None:
    decision = route(snapshot(manager(1, "101", active=False)))
    assert decision.target.type is TargetType.DEFAULT
    assert "inactive" in decision.reason


def test_list_actions() -> None:
    snap = snapshot(manager(1, "101"), manager(5, "200"))
    snap.lists = {
        10: ListView(
            id=10,
            slug="blacklist",
            title="Чёрный список",
            action="reject",
            target_extension=None,
            target_manager_id=None,
        ),
        11: ListView(
            id=11,
            slug="job_seekers",
            title="Соискатели",
            action="route",
            target_extension=None,
            target_manager_id=5,
        ),
        12: ListView(
            id=12,
            slug="suppliers",
            title="Поставщики",
            action="route",
            target_extension="300",
            target_manager_id=None,
        ),
        13: ListView(
            id=13,
            slug="personal",
            title="Личные",
            action="default",
            target_extension=None,
            target_manager_id=None,
        ),
    }
    snap.list_by_number = {
        "+79030000010": 10,
        "+79030000011": 11,
        "+79030000012": 12,
        "+79030000013": 13,
    }
    assert route(snap, "+79030000010").target.type is TargetType.REJECT
    hr = route(snap, "+79030000011")
    assert (hr.target.type, hr.target.extension, hr.code) == (
        TargetType.MANAGER,
        "200",
        ReasonCode.LIST,
    )
    supplier = route(snap, "89030000012")
    assert (supplier.target.type, supplier.target.extension) == (TargetType.EXTENSION, "300")
    assert route(snap, "+79030000013").target.type is TargetType.DEFAULT


def test_unknown_number_goes_to_the_last_manager_within_the_window() -> None:
    snap = snapshot(manager(1, "101"), manager(2, "102"))
    snap.sticky["+79035550000"] = StickyView(manager_id=2, at=NOW - timedelta(days=3))
    decision = route(snap, "+79035550000")
    assert (decision.target.extension, decision.code) == ("102", ReasonCode.STICKY)
    stale = route(snap, "+79035550000", now=NOW + timedelta(days=40))
    assert stale.target.type is TargetType.DEFAULT


@pytest.mark.parametrize("caller", ["anonymous", "", "101", "12345678"])
def test_callers_that_are_not_numbers_get_the_default(caller: str) -> None:
    decision = route(snapshot(manager(1, "101")), caller)
    assert decision.target.type is TargetType.DEFAULT
    assert decision.code is ReasonCode.DEFAULT


def test_exhaustive_availability_matrix() -> None:
    """Every combination of owner/substitute/supervisor state picks the first one available."""
    states = ["ok", "inactive", "absent", "no_extension"]
    for owner_state, sub_state, sup_state in product(states, states, states):

        def build(mid: int, state: str, supervisor: int | None = None) -> ManagerView:
            return manager(
                mid,
                None if state == "no_extension" else f"10{mid}",
                active=state != "inactive",
                supervisor=supervisor,
            )

        absences = [absence(1, 2)] if owner_state == "absent" else []
        if sub_state == "absent":
            absences.append(absence(2, None))
        if sup_state == "absent":
            absences.append(absence(3, None))
        snap = snapshot(build(1, owner_state, 3), build(2, sub_state), build(3, sup_state))
        snap.absences = {a.manager_id: (a,) for a in absences}
        decision = route(snap)
        if owner_state == "ok":
            expected = "101"
        elif owner_state == "absent" and sub_state == "ok":
            expected = "102"
        elif sup_state == "ok":
            expected = "103"
        else:
            expected = None
        assert decision.target.extension == expected, (owner_state, sub_state, sup_state)
        assert decision.reason
