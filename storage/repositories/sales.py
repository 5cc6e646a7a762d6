"""Sales: the purchases a client's status is computed from.

A sale from an import carries a dedup key, so the same file imported twice adds each sale once
(the unique key decides, on SQLite and PostgreSQL alike); a sale entered by hand has none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Sale
from storage.repositories.sets import among, batches

# (purchase days, the last of them) of a client; (0, None) when he has bought nothing.
Summary = tuple[int, date | None]


class SaleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, sale: Sale) -> None:
        self._session.add(sale)

    async def insert_new(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert sales, skipping those whose dedup key is already stored; returns the client
        ids of the sales that were new (one per new sale)."""
        if not rows:
            return []
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(Sale).on_conflict_do_nothing().returning(Sale.client_id)
        return [cid for (cid,) in (await self._session.execute(statement, list(rows))).all()]

    async def of_client(self, client_id: int, *, limit: int = 1000) -> Sequence[Sale]:
        """The client's sales, newest first."""
        query = (
            select(Sale)
            .where(Sale.client_id == client_id)
            .order_by(Sale.sold_on.desc(), Sale.id.desc())
            .limit(limit)
        )
        return (await self._session.scalars(query)).all()

    async def summaries(self, client_ids: Iterable[int]) -> dict[int, Summary]:
        """Each client's purchase days and the last of them."""
        ids = list(set(client_ids))
        found: dict[int, Summary] = dict.fromkeys(ids, (0, None))
        for part in batches(self._session, ids):
            rows = await self._session.execute(
                select(Sale.client_id, func.count(distinct(Sale.sold_on)), func.max(Sale.sold_on))
                .where(among(self._session, Sale.client_id, part))
                .group_by(Sale.client_id)
            )
            for cid, days, last in rows:
                found[cid] = (int(days), last)
        return found
