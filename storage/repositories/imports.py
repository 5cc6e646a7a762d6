"""Bulk reads and writes for the client import: the directory in a few queries, each chunk of
cards, phones and audit rows in a few multi-row statements (new rows handed to the driver as they
are, ``storage/driver_rows.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.driver_rows import insert_many
from storage.models import AuditEntry, Client, ClientPhone, ListEntry, Manager
from storage.repositories.bulk import table_of
from storage.repositories.ids import reserve_ids

ClientRow = tuple[int, str, int | None, str, str]


class ImportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def clients(self) -> list[ClientRow]:
        """Every card as (id, name, manager id, status, notes)."""
        rows = await self._session.execute(
            select(Client.id, Client.name, Client.manager_id, Client.status, Client.notes)
        )
        return [(cid, name, mid, status, notes) for cid, name, mid, status, notes in rows]

    async def status_marks(self) -> dict[int, datetime]:
        """When each client whose status was set by hand had it set."""
        rows = await self._session.execute(
            select(Client.id, Client.status_set_by_hand_at).where(
                Client.status_set_by_hand_at.is_not(None)
            )
        )
        return {cid: at for cid, at in rows if at is not None}

    async def client_phones(self) -> list[tuple[int, str, str | None]]:
        """Every client's phone as (client id, number, extension)."""
        rows = await self._session.execute(
            select(ClientPhone.client_id, ClientPhone.number, ClientPhone.ext)
        )
        return [(cid, number, ext) for cid, number, ext in rows]

    async def listed_numbers(self) -> set[str]:
        return set((await self._session.scalars(select(ListEntry.number))).all())

    async def managers(self) -> list[tuple[int, str, str | None]]:
        """Every manager as (id, name, extension)."""
        rows = await self._session.execute(select(Manager.id, Manager.name, Manager.extension))
        return [(mid, name, ext) for mid, name, ext in rows]

    async def insert_clients(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert new cards (without ids); returns the ids they were given, in order."""
        ids = await reserve_ids(self._session, Client.id, len(rows))
        await insert_many(
            self._session,
            table_of(Client),
            [{**row, "id": new_id} for row, new_id in zip(rows, ids, strict=True)],
        )
        return ids

    async def update_clients(self, rows: Sequence[dict[str, Any]]) -> None:
        """Update cards by primary key (each row has its ``id``)."""
        if rows:
            await self._session.execute(update(Client), list(rows))

    async def insert_phones(self, phones: Sequence[tuple[int, str, str | None]]) -> None:
        """Add phones as (client id, number, extension)."""
        await insert_many(
            self._session,
            table_of(ClientPhone),
            [{"client_id": cid, "number": n, "ext": ext} for cid, n, ext in phones],
        )

    async def set_extensions(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Give existing phones, by number, a new extension."""
        if pairs:
            table = table_of(ClientPhone)  # core: an executemany by number
            await self._session.execute(
                update(table)
                .where(table.c.number == bindparam("wanted"))
                .values(ext=bindparam("new_ext")),
                [{"wanted": number, "new_ext": ext} for number, ext in pairs],
            )

    async def insert_audit(self, rows: Sequence[dict[str, Any]]) -> None:
        await insert_many(self._session, table_of(AuditEntry), rows)
