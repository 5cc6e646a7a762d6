"""Calls, the raw updates they are folded from, and the routing decisions made for them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Call, CallEvent, RouteDecisionRecord

CallKey = tuple[str, str]


class CallRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def insert_events(self, rows: list[dict[str, Any]]) -> set[str]:
        """Insert updates, skipping any whose event id or state key is already stored.

        Returns the state keys of the rows that were new: the only ones to act upon.
        """
        if not rows:
            return set()
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        inserted: set[str] = set()
        for start in range(0, len(rows), 200):
            statement = (
                insert(CallEvent)
                .values(rows[start : start + 200])
                .on_conflict_do_nothing()
                .returning(CallEvent.connector, CallEvent.state_key)
            )
            result = await self._session.execute(statement)
            inserted.update(f"{connector}|{key}" for connector, key in result)
        return inserted

    async def events_of(self, keys: Iterable[CallKey]) -> dict[CallKey, list[CallEvent]]:
        wanted = list(set(keys))
        result: dict[CallKey, list[CallEvent]] = {key: [] for key in wanted}
        for start in range(0, len(wanted), 300):
            chunk = wanted[start : start + 300]
            query = select(CallEvent).where(
                tuple_(CallEvent.connector, CallEvent.vendor_call_id).in_(chunk)
            )
            for event in (await self._session.scalars(query)).all():
                result[(event.connector, event.vendor_call_id)].append(event)
        return result

    async def calls_by_key(self, keys: Iterable[CallKey]) -> dict[CallKey, Call]:
        wanted = list(set(keys))
        result: dict[CallKey, Call] = {}
        for start in range(0, len(wanted), 300):
            chunk = wanted[start : start + 300]
            query = select(Call).where(tuple_(Call.connector, Call.vendor_call_id).in_(chunk))
            for call in (await self._session.scalars(query)).all():
                result[(call.connector, call.vendor_call_id)] = call
        return result

    def add(self, call: Call) -> None:
        self._session.add(call)

    async def get(self, call_id: int) -> Call | None:
        return await self._session.get(Call, call_id)

    async def page(
        self,
        *,
        numbers: Sequence[str] | None = None,
        direction: str | None = None,
        outcome: str | None = None,
        manager_id: int | None = None,
        client_id: int | None = None,
        connector: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        before_id: int | None = None,
        limit: int = 100,
    ) -> Sequence[Call]:
        query = select(Call).order_by(Call.id.desc()).limit(limit)
        if numbers is not None:
            query = query.where(
                or_(
                    Call.external_number.in_(numbers),
                    Call.caller.in_(numbers),
                    Call.callee.in_(numbers),
                )
            )
        equal = {
            Call.direction: direction,
            Call.outcome: outcome,
            Call.manager_id: manager_id,
            Call.client_id: client_id,
            Call.connector: connector,
        }
        applied = [column == value for column, value in equal.items() if value is not None]
        if since is not None:
            applied.append(Call.started_at >= since)
        if until is not None:
            applied.append(Call.started_at < until)
        if before_id is not None:
            applied.append(Call.id < before_id)
        if applied:
            query = query.where(and_(*applied))
        return (await self._session.scalars(query)).all()

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count(Call.id))) or 0)

    async def count_events(self) -> int:
        return int(await self._session.scalar(select(func.count(CallEvent.id))) or 0)

    async def event_ids(self, connector: str) -> set[str]:
        query = select(CallEvent.event_id).where(
            CallEvent.connector == connector, CallEvent.event_id.is_not(None)
        )
        return {value for value in (await self._session.scalars(query)).all() if value}

    def add_decision(self, decision: RouteDecisionRecord) -> None:
        self._session.add(decision)

    async def latest_decisions(
        self, callers: Iterable[str], since: datetime
    ) -> dict[str, RouteDecisionRecord]:
        """The newest routing decision for each caller made at or after ``since``."""
        wanted = list(set(callers))
        if not wanted:
            return {}
        query = (
            select(RouteDecisionRecord)
            .where(RouteDecisionRecord.caller.in_(wanted), RouteDecisionRecord.at >= since)
            .order_by(RouteDecisionRecord.at)
        )
        return {d.caller: d for d in (await self._session.scalars(query)).all()}

    async def decisions_for_call(self, refs: Iterable[str]) -> dict[str, RouteDecisionRecord]:
        wanted = list(set(refs))
        if not wanted:
            return {}
        query = (
            select(RouteDecisionRecord)
            .where(RouteDecisionRecord.call_ref.in_(wanted))
            .order_by(RouteDecisionRecord.at)
        )
        result: dict[str, RouteDecisionRecord] = {}
        for decision in (await self._session.scalars(query)).all():
            if decision.call_ref is not None:
                result[decision.call_ref] = decision
        return result
