"""Number lists (blacklist, job seekers, ...) and their entries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ListEntry, NumberList
from storage.repositories.sets import among, batches


class ListRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def all(self) -> Sequence[NumberList]:
        return (await self._session.scalars(select(NumberList).order_by(NumberList.id))).all()

    async def by_slug(self, slug: str) -> NumberList | None:
        return await self._session.scalar(select(NumberList).where(NumberList.slug == slug))

    async def get(self, list_id: int) -> NumberList | None:
        return await self._session.get(NumberList, list_id)

    def add(self, number_list: NumberList) -> None:
        self._session.add(number_list)

    async def delete(self, number_list: NumberList) -> None:
        await self._session.delete(number_list)

    async def entries(
        self, list_id: int, *, after_id: int = 0, limit: int = 100
    ) -> Sequence[ListEntry]:
        query = (
            select(ListEntry)
            .where(ListEntry.list_id == list_id, ListEntry.id > after_id)
            .order_by(ListEntry.id)
            .limit(limit)
        )
        return (await self._session.scalars(query)).all()

    async def entry_count(self, list_id: int) -> int:
        query = select(func.count(ListEntry.id)).where(ListEntry.list_id == list_id)
        return int(await self._session.scalar(query) or 0)

    async def entry(self, number: str) -> ListEntry | None:
        return await self._session.scalar(select(ListEntry).where(ListEntry.number == number))

    async def memberships(self, numbers: Iterable[str]) -> dict[str, int]:
        """Which list each of these numbers is on (numbers on no list are left out)."""
        wanted = list(set(numbers))
        if not wanted:
            return {}
        result: dict[str, int] = {}
        for part in batches(self._session, wanted):
            rows = await self._session.execute(
                select(ListEntry.number, ListEntry.list_id).where(
                    among(self._session, ListEntry.number, part)
                )
            )
            result.update(dict(rows.all()))
        return result

    def add_entry(self, entry: ListEntry) -> None:
        self._session.add(entry)

    async def delete_entry(self, entry: ListEntry) -> None:
        await self._session.delete(entry)
