"""API tokens: issued once in clear, kept only as a hash, revoked but never deleted."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from hub.domain.errors import Conflict, NotFound
from hub.services.directory.changes import added
from hub.services.directory.commands import TokenCreate
from hub.services.serialisers import token_view
from storage.models import ApiToken
from storage.uow import UnitOfWork

PREFIX = "dzv_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token just issued, with its secret: the only moment the secret is known."""

    token: ApiToken
    secret: str


async def issue_token(uow: UnitOfWork, body: TokenCreate, *, actor: str) -> IssuedToken:
    """A new token; its name is its own among the tokens not revoked (a revoked one's name may
    be used again)."""
    taken = await uow.tokens.live_named(body.name)
    if taken is not None:
        raise Conflict(
            f"a token named {body.name!r} exists (id {taken.id}): revoke it first, or choose "
            "another name"
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=body.name, role=body.role, token_hash=hash_token(secret), created_by=actor
    )
    uow.tokens.add(token)
    await added(uow, lambda: token_view(token), actor=actor, entity="token")
    return IssuedToken(token, secret)


async def find_token(uow: UnitOfWork, which: str) -> ApiToken:
    """A token by its name (the one not revoked) or its id, as the command line names it."""
    token = await uow.tokens.live_named(which)
    if token is None and which.isdigit():
        token = await uow.tokens.get(int(which))
    if token is None:
        raise NotFound(f"no token named {which!r} (see dozvon token list)")
    return token


async def revoke_token(uow: UnitOfWork, token_id: int, *, actor: str, now: datetime) -> ApiToken:
    token = await uow.tokens.get(token_id)
    if token is None:
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
