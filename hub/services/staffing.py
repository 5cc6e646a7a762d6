"""The people as they stand at a moment — who is active, who is away and who stands in for him —
loaded once per fold pass for the responsibility choice (``hub/domain/responsibility.py``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from hub.domain.responsibility import Person
from storage.models import Absence, Manager
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Staffing:
    managers: Sequence[Manager]
    absences: Sequence[Absence]
    extensions: dict[str, int]
    # Everyone as he is when nobody is away, and the absences in the order they count: built
    # once, so that each call of a fold pass costs a look at the absences, not a new directory.
    _present: dict[int, Person] = field(init=False, repr=False)
    _ordered: tuple[Absence, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        present = {
            m.id: Person(id=m.id, role=m.role, supervisor_id=m.supervisor_id, available=m.active)
            for m in self.managers
        }
        # Overlapping absences: the one that began first counts, as in routing.
        ordered = tuple(sorted(self.absences, key=lambda a: (a.starts_at, a.id)))
        object.__setattr__(self, "_present", present)
        object.__setattr__(self, "_ordered", ordered)

    def people_at(self, at: datetime) -> Mapping[int, Person]:
        """Every manager as the choice sees him at ``at`` (not to be changed)."""
        away: dict[int, int | None] = {}
        for a in self._ordered:
            if a.starts_at <= at < a.ends_at:
                away.setdefault(a.manager_id, a.substitute_id)
        if not away:
            return self._present
        people = dict(self._present)
        for manager_id, substitute_id in away.items():
            if manager_id in people:
                people[manager_id] = replace(
                    people[manager_id], available=False, substitute_id=substitute_id
                )
        return people

    def managers_of(self, extensions: Iterable[str]) -> list[int]:
        """The managers of these extensions, in their order; unknown extensions are skipped."""
        return [self.extensions[e] for e in extensions if e in self.extensions]


async def load_staffing(uow: UnitOfWork, *, since: datetime, extensions: set[str]) -> Staffing:
    """Managers, the absences not over before ``since``, and the managers of ``extensions``."""
    return Staffing(
        managers=await uow.managers.list(),
        absences=await uow.managers.absences_touching(since),
        extensions=await uow.managers.by_extensions(extensions),
    )
