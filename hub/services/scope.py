"""A person's scope (``hub/domain/scope.py``) from the directory: who he is and whom he
supervises; and a list read in his scope (:func:`kept`), the same for the API and the console."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from hub.domain.people import Role
from hub.domain.scope import Scope, team_of
from storage.uow import UnitOfWork


async def scope_of(uow: UnitOfWork, person_id: int, role: str) -> Scope:
    """The scope of manager ``person_id`` acting in ``role``."""
    as_role = Role(role)
    if as_role in (Role.DIRECTOR, Role.ADMIN):
        return Scope(as_role, person_id, frozenset({person_id}))
    supervised = []
    if as_role == Role.SUPERVISOR:
        supervised = [m.id for m in await uow.managers.list() if m.supervisor_id == person_id]
    return team_of(as_role, person_id, supervised)


class Identified(Protocol):
    """A row with an id, by which lists page."""

    @property
    def id(self) -> int: ...


Row = TypeVar("Row", bound=Identified)
# Rows read at a time when a list is filtered by the scope after the query, and at most how
# many for one answer.
BATCH = 200
SCANNED = 20_000


@dataclass(frozen=True, slots=True)
class Kept(Generic[Row]):
    """The rows a list answers with; ``resume``: the id of the last row read when the scan
    stopped at :data:`SCANNED` before finding enough (the next page starts after it), else
    None."""

    rows: list[Row]
    resume: int | None = None


async def kept(
    fetch: Callable[[Row | None, int], Awaitable[Sequence[Row]]],
    keep: Callable[[Row], bool] | None,
    limit: int,
) -> Kept[Row]:
    """Up to ``limit`` rows that ``keep`` lets through (None: every row, one query), reading
    ``fetch(the last row read, how many)`` (None at first) batch after batch, until enough or
    no more — or until :data:`SCANNED` rows were read: a person whose records are few among
    many then gets a shorter page with where to resume (:attr:`Kept.resume`), so that no answer
    costs more than a bounded number of rows read."""
    if keep is None:
        return Kept(list(await fetch(None, limit)))
    size = max(limit, BATCH)
    found: list[Row] = []
    last: Row | None = None
    read = 0
    while True:
        rows = await fetch(last, size)
        read += len(rows)
        found.extend(row for row in rows if keep(row))
        if len(found) >= limit or len(rows) < size:
            return Kept(found[:limit])
        last = rows[-1]
        if read >= SCANNED:
            return Kept(found, resume=last.id)
