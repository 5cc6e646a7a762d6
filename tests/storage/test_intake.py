"""The writer's one-transaction batches (storage/intake.py): what the ORM reads back is what was
given, repeats are skipped and reported as such, and a failed batch leaves nothing behind."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event, select

from config.settings import DatabaseSettings
from storage import intake
from storage.db import SessionFactory, create_engine
from storage.intake import IntakeStore
from storage.models import CallEvent, RouteDecisionRecord
from tests.conftest import fresh_pg_database
from tests.support.intake_rows import event_row
from tests.support.pg_cluster import Cluster

MOSCOW_TIME = timezone(timedelta(hours=3))
AT = datetime(2026, 11, 23, 15, 0, 0, 123456, tzinfo=MOSCOW_TIME)


def _event(event_id: str | None, key: str, **extra: Any) -> dict[str, Any]:
    return event_row(event_id, key, AT, **{"received_at": AT + timedelta(seconds=1), **extra})


def _decision(caller: str, call_ref: str | None) -> dict[str, Any]:
    return {
        "at": AT,
        "caller": caller,
        "dialled": "74950001122",
        "target": {"type": "manager", "extension": "101", "manager_id": 7},
        "reason": "personal manager Анна Петрова",
        "reason_code": "personal_manager",
        "call_ref": call_ref,
    }


async def test_a_batch_reads_back_through_the_orm_as_given(factory: SessionFactory) -> None:
    store = IntakeStore(factory.kw["bind"])
    try:
        new = await store.write(
            [_event("e1", "k1", extension="101", reason="busy"), _event(None, "k2")],
            [_decision("+79161234567", "call-k1"), _decision("+79160000000", None)],
        )
        assert new == {"generic|k1", "generic|k2"}
        again = await store.write([_event("e1", "k3"), _event("e9", "k2"), _event(None, "k4")], [])
        assert again == {"generic|k4"}  # e1 and k2 are stored already
    finally:
        await store.close()
    async with factory() as session:
        events = (await session.scalars(select(CallEvent).order_by(CallEvent.id))).all()
        decisions = (await session.scalars(select(RouteDecisionRecord))).all()
    assert [e.state_key for e in events] == ["k1", "k2", "k4"]
    first = events[0]
    assert first.at == AT and first.at.tzinfo is not None
    assert first.received_at == AT + timedelta(seconds=1)
    assert (first.event_id, first.extension, first.reason, first.folded) == (
        "e1",
        "101",
        "busy",
        False,
    )
    assert [(d.caller, d.call_ref) for d in decisions] == [
        ("+79161234567", "call-k1"),
        ("+79160000000", None),
    ]
    assert decisions[0].target == {"type": "manager", "extension": "101", "manager_id": 7}
    assert decisions[0].reason == "personal manager Анна Петрова"
    assert decisions[0].at == AT.astimezone(UTC)


async def test_text_any_caller_may_send_reads_back_unchanged(factory: SessionFactory) -> None:
    """Quotes, backslashes, line breaks, Cyrillic and characters beyond the BMP survive the way
    a batch travels (one JSON document on PostgreSQL), as does a value at its column's limit."""
    awkward = 'leg "a"\\b\n\tЁжик 🦔 \u2028 {"x": [1]}'
    reason = "Ж" * 300
    store = IntakeStore(factory.kw["bind"])
    try:
        await store.write(
            [_event("e1", awkward, leg=awkward, recording_url="https://r.example/?a=1&b='2'")],
            [{**_decision("+79161234567", awkward), "reason": reason}],
        )
    finally:
        await store.close()
    async with factory() as session:
        stored = (await session.scalars(select(CallEvent))).one()
        decision = (await session.scalars(select(RouteDecisionRecord))).one()
    assert (stored.state_key, stored.leg) == (awkward, awkward)
    assert stored.recording_url == "https://r.example/?a=1&b='2'"
    assert (decision.call_ref, decision.reason) == (awkward, reason)


async def test_a_failed_batch_stores_nothing_and_the_next_one_works(
    factory: SessionFactory,
) -> None:
    store = IntakeStore(factory.kw["bind"])
    try:
        with pytest.raises(Exception, match=r"(?i)not.null|null value"):  # the driver's own
            await store.write(
                [_event("e1", "k1"), _event("e2", "k2", connector=None)],
                [_decision("+79161234567", "call-k1")],
            )
        assert await store.write([_event("e3", "k3")], []) == {"generic|k3"}
    finally:
        await store.close()
    async with factory() as session:
        keys = (await session.scalars(select(CallEvent.state_key))).all()
        decided = (await session.scalars(select(RouteDecisionRecord.id))).all()
    assert list(keys) == ["k3"] and list(decided) == []


async def test_a_held_connection_the_server_closed_is_not_used_again(
    pg_cluster: Cluster,
) -> None:
    """PostgreSQL ends the backend of the connection the writer holds between batches (a
    restart): the next batch, a webhook waiting on it, is stored on a new connection."""
    engine = create_engine(DatabaseSettings(url=await fresh_pg_database(pg_cluster)))
    store = IntakeStore(engine)
    try:
        assert await store.write([_event("e1", "k1")], []) == {"generic|k1"}
        driver: asyncpg.Connection[Any] = await store._open()
        closed = asyncio.Event()
        driver.add_termination_listener(lambda _conn: closed.set())
        admin = await asyncpg.connect(pg_cluster.dsn())
        try:
            await admin.fetchval("SELECT pg_terminate_backend($1)", driver.get_server_pid())
        finally:
            await admin.close()
        await asyncio.wait_for(closed.wait(), timeout=30)
        assert await store.write([_event("e2", "k2")], []) == {"generic|k2"}
    finally:
        await store.close()
        await engine.dispose()


async def test_a_connection_idle_too_long_goes_back_to_the_pool(
    factory: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between batches further apart than HELD_IDLE the writer takes its connection from the
    pool again, through the pool's checks (one a NAT forgot fails none of its webhooks)."""
    engine = factory.kw["bind"]
    store = IntakeStore(engine)
    taken = 0

    def checked_out(*_args: Any) -> None:
        nonlocal taken
        taken += 1

    event.listen(engine.sync_engine, "checkout", checked_out)
    try:
        await store.write([_event("e1", "k1")], [])
        await store.write([_event("e2", "k2")], [])
        assert taken == 1  # batches close together share the held connection
        monkeypatch.setattr(intake, "HELD_IDLE", -1.0)
        await store.write([_event("e3", "k3")], [])
        await store.write([_event("e4", "k4")], [])
        assert taken == 3
    finally:
        event.remove(engine.sync_engine, "checkout", checked_out)
        await store.close()
