"""The sender's claim on due messages (storage/repositories/outbox.py: ``OutboxRepository.claim``):
the due ones leased and read back in one statement, in the order they were queued; on PostgreSQL
two senders at once take different messages."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event

from config.settings import DatabaseSettings
from notifications.rows import chat_row
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.types import utcnow
from storage.uow import UnitOfWork
from tests.conftest import fresh_pg_database
from tests.support.pg_cluster import Cluster

LEASE = timedelta(minutes=1)


async def _queued(factory: SessionFactory, chats: list[int], now: datetime, **changes: Any) -> None:
    rows = [chat_row(f"m-{chat}", chat, "missed", f"m-{chat}", now=now) for chat in chats]
    async with UnitOfWork(factory) as uow:
        await uow.outbox.enqueue([row | changes for row in rows])
        await uow.commit()


async def test_a_claim_leases_the_due_messages_in_one_statement(db_url: str) -> None:
    engine = create_engine(DatabaseSettings(url=db_url))
    factory = create_session_factory(engine)
    now = utcnow()
    await _queued(factory, [100, 101, 102, 103, 104], now)
    await _queued(factory, [200], now, next_attempt_at=now + timedelta(minutes=10))
    statements: list[str] = []

    def seen(*args: Any) -> None:
        if not args[2].startswith("BEGIN"):
            statements.append(" ".join(args[2].split()))

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    async with UnitOfWork(factory) as uow:
        claimed = await uow.outbox.claim(now, 3, LEASE, skip_chats={101})
        await uow.commit()
    event.remove(engine.sync_engine, "before_cursor_execute", seen)
    [lease] = statements
    assert lease.startswith("WITH due AS MATERIALIZED") and "UPDATE outbox" in lease, lease
    assert "RETURNING" in lease
    # The first three due, in the order queued, the busy chat's left; each leased, counted.
    assert [m.chat_id for m in claimed] == [100, 102, 103]
    assert [m.id for m in claimed] == sorted(m.id for m in claimed)
    assert {(m.attempts, m.next_attempt_at) for m in claimed} == {(1, now + LEASE)}

    async with UnitOfWork(factory) as uow:
        rest = await uow.outbox.claim(now, 10, LEASE)
        await uow.commit()
    # What is leased is not taken again; what is due later is not taken yet.
    assert [m.chat_id for m in rest] == [101, 104]
    async with UnitOfWork(factory) as uow:
        after_lease = await uow.outbox.claim(now + LEASE, 10, LEASE)
        await uow.commit()
    await engine.dispose()
    # A lease that ran out (a sender that died mid-way): due again, the attempt counted.
    assert [(m.chat_id, m.attempts) for m in after_lease] == [
        (100, 2),
        (101, 2),
        (102, 2),
        (103, 2),
        (104, 2),
    ]


async def test_two_senders_at_once_take_different_messages(pg_cluster: Cluster) -> None:
    """On PostgreSQL (several instances, one database): a claim skips the rows another claim
    holds in its open transaction, and waits for none."""
    engine = create_engine(DatabaseSettings(url=await fresh_pg_database(pg_cluster)))
    factory = create_session_factory(engine)
    now = utcnow()
    await _queued(factory, list(range(100, 106)), now)
    try:
        async with UnitOfWork(factory) as first, UnitOfWork(factory) as second:
            taken_first = await first.outbox.claim(now, 2, LEASE)
            taken_second = await second.outbox.claim(now, 10, LEASE)
            await second.commit()
            await first.commit()
    finally:
        await engine.dispose()
    assert [m.chat_id for m in taken_first] == [100, 101]
    assert [m.chat_id for m in taken_second] == [102, 103, 104, 105]
