"""Where each person is in a dialogue with the staff bot (aiogram's FSM state and data)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import BotState


class BotStateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, key: str) -> BotState | None:
        return await self._session.get(BotState, key)

    async def set_state(self, key: str, state: str | None, *, now: datetime) -> None:
        row = await self._row(key, now)
        row.state = state
        await self._keep_or_drop(row)

    async def set_data(self, key: str, data: dict[str, Any], *, now: datetime) -> None:
        row = await self._row(key, now)
        row.data = dict(data)
        await self._keep_or_drop(row)

    async def _row(self, key: str, now: datetime) -> BotState:
        row = await self._session.get(BotState, key)
        if row is None:
            row = BotState(key=key, state=None, data={}, updated_at=now)
            self._session.add(row)
        row.updated_at = now
        return row

    async def _keep_or_drop(self, row: BotState) -> None:
        """A person with no state and no data is in no dialogue: nothing is kept."""
        if row.state is None and not row.data:
            if row in self._session.new:
                self._session.expunge(row)
            else:
                await self._session.delete(row)
        await self._session.flush()
