"""The whole directory, as routing's in-memory snapshot loads it (and reloads parts).

The whole of a table is read as a stream, a partition of ``size`` rows at a time: the reader
builds from one partition while the next is on its way, and never holds every row at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any, TypeVarTuple

from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Client, ClientPhone, ListEntry, NumberList, UnknownNumber
from storage.repositories.sets import among, batches

# Changed entities read again (and applied by the snapshot) at a time.
CHUNK = 500
# Rows per partition when a whole table is read.
LOAD_CHUNK = 250

Ts = TypeVarTuple("Ts")


class DirectoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def client_cards(
        self, size: int = LOAD_CHUNK
    ) -> AsyncIterator[Sequence[Row[int, str, int | None]]]:
        """Every client as (id, name, manager id), by id."""
        query = select(Client.id, Client.name, Client.manager_id).order_by(Client.id)
        return self._partitions(query, size)

    def client_numbers(self, size: int = LOAD_CHUNK) -> AsyncIterator[Sequence[Row[str, int]]]:
        """Every client's phone as (number, client id), by the number's length, then the
        number (as digits: ascending E.164 numbers in this order are ascending numbers)."""
        number: Any = ClientPhone.number
        if self._session.get_bind().dialect.name == "postgresql":
            number = number.collate("C")  # the database's collation may not sort by byte
        query = select(ClientPhone.number, ClientPhone.client_id)
        return self._partitions(query.order_by(func.length(ClientPhone.number), number), size)

    def list_entries(self, size: int = LOAD_CHUNK) -> AsyncIterator[Sequence[Row[str, int]]]:
        """Every listed number and its list's id, as (number, list id)."""
        return self._partitions(select(ListEntry.number, ListEntry.list_id), size)

    def talked_numbers(
        self, since: datetime, size: int = LOAD_CHUNK
    ) -> AsyncIterator[Sequence[Row[str, int | None, datetime | None]]]:
        """(number, manager id, when) of every open unknown number someone talked to since."""
        query = select(
            UnknownNumber.number, UnknownNumber.last_manager_id, UnknownNumber.last_talked_at
        ).where(
            UnknownNumber.last_manager_id.is_not(None),
            UnknownNumber.last_talked_at >= since,
        )
        return self._partitions(query, size)

    async def _partitions(self, query: Select[*Ts], size: int) -> AsyncIterator[Sequence[Row[*Ts]]]:
        # Through the connection: rows as the driver gives them, without the ORM's loading.
        connection = await self._session.connection()
        result = await connection.stream(query.execution_options(yield_per=size))
        try:
            async for part in result.partitions():
                yield part
        finally:
            await result.close()

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
        for part in batches(self._session, ids):
            rows = await self._session.execute(
                select(Client.id, Client.name, Client.manager_id).where(
                    among(self._session, Client.id, part)
                )
            )
            found += [(cid, name, manager_id) for cid, name, manager_id in rows]
        return found

    async def phones_in(self, ids: Sequence[int]) -> list[tuple[int, str]]:
        """The phones of the clients ``ids`` as (client id, number)."""
        found: list[tuple[int, str]] = []
        for part in batches(self._session, ids):
            rows = await self._session.execute(
                select(ClientPhone.client_id, ClientPhone.number).where(
                    among(self._session, ClientPhone.client_id, part)
                )
            )
            found += [(cid, number) for cid, number in rows]
        return found

    async def lists_of(self, numbers: Sequence[str]) -> dict[str, int]:
        """The list of each of ``numbers`` that is on one."""
        found: dict[str, int] = {}
        for part in batches(self._session, numbers):
            rows = await self._session.execute(
                select(ListEntry.number, ListEntry.list_id).where(
                    among(self._session, ListEntry.number, part)
                )
            )
            found.update({number: list_id for number, list_id in rows.all()})  # noqa: C416
        return found

    async def lists(self) -> Sequence[NumberList]:
        return (await self._session.scalars(select(NumberList))).all()
