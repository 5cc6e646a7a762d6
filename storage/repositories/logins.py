"""The console's logins: people by login, sessions and set-password links by the SHA-256 of
their secret (the secret itself is never stored)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConsoleSession, Manager, PasswordLink


class LoginRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_login(self, login: str) -> Manager | None:
        """The person with this (normalised) login."""
        return await self._session.scalar(select(Manager).where(Manager.login == login))

    def add_session(self, row: ConsoleSession) -> None:
        self._session.add(row)

    async def session_by_hash(self, token_hash: str) -> ConsoleSession | None:
        query = select(ConsoleSession).where(ConsoleSession.token_hash == token_hash)
        return await self._session.scalar(query)

    async def end_session(self, token_hash: str) -> None:
        await self._session.execute(
            delete(ConsoleSession).where(ConsoleSession.token_hash == token_hash)
        )

    async def end_sessions_of(self, manager_id: int) -> None:
        """Log a person out everywhere (his password changed)."""
        await self._session.execute(
            delete(ConsoleSession).where(ConsoleSession.manager_id == manager_id)
        )

    async def end_expired(self, now: datetime) -> None:
        await self._session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at <= now))

    def add_link(self, link: PasswordLink) -> None:
        self._session.add(link)

    async def link_by_hash(self, code_hash: str) -> PasswordLink | None:
        query = select(PasswordLink).where(PasswordLink.code_hash == code_hash)
        return await self._session.scalar(query)

    async def spend_link(self, code_hash: str, now: datetime) -> bool:
        """Mark a link used, if nobody has used it yet; True when this call did."""
        result = await self._session.execute(
            update(PasswordLink)
            .where(PasswordLink.code_hash == code_hash, PasswordLink.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))
