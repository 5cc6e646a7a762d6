"""A token's scope applied to what the API reads and changes (``hub/domain/scope.py``).

A record outside the scope does not exist for the token: a client, a case or an unknown number
of another team is a 404 with the same words as one that never was, and a list leaves it out.
A change that would give a record away (a client handed to another team's manager) is a 403."""

from __future__ import annotations

from collections.abc import Sequence

from aiohttp import web

from hub.api.http import principal
from hub.domain.errors import Forbidden
from hub.domain.people import Role
from hub.domain.scope import Scope

# The largest offset a list takes (with a page of up to 1000 it fits in one bounded scan of
# ``hub/services/scope.py: kept``).
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
