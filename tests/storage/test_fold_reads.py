"""The folder's read of the updates it has still to fold goes through the index of those alone,
on both databases, and PostgreSQL plans every statement for the values it is run with."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, text, update
from sqlalchemy.engine import Connection

from config.settings import DatabaseSettings
from storage.db import SessionFactory, create_engine
from storage.intake import IntakeStore
from storage.models import CallEvent
from storage.uow import UnitOfWork
from tests.conftest import fresh_pg_database
from tests.support.intake_rows import event_row
from tests.support.pg_cluster import Cluster

AT = datetime(2026, 11, 23, 12, tzinfo=UTC)
STORED, LEFT = 3000, 7


async def _stored(factory: SessionFactory) -> None:
    """STORED updates, all but the last LEFT of them folded."""
    store = IntakeStore(factory.kw["bind"])
    try:
        await store.write([event_row(f"e{n}", f"k{n}", AT) for n in range(STORED)], [])
    finally:
        await store.close()
    async with factory() as session:
        await session.execute(
            update(CallEvent).where(CallEvent.id <= STORED - LEFT).values(folded=True)
        )
        await session.commit()


async def test_the_unfolded_updates_are_read_through_their_own_index(
    factory: SessionFactory,
) -> None:
    await _stored(factory)
    engine = factory.kw["bind"]
    seen: list[tuple[str, Any]] = []

    def _note(_c: Connection, _cursor: Any, statement: str, parameters: Any, *_a: Any) -> None:
        if "FROM call_events" in statement:
            seen.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", _note)
    try:
        async with UnitOfWork(factory) as uow:
            pending = await uow.calls.unfolded(100)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", _note)
    assert [e.state_key for e in pending] == [f"k{n}" for n in range(STORED - LEFT, STORED)]
    [(statement, parameters)] = seen
    async with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            await conn.execute(text("ANALYZE call_events"))
            explain = "EXPLAIN "
        else:
            explain = "EXPLAIN QUERY PLAN "
        plan = (await conn.exec_driver_sql(explain + statement, parameters)).all()
    assert "ix_call_events_unfolded" in str(plan), plan


async def test_postgresql_plans_each_statement_for_its_values(pg_cluster: Cluster) -> None:
    engine = create_engine(DatabaseSettings(url=await fresh_pg_database(pg_cluster)))
    try:
        async with engine.connect() as conn:
            mode = await conn.scalar(text("SHOW plan_cache_mode"))
    finally:
        await engine.dispose()
    assert mode == "force_custom_plan"
