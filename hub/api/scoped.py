"""A token's scope applied to what the API reads and changes (``hub/domain/scope.py``).

A record outside the scope does not exist for the token: a client, a case or an unknown number
of another team is a 404 with the same words as one that never was, and a list leaves it out.
A change that would give a record away (a client handed to another team's manager) is a 403."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from aiohttp import web

from hub.api.http import principal
from hub.domain.errors import Forbidden
from hub.domain.people import Role
from hub.domain.scope import Scope

Row = TypeVar("Row")
# Rows read at a time when a list is filtered by the scope after the query.
BATCH = 200


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


async def kept(
    fetch: Callable[[Row | None, int], Awaitable[Sequence[Row]]],
    keep: Callable[[Row], bool] | None,
    limit: int,
) -> list[Row]:
    """Up to ``limit`` rows that ``keep`` lets through (None: every row, one query), reading
    ``fetch(the last row read, how many)`` (None at first) batch after batch, until enough or
    no more."""
    if keep is None:
        return list(await fetch(None, limit))
    size = max(limit, BATCH)
    found: list[Row] = []
    last: Row | None = None
    while True:
        rows = await fetch(last, size)
        found.extend(row for row in rows if keep(row))
        if len(found) >= limit or len(rows) < size:
            return found[:limit]
        last = rows[-1]
