"""A person's scope (``hub/domain/scope.py``) from the directory: who he is and whom he
supervises."""

from __future__ import annotations

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
