"""Who answers for a missed call, and who is told at once — a pure choice, recorded on the case.

The order: the client's personal manager (or, while he is absent, his named substitute); for a
number that is not a client's, the manager who last talked to it (within the sticky window), else
the manager whose phone rang (the first that rang, in a ring group or a queue); else nobody in
particular — the **duty** recipients (a queue or IVR abandon that rang nobody). An absent manager
is never responsible and never told; his substitute and the supervisors are.

Who is told: the responsible manager and his supervisor (for a substitute, the absent manager's
supervisor too); when the phone of a ring group rang, every manager whose phone rang; when
nobody is responsible, the duty recipients.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


class ResponsibleReason(enum.StrEnum):
    PERSONAL_MANAGER = "personal_manager"
    SUBSTITUTE = "substitute"
    LAST_TALKED = "last_talked"
    RANG = "rang"
    DUTY = "duty"


@dataclass(frozen=True, slots=True)
class Person:
    """What the choice needs to know of a manager at the moment of the miss."""

    id: int
    role: str
    supervisor_id: int | None
    # Active and not absent at the moment.
    available: bool
    # While absent: the named substitute.
    substitute_id: int | None = None


@dataclass(frozen=True, slots=True)
class Responsibility:
    manager_id: int | None
    reason: ResponsibleReason
    told: tuple[int, ...]


def on_duty(duty: Iterable[int | str], people: Mapping[int, Person]) -> list[int]:
    """The duty recipients: the manager ids named, and everyone holding a role named; only
    those available, in a stable order."""
    wanted_ids = {d for d in duty if isinstance(d, int)}
    wanted_roles = {d for d in duty if isinstance(d, str)}
    return sorted(
        p.id
        for p in people.values()
        if p.available and (p.id in wanted_ids or p.role in wanted_roles)
    )


def stand_in(person_id: int | None, people: Mapping[int, Person]) -> tuple[int, bool] | None:
    """(who takes this person's calls now, whether it is his substitute), or None."""
    person = people.get(person_id or 0)
    if person is None:
        return None
    if person.available:
        return person.id, False
    substitute = people.get(person.substitute_id or 0)
    if substitute is not None and substitute.available:
        return substitute.id, True
    return None


def choose_responsible(
    *,
    owner_id: int | None,
    last_talked_id: int | None,
    rang_ids: Sequence[int],
    duty: Iterable[int | str],
    people: Mapping[int, Person],
) -> Responsibility:
    """The responsible manager for a miss, why, and who is told at once.

    ``owner_id``: the client's personal manager (None: not a client's number);
    ``last_talked_id``: who last talked to the number within the sticky window; ``rang_ids``:
    the managers whose phones rang, in order; ``duty``: ids and role names from the settings."""
    chosen: tuple[int, ResponsibleReason] | None = None
    ring_group: list[int] = []
    found = stand_in(owner_id, people)
    if found is not None:
        chosen = (
            found[0],
            (ResponsibleReason.SUBSTITUTE if found[1] else ResponsibleReason.PERSONAL_MANAGER),
        )
    elif owner_id is None and (found := stand_in(last_talked_id, people)) is not None:
        chosen = found[0], ResponsibleReason.LAST_TALKED
    if chosen is None:
        ring_group = [s[0] for r in rang_ids if (s := stand_in(r, people)) is not None]
        if ring_group:
            chosen = ring_group[0], ResponsibleReason.RANG
    if chosen is None:
        return Responsibility(None, ResponsibleReason.DUTY, tuple(on_duty(duty, people)))
    manager_id, reason = chosen
    told = [manager_id, *_supervisors(manager_id, people)]
    if reason is ResponsibleReason.SUBSTITUTE:
        told += _supervisors(owner_id, people)
    told += ring_group
    return Responsibility(manager_id, reason, tuple(dict.fromkeys(told)))


def _supervisors(person_id: int | None, people: Mapping[int, Person]) -> list[int]:
    person = people.get(person_id or 0)
    boss = people.get(person.supervisor_id or 0) if person else None
    return [boss.id] if boss is not None and boss.available else []
