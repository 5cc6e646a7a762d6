"""API tokens: issued once in clear, kept only as a hash, revoked but never deleted.

A token may belong to a person (``manager_id``): it then carries his scope (``hub/domain/
scope.py``) and its role may not exceed what his role allows (:data:`PERSON_TOKEN_ROLES`): a
manager, a supervisor or a director may hold ``manager`` and ``viewer`` tokens, an admin also
``admin`` ones; ``pbx`` tokens are the PBXs' and belong to nobody. A token without a person is the
company's (a PBX's, an integration's, those issued before tokens had people): it sees everything
its role allows."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from hub.domain.errors import Conflict, InvalidInput, NotFound
from hub.domain.people import Role, TokenRole
from hub.domain.secrets import secret_digest
from hub.services.directory.changes import added
from hub.services.directory.commands import TokenCreate
from hub.services.serialisers import token_view
from storage.models import ApiToken, Manager
from storage.uow import UnitOfWork

PREFIX = "dzv_"
_PEOPLES = frozenset({TokenRole.MANAGER, TokenRole.VIEWER})
PERSON_TOKEN_ROLES: dict[Role, frozenset[TokenRole]] = {
    Role.MANAGER: _PEOPLES,
    Role.SUPERVISOR: _PEOPLES,
    Role.DIRECTOR: _PEOPLES,
    Role.ADMIN: _PEOPLES | {TokenRole.ADMIN},
}


def token_roles_of(person: Manager) -> frozenset[TokenRole]:
    """The roles a token of ``person`` may have (none while he is not active)."""
    if not person.active:
        return frozenset()
    return PERSON_TOKEN_ROLES.get(Role(person.role), frozenset())


def holds(person: Manager, role: str) -> bool:
    """May ``person`` hold (still) a token of ``role``?"""
    return role in token_roles_of(person)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token just issued, with its secret: the only moment the secret is known."""

    token: ApiToken
    secret: str


async def issue_token(
    uow: UnitOfWork, body: TokenCreate, *, actor: str, now: datetime
) -> IssuedToken:
    """A new token made at ``now`` (the clock its revocation is stamped by too); its name is
    its own among the tokens not revoked (a revoked one's name may be used again)."""
    taken = await uow.tokens.live_named(body.name)
    if taken is not None:
        raise Conflict(
            f"a token named {body.name!r} exists (id {taken.id}): revoke it first, or choose "
            "another name"
        )
    if body.manager_id is not None:
        await _check_person(uow, body.manager_id, body.role)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=body.name,
        role=body.role,
        token_hash=secret_digest(secret),
        created_at=now,
        created_by=actor,
        manager_id=body.manager_id,
    )
    uow.tokens.add(token)
    await added(uow, lambda: token_view(token), actor=actor, entity="token")
    return IssuedToken(token, secret)


async def _check_person(uow: UnitOfWork, manager_id: int, role: str) -> None:
    person = await uow.managers.get(manager_id)
    if person is None:
        raise InvalidInput(f"manager_id: manager {manager_id} does not exist", field="manager_id")
    if not person.active:
        raise InvalidInput(
            f"manager_id: {person.name} is not active; an inactive person holds no tokens",
            field="manager_id",
        )
    if not holds(person, role):
        *others, last = sorted(token_roles_of(person))
        allowed = f"{', '.join(others)} or {last}" if others else last
        article = "an" if person.role[0] in "aeiou" else "a"
        raise InvalidInput(
            f"role: {person.name} is {article} {person.role} and may hold only {allowed} "
            f"tokens, not {role}",
            field="role",
        )


async def find_token(uow: UnitOfWork, which: str) -> ApiToken:
    """A token by its name (the one not revoked) or its id, as the command line names it."""
    token = await uow.tokens.live_named(which)
    if token is None and which.isdigit():
        token = await uow.tokens.get(int(which))
    if token is None:
        raise NotFound(f"no token named {which!r} (see dozvon token list)")
    return token


async def revoke_token(
    uow: UnitOfWork, token_id: int, *, actor: str, now: datetime, owner: int | None = None
) -> ApiToken:
    """Revoke a token (again: nothing changes). ``owner``: only a token of this person (a person
    revoking his own; another's is as if it did not exist)."""
    token = await uow.tokens.get(token_id)
    if token is None or (owner is not None and token.manager_id != owner):
        raise NotFound(f"token {token_id} does not exist")
    before = token_view(token)
    if token.revoked_at is None:
        token.revoked_at = now
        await uow.flush()
        uow.audit.record(
            actor=actor,
            action="revoke",
            entity="token",
            entity_id=token.id,
            before=before,
            after=token_view(token),
        )
    return token
