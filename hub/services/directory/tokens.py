"""API tokens: issued once in clear, kept only as a hash, revoked but never deleted."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from hub.domain.errors import NotFound
from hub.services.directory.changes import added
from hub.services.directory.commands import TokenCreate
from hub.services.serialisers import iso
from storage.models import ApiToken
from storage.types import utcnow
from storage.uow import UnitOfWork

PREFIX = "dzv_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_view(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "name": token.name,
        "role": token.role,
        "created_at": iso(token.created_at),
        "created_by": token.created_by,
        "revoked_at": iso(token.revoked_at),
    }


async def issue_token(uow: UnitOfWork, body: TokenCreate, *, actor: str) -> dict[str, Any]:
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=body.name, role=body.role, token_hash=hash_token(secret), created_by=actor
    )
    uow.tokens.add(token)
    view = await added(uow, lambda: token_view(token), actor=actor, entity="token")
    return {**view, "token": secret}


async def revoke_token(uow: UnitOfWork, token_id: int, *, actor: str) -> dict[str, Any]:
    token = await uow.tokens.get(token_id)
    if token is None:
        raise NotFound(f"token {token_id} does not exist")
    before = token_view(token)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        await uow.flush()
        uow.audit.record(
            actor=actor,
            action="revoke",
            entity="token",
            entity_id=token.id,
            before=before,
            after=token_view(token),
        )
    return token_view(token)
