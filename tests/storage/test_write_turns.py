"""SQLite's one write lock, shared by the writers of one process in turns (storage.db.write_turn):
in the order they asked, at once when the previous one is done, and a clear error — an HTTP 503 —
when a turn does not come within the busy timeout."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from config.settings import DatabaseSettings
from hub.app import create_app
from hub.bootstrap.database import SESSIONS
from storage.db import (
    SessionFactory,
    WriteGate,
    WriteLockTimeout,
    create_engine,
    create_session_factory,
)
from storage.models import Manager
from storage.uow import UnitOfWork
from tests.support.api import Api
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings

MOMENT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
async def sqlite(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[SessionFactory]:
    path = tmp_path / "turns.db"
    shutil.copy(sqlite_template, path)
    engine = create_engine(
        DatabaseSettings(url=f"sqlite+aiosqlite:///{path}", sqlite_busy_timeout="300ms")
    )
    yield create_session_factory(engine)
    await engine.dispose()


async def _names(factory: SessionFactory) -> list[str]:
    async with UnitOfWork(factory, read_only=True) as uow:
        return sorted(m.name for m in await uow.managers.list())


async def test_writers_wait_their_turn_in_order(sqlite: SessionFactory) -> None:
    entered: list[str] = []

    async def write(name: str) -> None:
        async with UnitOfWork(sqlite) as uow:
            entered.append(name)
            uow.managers.add(Manager(name=name, role="manager", created_at=MOMENT))
            await uow.commit()

    async with UnitOfWork(sqlite) as first:
        first.managers.add(Manager(name="first", role="manager", created_at=MOMENT))
        await first.flush()
        waiting = [asyncio.create_task(write(name)) for name in ("second", "third")]
        await asyncio.sleep(0.1)
        assert entered == []  # neither has begun while the first holds the turn
        assert await _names(sqlite) == []  # readers are not held up meanwhile
        await first.commit()
    await asyncio.wait_for(asyncio.gather(*waiting), 5)
    assert entered == ["second", "third"]
    assert await _names(sqlite) == ["first", "second", "third"]


async def test_no_turn_within_the_busy_timeout_fails_and_changes_nothing(
    sqlite: SessionFactory,
) -> None:
    async def late() -> None:
        async with UnitOfWork(sqlite) as uow:
            uow.managers.add(Manager(name="late", role="manager", created_at=MOMENT))
            await uow.commit()

    async with UnitOfWork(sqlite) as first:
        first.managers.add(Manager(name="first", role="manager", created_at=MOMENT))
        await first.flush()
        with pytest.raises(WriteLockTimeout, match=r"database is locked: no turn to write within"):
            await late()
        await first.commit()
    assert await _names(sqlite) == ["first"]
    async with UnitOfWork(sqlite) as after:  # the turn was given back: the next one writes
        after.managers.add(Manager(name="after", role="manager", created_at=MOMENT))
        await after.commit()
    assert await _names(sqlite) == ["after", "first"]


async def test_an_api_write_without_a_turn_is_a_503(
    aiohttp_client: Any, tmp_path: Path, sqlite_template: Path
) -> None:
    path = tmp_path / "api.db"
    shutil.copy(sqlite_template, path)
    settings = make_settings(
        f"sqlite+aiosqlite:///{path}",
        database=DatabaseSettings(url=f"sqlite+aiosqlite:///{path}", sqlite_busy_timeout="200ms"),
    )
    api = Api(await aiohttp_client(create_app(settings)), ADMIN_TOKEN, HOOK_SECRET)
    async with UnitOfWork(api.app[SESSIONS]) as holder:
        holder.managers.add(Manager(name="holder", role="manager", created_at=MOMENT))
        await holder.flush()
        status, body = await api.call("POST", "/api/v1/managers", {"name": "Иван"})
        await holder.commit()
    assert status == 503
    assert body["error"]["code"] == "unavailable"
    assert "retry later" in body["error"]["message"]
    names = [m["name"] for m in (await api.get("/api/v1/managers"))["items"]]
    assert names == ["holder"]


async def test_an_urgent_writer_goes_before_those_waiting_in_the_background(
    sqlite: SessionFactory,
) -> None:
    entered: list[str] = []

    async def write(name: str, *, urgent: bool = False) -> None:
        async with UnitOfWork(sqlite, urgent=urgent) as uow:
            entered.append(name)
            uow.managers.add(Manager(name=name, role="manager", created_at=MOMENT))
            await uow.commit()

    async with UnitOfWork(sqlite) as first:
        first.managers.add(Manager(name="first", role="manager", created_at=MOMENT))
        await first.flush()
        background = [asyncio.create_task(write(name)) for name in ("fold", "sender")]
        await asyncio.sleep(0)
        webhook = asyncio.create_task(write("webhook", urgent=True))
        await asyncio.sleep(0)
        assert entered == []
        await first.commit()
    await asyncio.wait_for(asyncio.gather(*background, webhook), 5)
    assert entered == ["webhook", "fold", "sender"]
    assert await _names(sqlite) == ["first", "fold", "sender", "webhook"]


async def test_a_writer_given_up_on_leaves_the_line_and_the_next_gets_the_turn(
    sqlite: SessionFactory,
) -> None:
    entered: list[str] = []

    async def write(name: str) -> None:
        async with UnitOfWork(sqlite) as uow:
            entered.append(name)
            uow.managers.add(Manager(name=name, role="manager", created_at=MOMENT))
            await uow.commit()

    async with UnitOfWork(sqlite) as first:
        first.managers.add(Manager(name="first", role="manager", created_at=MOMENT))
        await first.flush()
        gone = asyncio.create_task(write("gone"))
        kept = asyncio.create_task(write("kept"))
        await asyncio.sleep(0)
        gone.cancel()
        await first.commit()
    await asyncio.wait_for(kept, 5)
    assert gone.cancelled()
    assert entered == ["kept"]
    assert await _names(sqlite) == ["first", "kept"]


async def _turn(gate: WriteGate, name: str, got: list[str], *, urgent: bool) -> None:
    await gate.acquire(urgent=urgent)
    got.append(name)
    gate.release()


async def test_urgent_writes_follow_each_other_while_they_keep_coming() -> None:
    gate = WriteGate(timeout=60, grace=60, background_wait=60)
    got: list[str] = []
    await gate.acquire(urgent=True)  # a webhook's batch is being written
    fold = asyncio.create_task(_turn(gate, "fold", got, urgent=False))
    await asyncio.sleep(0)
    gate.release()
    # The next webhook batch comes before the grace is over: it goes before the folder.
    await _turn(gate, "webhook", got, urgent=True)
    await asyncio.sleep(0)
    assert got == ["webhook"] and not fold.done()
    fold.cancel()
    await asyncio.gather(fold, return_exceptions=True)
    # The folder gave up waiting: the gate is free again for anyone.
    await asyncio.wait_for(_turn(gate, "sender", got, urgent=False), 5)
    assert got == ["webhook", "sender"]


async def test_a_background_writer_waiting_its_longest_goes_before_urgent_ones() -> None:
    gate = WriteGate(timeout=60, grace=60, background_wait=0)
    got: list[str] = []
    await gate.acquire(urgent=True)
    fold = asyncio.create_task(_turn(gate, "fold", got, urgent=False))
    webhook = asyncio.create_task(_turn(gate, "webhook", got, urgent=True))
    await asyncio.sleep(0)
    gate.release()
    await asyncio.wait_for(asyncio.gather(fold, webhook), 5)
    assert got == ["fold", "webhook"]
