"""Decisions for a personal manager's clients, kept while nothing they depend on can change.

A known client's call goes where his personal manager's state sends it: the manager, his
substitute, his supervisor or the default, each chosen by who is active, absent and inside his
working hours now. All his clients get the same answer, and it can change only when the managers,
their absences or the calendar are replaced (the snapshot loader swaps each whole, never edits one
in place), at a whole minute (working hours and the calendar's days are counted in minutes, and
every time zone in use is a whole number of minutes off UTC), or at the start or end of an
absence. So a decision is kept with the interval around its moment that holds none of these, and
given again for any moment inside it while the same managers, absences and calendar are in the
snapshot; anything else is decided afresh.
"""

from __future__ import annotations

import bisect
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from routing.decision import RouteDecision

if TYPE_CHECKING:
    from routing.snapshot import DirectorySnapshot

MINUTE = timedelta(minutes=1)


class OwnerDecisions:
    """The kept decisions of one snapshot, by personal manager's id."""

    __slots__ = ("_bounds", "_decided", "_inputs")

    def __init__(self) -> None:
        self._inputs: tuple[object, object, object] | None = None
        # Every absence's start and end, sorted: the moments a decision may change at.
        self._bounds: list[datetime] = []
        self._decided: dict[int, tuple[datetime, datetime, RouteDecision]] = {}

    def _current(self, snapshot: DirectorySnapshot) -> bool:
        inputs = self._inputs
        return (
            inputs is not None
            and inputs[0] is snapshot.managers
            and inputs[1] is snapshot.absences
            and inputs[2] is snapshot.calendar
        )

    def get(
        self, snapshot: DirectorySnapshot, owner_id: int, now: datetime
    ) -> RouteDecision | None:
        """The decision kept for the owner's clients at ``now``, if one holds."""
        if not self._current(snapshot):
            return None
        kept = self._decided.get(owner_id)
        if kept is None:
            return None
        since, until, decision = kept
        return decision if since <= now < until else None

    def keep(
        self, snapshot: DirectorySnapshot, owner_id: int, now: datetime, decision: RouteDecision
    ) -> None:
        """Keep the decision made at ``now`` for the owner's clients."""
        if not self._current(snapshot):
            self._inputs = (snapshot.managers, snapshot.absences, snapshot.calendar)
            self._decided = {}
            self._bounds = sorted(
                {
                    moment
                    for absences in snapshot.absences.values()
                    for absence in absences
                    for moment in (absence.starts_at, absence.ends_at)
                }
            )
        since = now.replace(second=0, microsecond=0)
        until = since + MINUTE
        bounds = self._bounds
        at = bisect.bisect_right(bounds, now)
        if at:
            since = max(since, bounds[at - 1])
        if at < len(bounds):
            until = min(until, bounds[at])
        self._decided[owner_id] = (since, until, decision)
