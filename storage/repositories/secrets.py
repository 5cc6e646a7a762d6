"""Secrets the service makes for itself: made once, by whichever instance asks first."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ServiceSecret


class SecretRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get_or_make(self, name: str, make: Callable[[], str]) -> str:
        """The secret ``name``; made with ``make`` if there is none yet. Two instances asking at
        once both get the one that was stored first. The caller commits."""
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        await self._session.execute(
            insert(ServiceSecret).values(name=name, value=make()).on_conflict_do_nothing()
        )
        query = select(ServiceSecret.value).where(ServiceSecret.name == name)
        return (await self._session.execute(query)).scalar_one()
