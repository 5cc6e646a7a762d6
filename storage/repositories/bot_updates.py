"""Telegram updates claimed for handling, so that one posted twice is handled once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import BotUpdate


class BotUpdateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, update_id: int, now: datetime, stale: timedelta) -> bool:
        """Take this update for handling. False if it was handled, or is being handled by an
        instance that took it less than ``stale`` ago (one that died mid-way loses it then)."""
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        taken = await self._session.execute(
            insert(BotUpdate)
            .values(update_id=update_id, claimed_at=now)
            .on_conflict_do_nothing()
            .returning(BotUpdate.update_id)
        )
        if taken.first() is not None:
            return True
        retaken = await self._session.execute(
            update(BotUpdate)
            .where(
                BotUpdate.update_id == update_id,
                BotUpdate.handled_at.is_(None),
                BotUpdate.claimed_at < now - stale,
            )
            .values(claimed_at=now)
            .returning(BotUpdate.update_id)
        )
        return retaken.first() is not None

    async def handled(self, update_id: int, now: datetime) -> None:
        await self._session.execute(
            update(BotUpdate).where(BotUpdate.update_id == update_id).values(handled_at=now)
        )

    async def release(self, update_id: int) -> None:
        """Handling failed: let Telegram's next attempt (at any instance) handle it."""
        await self._session.execute(
            delete(BotUpdate).where(
                BotUpdate.update_id == update_id, BotUpdate.handled_at.is_(None)
            )
        )

    async def forget(self, before: datetime) -> int:
        """Drop claims older than ``before`` (Telegram gives up on an update within a day)."""
        result = await self._session.execute(
            delete(BotUpdate).where(BotUpdate.claimed_at < before).returning(BotUpdate.update_id)
        )
        return len(result.all())
