"""A token's scope applied to what the API reads and changes (``hub/domain/scope.py``).

A record outside the scope does not exist for the token: a client, a case or an unknown number
of another team is a 404 with the same words as one that never was, and a list leaves it out.
A change that would give a record away (a client handed to another team's manager) is a 403."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from aiohttp import web

from hub.api.http import principal
from hub.domain.errors import Forbidden
from hub.domain.people import Role
from hub.domain.scope import Scope


class Identified(Protocol):
    """A row with an id, by which lists page."""

    @property
    def id(self) -> int: ...


Row = TypeVar("Row", bound=Identified)
# Rows read at a time when a list is filtered by the scope after the query, and at most how
# many for one answer (an offset of up to :data:`MAX_OFFSET` and a page of up to 1000 fit).
BATCH = 200
SCANNED = 20_000
MAX_OFFSET = 10_000


def scope_of(request: web.Request) -> Scope:
    """Whose records the request's token sees and changes."""
    return principal(request).scope


def own_only(request: web.Request) -> int | None:
    """A manager's token sees his own records only: his id, to ask the database for those alone
    (None for every other scope)."""
    scope = scope_of(request)
    if scope.everything or scope.role != Role.MANAGER:
        return None
    return scope.person_id


def sees_case(scope: Scope, manager_id: int | None, told: Sequence[object] | None) -> bool:
    """A callback case: its responsible manager decides, and whoever was told of it sees it."""
    return scope.owns(manager_id) or (
        scope.person_id is not None and scope.person_id in (told or [])
    )


def may_give(request: web.Request, manager_id: int | None) -> None:
    """Refuse a change that leaves a record with a manager outside the token's scope."""
    scope = scope_of(request)
    if not scope.owns(manager_id):
        whom = "nobody" if manager_id is None else f"manager {manager_id}"
        raise Forbidden(f"this token may not give a record to {whom}: outside its scope")


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
