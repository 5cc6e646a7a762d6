"""The whole directory at once, as routing's in-memory snapshot loads it (and reloads parts)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Client, ClientPhone, ListEntry, NumberList

# Ids per IN (...) when a batch of changed entities is read again.
CHUNK = 500


class DirectoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def clients(self) -> list[tuple[int, str, int | None]]:
        """Every client as (id, name, manager id)."""
        rows = await self._session.execute(select(Client.id, Client.name, Client.manager_id))
        return [(cid, name, manager_id) for cid, name, manager_id in rows]

    async def client_phones(self) -> list[tuple[int, str]]:
        """Every client's phone as (client id, number)."""
        rows = await self._session.execute(select(ClientPhone.client_id, ClientPhone.number))
        return [(cid, number) for cid, number in rows]

    async def list_entries(self) -> dict[str, int]:
        """Every listed number and its list's id."""
        rows = await self._session.execute(select(ListEntry.number, ListEntry.list_id))
        return {number: list_id for number, list_id in rows.all()}  # noqa: C416 (rows, not pairs)

    async def list_of(self, number: str) -> int | None:
        found: int | None = await self._session.scalar(
            select(ListEntry.list_id).where(ListEntry.number == number)
        )
        return found

    async def client(self, client_id: int) -> Client | None:
        """The client as it is now (not as the session may remember it)."""
        return await self._session.get(Client, client_id, populate_existing=True)

    async def numbers_of(self, client_id: int) -> Sequence[str]:
        rows = await self._session.scalars(
            select(ClientPhone.number).where(ClientPhone.client_id == client_id)
        )
        return rows.all()

    async def clients_in(self, ids: Sequence[int]) -> list[tuple[int, str, int | None]]:
        """The clients among ``ids`` that exist, as (id, name, manager id)."""
        found: list[tuple[int, str, int | None]] = []
        for start in range(0, len(ids), CHUNK):
            rows = await self._session.execute(
                select(Client.id, Client.name, Client.manager_id).where(
                    Client.id.in_(ids[start : start + CHUNK])
                )
            )
            found += [(cid, name, manager_id) for cid, name, manager_id in rows]
        return found

    async def phones_in(self, ids: Sequence[int]) -> list[tuple[int, str]]:
        """The phones of the clients ``ids`` as (client id, number)."""
        found: list[tuple[int, str]] = []
        for start in range(0, len(ids), CHUNK):
            rows = await self._session.execute(
                select(ClientPhone.client_id, ClientPhone.number).where(
                    ClientPhone.client_id.in_(ids[start : start + CHUNK])
                )
            )
            found += [(cid, number) for cid, number in rows]
        return found

    async def lists_of(self, numbers: Sequence[str]) -> dict[str, int]:
        """The list of each of ``numbers`` that is on one."""
        found: dict[str, int] = {}
        for start in range(0, len(numbers), CHUNK):
            rows = await self._session.execute(
                select(ListEntry.number, ListEntry.list_id).where(
                    ListEntry.number.in_(numbers[start : start + CHUNK])
                )
            )
            found.update({number: list_id for number, list_id in rows.all()})  # noqa: C416
        return found

    async def lists(self) -> Sequence[NumberList]:
        return (await self._session.scalars(select(NumberList))).all()
