"""Calls, the raw updates they are folded from, and the routing decisions made for them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.calls import dedup_key
from storage.models import UNFOLDED, Call, CallEvent, RouteDecisionRecord
from storage.repositories.bulk import insert_rows, table_of
from storage.repositories.sets import among, batches

CallKey = tuple[str, str]


class CallRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _by_connector(self, keys: Iterable[CallKey]) -> list[tuple[str, Sequence[str]]]:
        """Group call keys per connector, in batches, so each query is an indexed match on one
        column."""
        grouped: dict[str, list[str]] = {}
        for connector, call_id in set(keys):
            grouped.setdefault(connector, []).append(call_id)
        return [
            (connector, part)
            for connector, ids in grouped.items()
            for part in batches(self._session, ids)
        ]

    async def insert_events(self, rows: list[dict[str, Any]]) -> set[str]:
        """Insert updates, skipping any whose event id or state key is already stored.

        Returns the state keys of the rows that were new: the only ones to act upon.
        """
        if not rows:
            return set()
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        # One cached statement executed for many rows ("insertmanyvalues"): RETURNING yields
        # only the rows that were actually inserted.
        statement = (
            insert(CallEvent)
            .on_conflict_do_nothing()
            .returning(CallEvent.connector, CallEvent.state_key)
        )
        result = await self._session.execute(statement, rows)
        return {dedup_key(connector, key) for connector, key in result}

    async def plan_for_their_values(self) -> None:
        """On PostgreSQL, plan this transaction's statements for the values each is run with.

        The folder's statements are kept prepared on its connection; PostgreSQL would, after
        five runs, keep a generic plan made without the values — made while the tables were
        still small (a new database, the minute before the first ANALYZE) and kept after they
        have grown: a scan of every stored update to mark a hundred folded, an index on one
        column of a call's two-column key. Planning each time costs microseconds a statement;
        such a plan, milliseconds per pass and more as the tables grow. SQLite plans each time
        anyway."""
        if self._session.get_bind().dialect.name == "postgresql":
            await self._session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))

    async def take_unfolded(self, limit: int) -> list[CallEvent]:
        """The oldest ``limit`` stored updates not yet folded into their calls, marked folded
        in this transaction (undone with it), oldest first. One statement: the updates are
        found through the index of the unfolded alone (its condition repeated word for word)
        and marked by their keys; on PostgreSQL those another instance is folding are
        skipped."""
        oldest = select(CallEvent.id).where(text(UNFOLDED)).order_by(CallEvent.id).limit(limit)
        if self._session.get_bind().dialect.name == "postgresql":
            oldest = oldest.with_for_update(skip_locked=True)
        statement = (
            update(CallEvent)
            .where(CallEvent.id.in_(oldest.scalar_subquery()))
            .values(folded=True)
            .returning(CallEvent)
            .execution_options(synchronize_session=False)
        )
        return sorted((await self._session.scalars(statement)).all(), key=lambda e: e.id)

    async def take_turns(self, kind: int, keys: Iterable[str]) -> None:
        """On PostgreSQL, wait for this transaction's turn at each of ``keys`` (of one ``kind``),
        held until it ends: two instances folding the same call, or two calls from the same
        number, take turns instead of colliding on a unique key and rolling back. Locks are
        taken in one order everywhere (all calls, then the numbers, each sorted), so two
        transactions never wait for each other. SQLite has one writer: nothing to do."""
        wanted = sorted(set(keys))
        if not wanted or self._session.get_bind().dialect.name != "postgresql":
            return
        await self._session.execute(
            text(
                "SELECT pg_advisory_xact_lock(:kind, h) FROM "
                "(SELECT hashtext(k) AS h FROM unnest(CAST(:keys AS text[])) AS k ORDER BY k) s"
            ),
            {"kind": kind, "keys": wanted},
        )

    async def due_to_settle(self, now: datetime, limit: int) -> list[CallKey]:
        """Calls put off until their PBX's last word whose moment has come, soonest first; on
        PostgreSQL locked, and those another instance is deciding skipped."""
        query = (
            select(Call.connector, Call.vendor_call_id)
            .where(Call.settle_at <= now)
            .order_by(Call.settle_at)
            .limit(limit)
        )
        if self._session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return [(connector, call_id) for connector, call_id in await self._session.execute(query)]

    async def recorded_for_cases(self, case_ids: Iterable[int]) -> dict[int, int]:
        """Per case: the id of its last missed call that has a recording."""
        ids = list(set(case_ids))
        if not ids:
            return {}
        query = (
            select(Call.case_id, func.max(Call.id))
            .where(among(self._session, Call.case_id, ids), Call.recording_url.is_not(None))
            .group_by(Call.case_id)
        )
        rows = await self._session.execute(query)
        return {case_id: call_id for case_id, call_id in rows if case_id is not None}

    async def events_of(self, keys: Iterable[CallKey]) -> dict[CallKey, list[CallEvent]]:
        result: dict[CallKey, list[CallEvent]] = {key: [] for key in keys}
        for connector, ids in self._by_connector(result):
            query = select(CallEvent).where(
                CallEvent.connector == connector,
                among(self._session, CallEvent.vendor_call_id, ids),
            )
            for event in (await self._session.scalars(query)).all():
                result[(event.connector, event.vendor_call_id)].append(event)
        return result

    async def calls_by_key(self, keys: Iterable[CallKey]) -> dict[CallKey, Call]:
        result: dict[CallKey, Call] = {}
        for connector, ids in self._by_connector(keys):
            query = select(Call).where(
                Call.connector == connector, among(self._session, Call.vendor_call_id, ids)
            )
            for call in (await self._session.scalars(query)).all():
                result[(call.connector, call.vendor_call_id)] = call
        return result

    def add(self, call: Call) -> None:
        self._session.add(call)

    async def insert_new(self, calls: list[Call]) -> None:
        """Insert transient Call objects in one statement (their ids are not read back)."""
        await insert_rows(self._session, Call, calls)

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

    async def last_recorded(
        self, numbers: Iterable[str], *, managers: Iterable[int] | None = None
    ) -> dict[str, int]:
        """For each external number, the id of its latest call with a recording (if any);
        ``managers``: only calls taken by one of them or by nobody."""
        wanted = sorted(set(numbers))
        if not wanted:
            return {}
        query = (
            select(Call.external_number, func.max(Call.id))
            .where(
                among(self._session, Call.external_number, wanted),
                Call.recording_url.is_not(None),
            )
            .group_by(Call.external_number)
        )
        if managers is not None:
            query = query.where(
                or_(Call.manager_id.in_(sorted(set(managers))), Call.manager_id.is_(None))
            )
        rows = (await self._session.execute(query)).all()
        return {number: int(call_id) for number, call_id in rows if number is not None}

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count(Call.id))) or 0)

    async def count_events(self) -> int:
        return int(await self._session.scalar(select(func.count(CallEvent.id))) or 0)

    async def event_ids(self, connector: str) -> set[str]:
        query = select(CallEvent.event_id).where(
            CallEvent.connector == connector, CallEvent.event_id.is_not(None)
        )
        return {value for value in (await self._session.scalars(query)).all() if value}

    async def insert_decisions(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self._session.execute(insert(table_of(RouteDecisionRecord)), rows)

    async def decisions_for(
        self, *, refs: list[str], callers: list[str], since: datetime
    ) -> tuple[dict[str, RouteDecisionRecord], dict[str, RouteDecisionRecord]]:
        """The newest routing decisions made for these calls (by the PBX's call id), and for
        these callers since ``since`` — for calls whose routing request carried no call id."""
        if not refs and not callers:
            return {}, {}
        query = (
            select(RouteDecisionRecord)
            .where(
                or_(
                    among(self._session, RouteDecisionRecord.call_ref, set(refs)),
                    and_(
                        among(self._session, RouteDecisionRecord.caller, set(callers)),
                        RouteDecisionRecord.at >= since,
                    ),
                )
            )
            .order_by(RouteDecisionRecord.at, RouteDecisionRecord.id)
        )
        by_ref: dict[str, RouteDecisionRecord] = {}
        by_caller: dict[str, RouteDecisionRecord] = {}
        for decision in (await self._session.scalars(query)).all():
            if decision.call_ref is not None:
                by_ref[decision.call_ref] = decision
            if decision.at >= since:
                by_caller[decision.caller] = decision
        return by_ref, by_caller
