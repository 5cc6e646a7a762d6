"""Telegram invites, stored by the SHA-256 of their code."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Invite


class InviteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, invite: Invite) -> None:
        self._session.add(invite)

    async def by_hash(self, code_hash: str) -> Invite | None:
        return await self._session.scalar(select(Invite).where(Invite.code_hash == code_hash))
