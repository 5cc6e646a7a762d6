"""What became of delivered messages is written where the rows are, without reading them first
(storage/repositories/outbox.py: ``OutboxRepository.mark``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import event, select

from config.settings import DatabaseSettings
from notifications.rows import chat_row
from storage.db import create_engine, create_session_factory
from storage.models import OutboxMessage
from storage.types import utcnow
from storage.uow import UnitOfWork


async def test_marks_of_different_kinds_are_written_by_one_statement_each(db_url: str) -> None:
    engine = create_engine(DatabaseSettings(url=db_url))
    factory = create_session_factory(engine)
    now = utcnow()
    rows = [chat_row(f"m-{i}", 100 + i, "missed", f"m-{i}", now=now) for i in range(5)]
    async with UnitOfWork(factory) as uow:
        await uow.outbox.enqueue(rows)
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        ids = [m.id for m in await uow.outbox.claim(now, 10, timedelta(minutes=1))]
        await uow.commit()
    later = now + timedelta(seconds=30)
    documents = [{"filename": "report.csv", "content": "YQ==", "sent": True}]
    marks: dict[int, dict[str, Any]] = {
        ids[0]: {"status": "sent", "sent_at": now, "remote_message_id": 7001},
        ids[1]: {"status": "sent", "sent_at": now, "remote_message_id": 7002},
        ids[2]: {"next_attempt_at": later, "last_error": "timed out"},
        ids[3]: {"status": "dead", "last_error": "chat not found", "documents": documents},
    }
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(args[2].split()[0])

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    async with UnitOfWork(factory) as uow:
        await uow.outbox.mark(marks)
        await uow.commit()
    event.remove(engine.sync_engine, "before_cursor_execute", seen)
    # Three kinds of change, three statements (executemany for the two sent): nothing read.
    assert [s for s in statements if s in ("SELECT", "UPDATE")] == ["UPDATE"] * 3

    async with UnitOfWork(factory, read_only=True) as uow:
        found = {
            m.id: m
            for m in await uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        }
    await engine.dispose()
    assert [(found[i].status, found[i].remote_message_id) for i in ids[:2]] == [
        ("sent", 7001),
        ("sent", 7002),
    ]
    assert found[ids[0]].sent_at == now
    assert (found[ids[2]].status, found[ids[2]].last_error) == ("pending", "timed out")
    assert found[ids[2]].next_attempt_at == later
    assert (found[ids[3]].status, found[ids[3]].documents) == ("dead", documents)
    # The one not marked is as the claim left it.
    assert (found[ids[4]].status, found[ids[4]].last_error) == ("pending", None)
    assert found[ids[4]].next_attempt_at == now + timedelta(minutes=1)
