"""The triage queue of numbers that called and are neither a client's nor on a list."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.unknown import UnknownStatus
from storage.models import UnknownNumber
from storage.repositories.bulk import insert_rows
from storage.repositories.sets import among, batches


class UnknownNumberRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, number: str, *, lock: bool = False) -> UnknownNumber | None:
        """The number's entry; ``lock`` holds it until the transaction ends and reads it fresh,
        so a colleague triaging it at the same moment waits, then finds it triaged (row locks
        are PostgreSQL's; SQLite's writers already take turns)."""
        query = select(UnknownNumber).where(UnknownNumber.number == number)
        if lock:
            query = query.execution_options(populate_existing=True)
            if self._session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update()
        return await self._session.scalar(query)

    async def by_numbers(self, numbers: Iterable[str]) -> dict[str, UnknownNumber]:
        wanted = list(set(numbers))
        result: dict[str, UnknownNumber] = {}
        for part in batches(self._session, wanted):
            query = select(UnknownNumber).where(among(self._session, UnknownNumber.number, part))
            result.update({u.number: u for u in (await self._session.scalars(query)).all()})
        return result

    def add(self, entry: UnknownNumber) -> None:
        self._session.add(entry)

    async def insert_new(self, entries: list[UnknownNumber]) -> None:
        """Insert transient entries in one statement (their ids are not read back)."""
        await insert_rows(self._session, UnknownNumber, entries)

    async def page(
        self,
        *,
        status: str | None = UnknownStatus.OPEN,
        after_id: int = 0,
        limit: int = 100,
        manager_id: int | None = None,
        seen_before: datetime | None = None,
        oldest_skip: int | None = None,
    ) -> Sequence[UnknownNumber]:
        """A page of the queue: by id after ``after_id``, or, given ``oldest_skip``, the oldest
        first after skipping that many."""
        query = select(UnknownNumber).limit(limit)
        if oldest_skip is not None:
            query = query.order_by(UnknownNumber.first_seen, UnknownNumber.id).offset(oldest_skip)
        else:
            query = query.where(UnknownNumber.id > after_id).order_by(UnknownNumber.id)
        if status:
            query = query.where(UnknownNumber.status == status)
        if manager_id is not None:
            query = query.where(UnknownNumber.manager_id == manager_id)
        if seen_before is not None:
            query = query.where(UnknownNumber.first_seen <= seen_before)
        return (await self._session.scalars(query)).all()

    async def count_open(self) -> int:
        query = select(func.count(UnknownNumber.id)).where(
            UnknownNumber.status == UnknownStatus.OPEN
        )
        return int(await self._session.scalar(query) or 0)
