"""What the daily recompute of client statuses reads and writes: each client's status with the
facts it is computed from, and a compare-and-set of the status, so two instances recomputing at
once change (and audit) each client once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import distinct, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Client, Sale
from storage.repositories.sets import among


class StatusFacts(NamedTuple):
    client_id: int
    manager_id: int | None
    status: str
    set_by_hand_at: datetime | None
    purchases: int
    last_sale: date | None


class ClientStatusRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def facts(self, *, after_id: int = 0, limit: int = 2000) -> list[StatusFacts]:
        """A page of clients (by id) with their purchase days and last sale. The page is taken
        first and only its clients' sales are grouped: grouping every client after ``after_id``
        and then keeping a page made each page cost as much as the rest of the table."""
        page = (
            select(Client.id, Client.manager_id, Client.status, Client.status_set_by_hand_at)
            .where(Client.id > after_id)
            .order_by(Client.id)
            .limit(limit)
            .subquery()
        )
        rows = await self._session.execute(
            select(
                page.c.id,
                page.c.manager_id,
                page.c.status,
                page.c.status_set_by_hand_at,
                func.count(distinct(Sale.sold_on)),
                func.max(Sale.sold_on),
            )
            .outerjoin(Sale, Sale.client_id == page.c.id)
            .group_by(page.c.id, page.c.manager_id, page.c.status, page.c.status_set_by_hand_at)
            .order_by(page.c.id)
        )
        return [
            StatusFacts(cid, mid, st, hand, int(n), last) for cid, mid, st, hand, n, last in rows
        ]

    async def cards(self, client_ids: Iterable[int]) -> Sequence[Client]:
        ids = list(client_ids)
        if not ids:
            return []
        query = select(Client).where(among(self._session, Client.id, ids)).order_by(Client.id)
        return (await self._session.scalars(query)).all()

    async def set_status(self, seen: StatusFacts, status: str) -> bool:
        """Set the computed ``status`` (clearing a mark of a status set by hand) if the client
        still has the status and mark ``seen``; False when someone changed it meanwhile."""
        mark = (
            Client.status_set_by_hand_at.is_(None)
            if seen.set_by_hand_at is None
            else Client.status_set_by_hand_at == seen.set_by_hand_at
        )
        result = await self._session.execute(
            update(Client)
            .where(Client.id == seen.client_id, Client.status == seen.status, mark)
            .values(status=status, status_set_by_hand_at=None)
            .execution_options(synchronize_session=False)
        )
        assert isinstance(result, CursorResult)
        return result.rowcount == 1
