"""The people as they stand at a moment — who is active, who is away and who stands in for him —
loaded once per fold pass for the responsibility choice (``hub/domain/responsibility.py``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from hub.domain.responsibility import Person
from storage.models import Absence, Manager
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Staffing:
    managers: Sequence[Manager]
    absences: Sequence[Absence]
    extensions: dict[str, int]

    def people_at(self, at: datetime) -> dict[int, Person]:
        """Every manager as the choice sees him at ``at``."""
        away: dict[int, int | None] = {}
        # Overlapping absences: the one that began first counts, as in routing.
        for a in sorted(self.absences, key=lambda a: (a.starts_at, a.id)):
            if a.starts_at <= at < a.ends_at:
                away.setdefault(a.manager_id, a.substitute_id)
        return {
            m.id: Person(
                id=m.id,
                role=m.role,
                supervisor_id=m.supervisor_id,
                available=m.active and m.id not in away,
                substitute_id=away.get(m.id),
            )
            for m in self.managers
        }

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
