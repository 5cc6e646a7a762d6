"""The folder takes the updates it has still to fold in one statement that finds them through the
index of those alone (both databases), and marks them folded with its transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, text, update
from sqlalchemy.engine import Connection

from storage.db import SessionFactory
from storage.intake import IntakeStore
from storage.models import CallEvent
from storage.uow import UnitOfWork
from tests.support.intake_rows import event_row

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
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", _note)
    left = [f"k{n}" for n in range(STORED - LEFT, STORED)]
    assert [e.state_key for e in taken] == left
    assert [e.state_key for e in again] == left[:3]
    assert [e.state_key for e in rest] == left[3:]
    statement, parameters = seen[0]
    async with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            await conn.execute(text("ANALYZE call_events"))
            explain = "EXPLAIN "
        else:
            explain = "EXPLAIN QUERY PLAN "
        plan = (await conn.exec_driver_sql(explain + statement, parameters)).all()
    assert "ix_call_events_unfolded" in str(plan), plan
