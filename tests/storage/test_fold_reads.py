"""The folder takes the updates it has still to fold in one statement that finds them through the
index of those alone (both databases), and marks them folded with its transaction; on PostgreSQL
its statements are planned for their values."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, text, update
from sqlalchemy.engine import Connection

from config.settings import DatabaseSettings
from hub.domain.phone import Normalizer
from hub.services.facts import FactHandlers
from hub.services.ingest.fold_worker import Folder
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.intake import IntakeStore
from storage.models import CallEvent
from storage.uow import UnitOfWork
from tests.conftest import fresh_pg_database
from tests.support.clock import TestClock
from tests.support.intake_rows import event_row
from tests.support.pg_cluster import Cluster
from tests.support.query_plans import plans, statements_on

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
    with statements_on(engine, "call_events") as seen:
        async with UnitOfWork(factory) as uow:
            taken = await uow.calls.take_unfolded(100)
            # not committed: the updates are still there to take
        async with UnitOfWork(factory) as uow:
            again = await uow.calls.take_unfolded(3)
            await uow.commit()
        async with UnitOfWork(factory) as uow:
            rest = await uow.calls.take_unfolded(100)
            await uow.commit()
        async with UnitOfWork(factory) as uow:
            assert await uow.calls.take_unfolded(100) == []
    left = [f"k{n}" for n in range(STORED - LEFT, STORED)]
    assert [e.state_key for e in taken] == left
    assert [e.state_key for e in again] == left[:3]
    assert [e.state_key for e in rest] == left[3:]
    (plan,) = await plans(engine, "call_events", seen[:1])
    assert "ix_call_events_unfolded" in plan, plan


async def test_the_folders_statements_are_planned_for_their_values(pg_cluster: Cluster) -> None:
    """On PostgreSQL a fold pass asks for plans made with each statement's values, for its own
    transaction only (the intake's statements keep their cached plans)."""
    engine = create_engine(DatabaseSettings(url=await fresh_pg_database(pg_cluster)))
    factory = create_session_factory(engine)
    asked: list[str] = []

    def _note(_c: Connection, _cursor: Any, statement: str, *_a: Any) -> None:
        asked.append(statement)

    try:
        async with UnitOfWork(factory) as uow:
            await uow.calls.plan_for_their_values()
            inside = await uow.session.scalar(text("SHOW plan_cache_mode"))
        async with factory() as session:
            after = await session.scalar(text("SHOW plan_cache_mode"))
        event.listen(engine.sync_engine, "before_cursor_execute", _note)
        folder = Folder(factory, Normalizer("RU", 5), FactHandlers(), TestClock())
        await folder._pass()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", _note)
        await engine.dispose()
    assert (inside, after) == ("force_custom_plan", "auto")
    assert "plan_cache_mode" in asked[0], asked[:3]
