"""Engine tuning, time zones and the event dedup insert on both databases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from config.settings import DatabaseSettings
from storage.db import (
    DatabaseUnreachable,
    SessionFactory,
    create_engine,
    create_session_factory,
)
from storage.models import Manager
from storage.uow import UnitOfWork


async def test_sqlite_is_tuned(tmp_path: object) -> None:
    engine = create_engine(DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path}/tuned.db"))
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == 10000
    finally:
        await engine.dispose()


def test_a_configured_file_in_a_missing_directory_is_refused(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/missing/dir/x.db"
    with pytest.raises(DatabaseUnreachable) as caught:
        create_engine(DatabaseSettings(url=url))
    assert str(caught.value) == (
        f"the database's directory {tmp_path}/missing/dir does not exist "
        f"(database.url = {url}): create it, or correct the URL"
    )
    assert not (tmp_path / "missing").exists()


async def test_times_come_back_aware_in_utc(db_url: str) -> None:
    engine = create_engine(DatabaseSettings(url=db_url))
    moscow = timezone(timedelta(hours=3))
    moment = datetime(2026, 11, 23, 12, 0, tzinfo=moscow)
    try:
        factory = create_session_factory(engine)
        async with UnitOfWork(factory) as uow:
            manager = Manager(name="T", role="manager", created_at=moment, updated_at=moment)
            uow.managers.add(manager)
            await uow.commit()
            manager_id = manager.id
        async with UnitOfWork(factory) as uow:
            loaded = await uow.managers.get(manager_id)
            assert loaded is not None
            assert loaded.created_at == moment
            assert loaded.created_at.tzinfo is not None
            assert loaded.created_at.utcoffset() == timedelta(0)
    finally:
        await engine.dispose()


async def test_event_insert_skips_repeats_by_either_key(db_url: str) -> None:
    engine = create_engine(DatabaseSettings(url=db_url))
    now = datetime.now(UTC)

    def row(event_id: str | None, state_key: str) -> dict[str, object]:
        return {
            "connector": "generic",
            "vendor_call_id": "c",
            "event_id": event_id,
            "state_key": state_key,
            "direction": "inbound",
            "state": "ringing",
            "caller": "+79161234567",
            "callee": "101",
            "extension": None,
            "leg": None,
            "reason": None,
            "at": now,
            "received_at": now,
            "recording_url": None,
        }

    try:
        factory = create_session_factory(engine)
        async with UnitOfWork(factory) as uow:
            first = await uow.calls.insert_events([row("e1", "k1"), row(None, "k2")])
            await uow.commit()
        assert first == {"generic|k1", "generic|k2"}
        async with UnitOfWork(factory) as uow:
            again = await uow.calls.insert_events(
                [row("e1", "k3"), row("e9", "k2"), row(None, "k4")]
            )
            await uow.commit()
        assert again == {"generic|k4"}
        async with UnitOfWork(factory) as uow:
            assert await uow.calls.count_events() == 3
    finally:
        await engine.dispose()


async def test_bot_update_claims(factory: SessionFactory) -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    stale = timedelta(seconds=90)

    async def claim(update_id: int, at: datetime) -> bool:
        async with UnitOfWork(factory) as uow:
            taken = await uow.bot_updates.claim(update_id, at, stale)
            await uow.commit()
            return taken

    assert await claim(1, now)
    assert not await claim(1, now + timedelta(seconds=30))  # being handled elsewhere
    assert await claim(1, now + timedelta(seconds=91))  # its instance died: taken over
    async with UnitOfWork(factory) as uow:
        await uow.bot_updates.handled(1, now + timedelta(seconds=92))
        await uow.commit()
    assert not await claim(1, now + timedelta(days=1))  # handled: never again
    assert await claim(2, now)
    async with UnitOfWork(factory) as uow:
        await uow.bot_updates.release(2)  # handling failed
        await uow.commit()
    assert await claim(2, now + timedelta(seconds=1))
    async with UnitOfWork(factory) as uow:
        assert await uow.bot_updates.forget(now + timedelta(seconds=10)) == 1  # update 2
        await uow.commit()
    assert await claim(2, now + timedelta(seconds=11))


async def test_reading_neither_waits_for_the_writer_nor_holds_it_up(
    factory: SessionFactory,
) -> None:
    moment = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    async with UnitOfWork(factory) as writer:
        writer.managers.add(Manager(name="W", role="manager", created_at=moment))
        await writer.flush()  # the write lock is held (SQLite: BEGIN IMMEDIATE) until commit

        async def read() -> list[str]:
            async with UnitOfWork(factory, read_only=True) as reader:
                return [m.name for m in await reader.managers.list()]

        # A second writer would wait for the lock; a reader answers at once, without the
        # uncommitted row.
        assert await asyncio.wait_for(read(), 2) == []
        async with UnitOfWork(factory, read_only=True) as reader:
            await reader.managers.list()
            await writer.commit()  # a reader in progress does not hold the writer up
        assert await asyncio.wait_for(read(), 2) == ["W"]
    async with UnitOfWork(factory, read_only=True) as reader:
        reader.managers.add(Manager(name="X", role="manager", created_at=moment))
        with pytest.raises(RuntimeError, match="cannot commit"):
            await reader.commit()
    async with UnitOfWork(factory, read_only=True) as reader:
        assert [m.name for m in await reader.managers.list()] == ["W"]
