"""Clients and their phone numbers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import CASEFOLD
from storage.models import Client, ClientPhone
from storage.repositories.sets import among, batches


class ClientRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, client_id: int) -> Client | None:
        return await self._session.get(Client, client_id)

    async def many(self, client_ids: Iterable[int]) -> dict[int, Client]:
        """The clients of ``client_ids`` that exist, by id (one query)."""
        wanted = sorted(set(client_ids))
        if not wanted:
            return {}
        found = await self._session.scalars(
            select(Client).where(among(self._session, Client.id, wanted))
        )
        return {client.id: client for client in found.all()}

    async def page(
        self,
        *,
        manager_id: int | None = None,
        name: str | None = None,
        phone: str | None = None,
        status: str | None = None,
        after_id: int = 0,
        limit: int = 100,
    ) -> Sequence[Client]:
        """A page of cards by id; ``name`` is a part of the name in any case, ``phone`` an E.164
        number one of the card's phones is."""
        query = select(Client).where(Client.id > after_id).order_by(Client.id).limit(limit)
        if manager_id is not None:
            query = query.where(Client.manager_id == manager_id)
        if name and name.strip():
            query = query.where(self._name_holds(name))
        if phone is not None:
            owner = select(ClientPhone.client_id).where(ClientPhone.number == phone)
            query = query.where(Client.id.in_(owner))
        if status:
            query = query.where(Client.status == status)
        return (await self._session.scalars(query)).all()

    async def search(self, words: str, *, limit: int = 10) -> Sequence[Client]:
        """Clients one of whose phones holds the digits of ``words`` (three or more), then
        those whose name holds ``words`` (any case, Cyrillic too); each by name."""
        digits = "".join(ch for ch in words if ch.isdigit())
        by_phone: list[Client] = []
        if len(digits) >= 3:
            query = (
                select(Client)
                .join(ClientPhone, ClientPhone.client_id == Client.id)
                .where(ClientPhone.number.contains(digits, autoescape=True))
                .distinct()
                .order_by(Client.name)
                .limit(limit)
            )
            by_phone = list((await self._session.scalars(query)).all())
        found = {c.id for c in by_phone}
        by_name = [c for c in await self._by_name(words, limit) if c.id not in found]
        return [*by_phone, *by_name][:limit]

    async def _by_name(self, words: str, limit: int) -> Sequence[Client]:
        if not words.strip():
            return []
        query = select(Client).where(self._name_holds(words)).order_by(Client.name).limit(limit)
        return (await self._session.scalars(query)).all()

    def _name_holds(self, words: str) -> ColumnElement[bool]:
        """The card's name holds ``words``, whatever the case of either, Cyrillic too.

        A part of a name is found by scanning the names whichever way it is written (no B-tree
        index serves an infix), so the comparison stays in SQL, where paging and limits are:
        PostgreSQL's ILIKE folds any letter; SQLite's folds ASCII only, so there the name goes
        through a function the connection registers (storage/db.py). No folded copy of the name
        is stored: every writer of names (the API, the importer's bulk rows) would have to keep
        it."""
        wanted = words.strip().casefold()
        if self._session.get_bind().dialect.name == "postgresql":
            return Client.name.icontains(wanted, autoescape=True)
        folded: ColumnElement[str] = getattr(func, CASEFOLD)(Client.name)
        return folded.contains(wanted, autoescape=True)

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count(Client.id))) or 0)

    def add(self, client: Client) -> None:
        self._session.add(client)

    async def delete(self, client: Client) -> None:
        await self._session.delete(client)

    async def phones(self, client_id: int) -> list[str]:
        query = select(ClientPhone.number).where(ClientPhone.client_id == client_id)
        return sorted((await self._session.scalars(query.order_by(ClientPhone.id))).all())

    async def phones_of(self, client_ids: Iterable[int]) -> dict[int, list[str]]:
        ids = list(client_ids)
        result: dict[int, list[str]] = {cid: [] for cid in ids}
        if not ids:
            return result
        rows = await self._session.execute(
            select(ClientPhone.client_id, ClientPhone.number)
            .where(among(self._session, ClientPhone.client_id, ids))
            .order_by(ClientPhone.number)
        )
        for cid, number in rows:
            result[cid].append(number)
        return result

    async def extensions(self, client_id: int) -> dict[str, str]:
        """The client's phones that have an extension, with it."""
        return (await self.extensions_of([client_id]))[client_id]

    async def extensions_of(self, client_ids: Iterable[int]) -> dict[int, dict[str, str]]:
        ids = list(client_ids)
        result: dict[int, dict[str, str]] = {cid: {} for cid in ids}
        if not ids:
            return result
        rows = await self._session.execute(
            select(ClientPhone.client_id, ClientPhone.number, ClientPhone.ext).where(
                among(self._session, ClientPhone.client_id, ids), ClientPhone.ext.is_not(None)
            )
        )
        for cid, number, ext in rows:
            if ext:
                result[cid][number] = ext
        return result

    async def owners(self, numbers: Iterable[str]) -> dict[str, int]:
        """Which client owns each of these E.164 numbers (numbers nobody owns are left out)."""
        wanted = list(set(numbers))
        if not wanted:
            return {}
        owners: dict[str, int] = {}
        for part in batches(self._session, wanted):
            rows = await self._session.execute(
                select(ClientPhone.number, ClientPhone.client_id).where(
                    among(self._session, ClientPhone.number, part)
                )
            )
            owners.update(dict(rows.all()))
        return owners

    async def set_phones(
        self,
        client_id: int,
        numbers: Iterable[str],
        extensions: Mapping[str, str] | None = None,
    ) -> None:
        """Replace the client's phones with ``numbers`` (callers check ownership first); given
        ``extensions``, each phone's extension is set to it (none where it has none)."""
        wanted = set(numbers)
        rows = await self._session.scalars(
            select(ClientPhone).where(ClientPhone.client_id == client_id)
        )
        current = {phone.number: phone for phone in rows}
        gone = set(current) - wanted
        if gone:
            await self._session.execute(
                delete(ClientPhone).where(
                    ClientPhone.client_id == client_id, ClientPhone.number.in_(gone)
                )
            )
        if extensions is not None:
            for number in wanted & set(current):
                current[number].ext = extensions.get(number)
        for number in sorted(wanted - set(current)):
            ext = extensions.get(number) if extensions is not None else None
            self._session.add(ClientPhone(client_id=client_id, number=number, ext=ext))
        await self._session.flush()
