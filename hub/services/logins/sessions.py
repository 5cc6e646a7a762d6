"""Console sessions: a random token in the person's cookie, its SHA-256 in the database.

Opening one stores the hash with the person, when it was made and last seen, and when it ends;
each visit finds the person by the hash (a session past its end, or of a person since made
inactive, is no session) and now and then pushes the end on. Logging out deletes the row, so the
cookie opens nothing any more.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from hub.domain.logins import session_expiry, worth_touching
from hub.domain.secrets import secret_digest
from storage.models import ConsoleSession, Manager
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """Who is logged in, as every console page reads it."""

    id: int
    name: str
    role: str
    login: str | None
    extension: str | None
    # The session's hash: what the forms' tokens are bound to (hub/domain/csrf.py).
    session: str
    # When the session was last noted as seen (hub/domain/logins.py: worth_touching).
    seen_at: datetime


async def open_session(uow: UnitOfWork, manager: Manager, *, now: datetime) -> str:
    """A new session for ``manager``; returns the token for his cookie (it is not stored)."""
    token = secrets.token_urlsafe(32)
    uow.logins.add_session(
        ConsoleSession(
            token_hash=secret_digest(token),
            manager_id=manager.id,
            created_at=now,
            last_seen_at=now,
            expires_at=session_expiry(now, now),
        )
    )
    await uow.logins.end_expired(now)
    await uow.flush()
    return token


async def find_person(uow: UnitOfWork, token: str, *, now: datetime) -> Person | None:
    """The person whose session ``token`` is, or None (only reads: see :func:`touch_session`)."""
    row = await uow.logins.session_by_hash(secret_digest(token))
    if row is None or row.expires_at <= now:
        return None
    manager = await uow.managers.get(row.manager_id)
    if manager is None or not manager.active or manager.password_hash is None:
        return None
    return Person(
        id=manager.id,
        name=manager.name,
        role=manager.role,
        login=manager.login,
        extension=manager.extension,
        session=row.token_hash,
        seen_at=row.last_seen_at,
    )


async def touch_session(uow: UnitOfWork, token: str, *, now: datetime) -> bool:
    """Note a visit: the session's "last seen" and its end move on. False if there was no
    need (seen a moment ago) or no session."""
    row = await uow.logins.session_by_hash(secret_digest(token))
    if row is None or row.expires_at <= now or not worth_touching(row.last_seen_at, now):
        return False
    row.last_seen_at = now
    row.expires_at = session_expiry(row.created_at, now)
    await uow.flush()
    return True


async def end_session(uow: UnitOfWork, token: str) -> None:
    await uow.logins.end_session(secret_digest(token))
