"""The audit log: who changed what, when, and how it looked before and after."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def record(
        self,
        *,
        actor: str,
        action: str,
        entity: str,
        entity_id: str | int,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> AuditEntry:
        entry = AuditEntry(
            actor=actor,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=before,
            after=after,
        )
        self._session.add(entry)
        return entry

    async def get(self, entry_id: int) -> AuditEntry | None:
        return await self._session.get(AuditEntry, entry_id)

    async def page(
        self,
        *,
        entity: str | None = None,
        entity_id: str | None = None,
        before_id: int | None = None,
        limit: int = 100,
        actor: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Sequence[AuditEntry]:
        """Entries matching every filter given, newest first (``until`` is exclusive)."""
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if entity:
            query = query.where(AuditEntry.entity == entity)
        if entity_id:
            query = query.where(AuditEntry.entity_id == entity_id)
        if actor:
            query = query.where(AuditEntry.actor == actor)
        if since is not None:
            query = query.where(AuditEntry.at >= since)
        if until is not None:
            query = query.where(AuditEntry.at < until)
        if before_id is not None:
            query = query.where(AuditEntry.id < before_id)
        return (await self._session.scalars(query)).all()

    async def actors(self, limit: int = 200) -> list[str]:
        """Who has changed something, the most recent first."""
        query = (
            select(AuditEntry.actor)
            .group_by(AuditEntry.actor)
            .order_by(func.max(AuditEntry.id).desc())
            .limit(limit)
        )
        return list((await self._session.scalars(query)).all())

    async def history(self, *, entity: str, entity_id: str) -> Sequence[AuditEntry]:
        """Every entry about one thing, oldest first."""
        query = (
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        )
        return (await self._session.scalars(query)).all()

    async def since(self, after_id: int, limit: int = 1000) -> Sequence[AuditEntry]:
        query = (
            select(AuditEntry).where(AuditEntry.id > after_id).order_by(AuditEntry.id).limit(limit)
        )
        return (await self._session.scalars(query)).all()

    async def last_id(self) -> int:
        return int(await self._session.scalar(select(func.max(AuditEntry.id))) or 0)
