"""Who answers for a missed call, and who is told: the pure choice on plain values."""

from __future__ import annotations

from hub.domain.responsibility import (
    Person,
    ResponsibleReason,
    choose_responsible,
    on_duty,
)

BOSS, IVAN, PETR, MARIA, DIRECTOR = 1, 2, 3, 4, 9


def _people(*, away: dict[int, int | None] | None = None) -> dict[int, Person]:
    """Ольга (1) supervises Иван (2) and Пётр (3); Мария (4) has no supervisor; a director (9).
    ``away``: who is absent, with his substitute."""
    away = away or {}
    base = {
        BOSS: ("supervisor", None),
        IVAN: ("manager", BOSS),
        PETR: ("manager", BOSS),
        MARIA: ("manager", None),
        DIRECTOR: ("director", None),
    }
    return {
        pid: Person(pid, role, boss, available=pid not in away, substitute_id=away.get(pid))
        for pid, (role, boss) in base.items()
    }


def _choose(people: dict[int, Person], **given: object) -> tuple[int | None, str, tuple[int, ...]]:
    args: dict[str, object] = {
        "owner_id": None,
        "last_talked_id": None,
        "rang_ids": [],
        "duty": ["supervisor"],
    }
    args.update(given)
    found = choose_responsible(people=people, **args)  # type: ignore[arg-type]
    return found.manager_id, found.reason, found.told


def test_a_client_belongs_to_his_personal_manager_and_his_supervisor_is_told() -> None:
    assert _choose(_people(), owner_id=IVAN, rang_ids=[PETR]) == (
        IVAN,
        ResponsibleReason.PERSONAL_MANAGER,
        (IVAN, BOSS),
    )


def test_an_absent_manager_is_replaced_by_his_substitute_and_told_nothing() -> None:
    people = _people(away={IVAN: MARIA})
    manager, reason, told = _choose(people, owner_id=IVAN)
    assert (manager, reason) == (MARIA, ResponsibleReason.SUBSTITUTE)
    # The substitute, and the absent manager's supervisor (Мария has none of her own).
    assert told == (MARIA, BOSS)
    assert IVAN not in told


def test_absent_without_a_substitute_falls_to_the_phone_that_rang_then_to_duty() -> None:
    people = _people(away={IVAN: None})
    assert _choose(people, owner_id=IVAN, rang_ids=[PETR])[:2] == (PETR, ResponsibleReason.RANG)
    assert _choose(people, owner_id=IVAN) == (None, ResponsibleReason.DUTY, (BOSS,))


def test_an_unknown_number_stays_with_the_manager_who_last_talked_to_it() -> None:
    manager, reason, _ = _choose(_people(), last_talked_id=PETR, rang_ids=[IVAN])
    assert (manager, reason) == (PETR, ResponsibleReason.LAST_TALKED)
    # The last talk counts for a number that is not a client's only.
    assert _choose(_people(), owner_id=IVAN, last_talked_id=PETR)[0] == IVAN


def test_a_ring_group_tells_everyone_whose_phone_rang_and_the_first_answers_for_it() -> None:
    manager, reason, told = _choose(_people(), rang_ids=[MARIA, IVAN, PETR])
    assert (manager, reason) == (MARIA, ResponsibleReason.RANG)
    assert told == (MARIA, IVAN, PETR)
    # An absent member of the group is skipped: the next that rang answers for it.
    assert _choose(_people(away={MARIA: None}), rang_ids=[MARIA, IVAN])[:2] == (
        IVAN,
        ResponsibleReason.RANG,
    )


def test_a_call_that_rang_nobody_goes_to_the_duty_recipients() -> None:
    assert _choose(_people()) == (None, ResponsibleReason.DUTY, (BOSS,))
    assert _choose(_people(), duty=[MARIA, "director"]) == (
        None,
        ResponsibleReason.DUTY,
        (MARIA, DIRECTOR),
    )
    # Nobody on duty is available: nobody is told at the miss (the escalation still comes).
    assert _choose(_people(away={BOSS: None}))[2] == ()


def test_duty_names_ids_and_roles_and_skips_who_is_away() -> None:
    people = _people(away={PETR: None})
    assert on_duty([PETR, IVAN, "director"], people) == [IVAN, DIRECTOR]
    assert on_duty([], people) == []
