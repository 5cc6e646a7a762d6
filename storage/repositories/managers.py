"""Managers and their absences."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Absence, Client, Manager
from storage.repositories.sets import among


class ManagerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, manager_id: int) -> Manager | None:
        return await self._session.get(Manager, manager_id)

    async def list(self, *, active: bool | None = None) -> Sequence[Manager]:
        query = select(Manager).order_by(Manager.id)
        if active is not None:
            query = query.where(Manager.active.is_(active))
        return (await self._session.scalars(query)).all()

    async def by_extension(self, extension: str) -> Manager | None:
        return await self._session.scalar(select(Manager).where(Manager.extension == extension))

    async def by_extensions(self, extensions: set[str]) -> dict[str, int]:
        if not extensions:
            return {}
        rows = await self._session.execute(
            select(Manager.extension, Manager.id).where(
                among(self._session, Manager.extension, extensions)
            )
        )
        return {ext: mid for ext, mid in rows if ext is not None}

    async def by_chat(self, chat_id: int) -> Manager | None:
        return await self._session.scalar(
            select(Manager).where(Manager.telegram_chat_id == chat_id)
        )

    async def by_max_user(self, user_id: int) -> Manager | None:
        """The person whose MAX user id it is (the staff bot on MAX writes to him)."""
        return await self._session.scalar(select(Manager).where(Manager.max_user_id == user_id))

    async def subordinates(self, manager_id: int) -> Sequence[Manager]:
        query = select(Manager).where(Manager.supervisor_id == manager_id)
        return (await self._session.scalars(query)).all()

    def add(self, manager: Manager) -> None:
        self._session.add(manager)

    async def client_count(self, manager_id: int) -> int:
        """How many clients have this manager as their personal manager."""
        query = select(func.count(Client.id)).where(Client.manager_id == manager_id)
        return int(await self._session.scalar(query) or 0)

    async def delete(self, manager: Manager) -> None:
        await self._session.delete(manager)

    async def absences(self, manager_id: int | None = None) -> Sequence[Absence]:
        query = select(Absence).order_by(Absence.starts_at)
        if manager_id is not None:
            query = query.where(Absence.manager_id == manager_id)
        return (await self._session.scalars(query)).all()

    async def absences_touching(self, since: datetime) -> Sequence[Absence]:
        """Absences that have not ended before ``since`` (what routing needs to know about)."""
        query = select(Absence).where(Absence.ends_at > since)
        return (await self._session.scalars(query)).all()

    async def absence(self, absence_id: int) -> Absence | None:
        return await self._session.get(Absence, absence_id)

    def add_absence(self, absence: Absence) -> None:
        self._session.add(absence)

    async def delete_absence(self, absence: Absence) -> None:
        await self._session.delete(absence)
