"""Callback cases: the active case of a number, due cases, listings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.cases import ACTIVE as CASE_ACTIVE
from hub.domain.cases import CaseStatus
from storage.models import CallbackCase, Client, Manager
from storage.repositories.ids import reserve_ids
from storage.repositories.sets import Column, among, batches

ACTIVE = tuple(sorted(CASE_ACTIVE))


class CaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, case: CallbackCase) -> None:
        self._session.add(case)

    async def add_all(self, cases: Sequence[CallbackCase]) -> None:
        """Add new cases to be written together by the next flush. On SQLite their ids are
        drawn first: there the ORM inserts rows whose ids the database makes one statement
        apiece (SQLite's RETURNING cannot be matched to the rows in order), rows with their ids
        in one. PostgreSQL's flush inserts them in one statement anyway, ids returned in order."""
        if not cases:
            return
        if not self._postgres():
            ids = await reserve_ids(self._session, CallbackCase.id, len(cases))
            for case, new_id in zip(cases, ids, strict=True):
                case.id = new_id
        self._session.add_all(cases)

    def _postgres(self) -> bool:
        """On PostgreSQL: row locks are taken (SQLite transactions already run one at a time),
        and new cases' ids come back from their insert."""
        return self._session.get_bind().dialect.name == "postgresql"

    async def responsible(self, case: CallbackCase) -> tuple[int | None, int | None]:
        """Who answers for the case: (the responsible manager, his supervisor), either None."""
        if case.manager_id is None:
            return None, None
        boss = await self._session.scalar(
            select(Manager.supervisor_id).where(Manager.id == case.manager_id)
        )
        return case.manager_id, boss

    async def get(self, case_id: int, *, lock: bool = False) -> CallbackCase | None:
        """A case; ``lock`` holds it until the transaction ends (for changing it) and reads it
        fresh, so whoever changed it meanwhile is seen."""
        if not lock:
            return await self._session.get(CallbackCase, case_id)
        return await self._session.get(
            CallbackCase, case_id, with_for_update=self._postgres(), populate_existing=True
        )

    async def active_for(
        self, numbers: Iterable[str], *, lock: bool = False
    ) -> dict[str, CallbackCase]:
        """The open or escalated case of each number. ``lock`` as for :meth:`get` (in id order,
        so two transactions locking overlapping sets cannot deadlock); a case closed by another
        transaction while this one waited is not returned."""
        found = await self._active_among(CallbackCase.number, sorted(set(numbers)), lock=lock)
        return {case.number: case for case in found}

    async def _active_among(
        self, column: Column, values: list[Any], *, lock: bool
    ) -> list[CallbackCase]:
        """The active cases whose ``column`` is one of ``values``; ``lock`` as for
        :meth:`active_for` (each batch locked in id order)."""
        found: list[CallbackCase] = []
        for part in batches(self._session, values):
            query = select(CallbackCase).where(
                among(self._session, column, part), CallbackCase.status.in_(ACTIVE)
            )
            if lock:
                query = query.order_by(CallbackCase.id).execution_options(populate_existing=True)
                if self._postgres():
                    query = query.with_for_update()
            found += (await self._session.scalars(query)).all()
        return found

    async def active_messages(
        self, conversation_id: int, client_id: int | None
    ) -> Sequence[CallbackCase]:
        """The active message cases of this conversation, or of its client on any channel."""
        which = CallbackCase.conversation_id == conversation_id
        if client_id is not None:
            which = or_(which, CallbackCase.client_id == client_id)
        query = select(CallbackCase).where(
            CallbackCase.kind == "message",
            CallbackCase.status.in_(ACTIVE),
            which,
        )
        if self._postgres():
            query = query.with_for_update()
        return (await self._session.scalars(query)).all()

    async def active_of_client(self, client_id: int) -> CallbackCase | None:
        """The client's active case of either kind (one per client at a time)."""
        query = select(CallbackCase).where(
            CallbackCase.client_id == client_id,
            CallbackCase.status.in_(ACTIVE),
        )
        return (await self._session.scalars(query.limit(1))).first()

    async def active_of(self, manager_ids: Iterable[int] | None) -> Sequence[CallbackCase]:
        """Active cases of these managers (of everybody for None), oldest first."""
        query = (
            select(CallbackCase)
            .where(CallbackCase.status.in_(ACTIVE))
            .order_by(CallbackCase.first_missed_at, CallbackCase.id)
        )
        if manager_ids is not None:
            query = query.where(CallbackCase.manager_id.in_(list(manager_ids)))
        return (await self._session.scalars(query)).all()

    async def active_of_clients(
        self, client_ids: Iterable[int], *, lock: bool = False
    ) -> list[CallbackCase]:
        """Active cases of these clients, by id; ``lock`` as for :meth:`active_for`."""
        found = await self._active_among(CallbackCase.client_id, sorted(set(client_ids)), lock=lock)
        return sorted(found, key=lambda case: case.id)

    async def client_managers(self, client_ids: Iterable[int]) -> dict[int, int]:
        ids = list(set(client_ids))
        if not ids:
            return {}
        rows = await self._session.execute(
            select(Client.id, Client.manager_id).where(among(self._session, Client.id, ids))
        )
        return {cid: mid for cid, mid in rows if mid is not None}

    async def claim_due(self, now: datetime, limit: int) -> Sequence[CallbackCase]:
        """Mark open cases whose deadline has passed as escalated, and return them.

        The UPDATE is the claim: a case moves from open to escalated once, whichever instance or
        sweep gets there first; the others find nothing left to update.
        """
        due = (
            select(CallbackCase.id)
            .where(CallbackCase.status == CaseStatus.OPEN, CallbackCase.escalate_at <= now)
            .order_by(CallbackCase.escalate_at)
            .limit(limit)
        )
        if self._postgres():
            due = due.with_for_update(skip_locked=True)
        ids = list((await self._session.scalars(due)).all())
        if not ids:
            return []
        claimed = await self._session.execute(
            update(CallbackCase)
            .where(
                among(self._session, CallbackCase.id, ids), CallbackCase.status == CaseStatus.OPEN
            )
            .values(status=CaseStatus.ESCALATED, escalated_at=now, escalate_at=None)
            .returning(CallbackCase.id)
            .execution_options(synchronize_session=False)
        )
        won = [row[0] for row in claimed]
        if not won:
            return []
        query = (
            select(CallbackCase)
            .where(among(self._session, CallbackCase.id, won))
            .order_by(CallbackCase.id)
        )
        return (await self._session.scalars(query.execution_options(populate_existing=True))).all()

    async def page(
        self,
        *,
        status: str | None = None,
        kind: str | None = None,
        manager_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after_id: int = 0,
        limit: int = 100,
    ) -> Sequence[CallbackCase]:
        query = (
            select(CallbackCase)
            .where(CallbackCase.id > after_id)
            .order_by(CallbackCase.id)
            .limit(limit)
        )
        if status:
            query = query.where(CallbackCase.status == status)
        if kind:
            query = query.where(CallbackCase.kind == kind)
        if manager_id is not None:
            query = query.where(CallbackCase.manager_id == manager_id)
        if since is not None:
            query = query.where(CallbackCase.first_missed_at >= since)
        if until is not None:
            query = query.where(CallbackCase.first_missed_at < until)
        return (await self._session.scalars(query)).all()
