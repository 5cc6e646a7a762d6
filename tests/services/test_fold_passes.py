"""The folder's passes: one that caught up waits for the next wake-up (so that a steady flow is
folded in passes of many updates, not back to back a few each); a full one goes on at once. How
long a wake-up gathers, and how much a pass folds, depends on the database."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from config.settings import DatabaseSettings
from hub.bootstrap.folding import fold_pace
from hub.domain.calls import CallState, CallUpdate, Direction
from hub.domain.phone import Normalizer
from hub.services.facts import FactHandlers
from hub.services.ingest.fold_worker import (
    GATHER,
    GATHER_POSTGRESQL,
    POSTGRESQL_PACE,
    SQLITE_PACE,
    Folder,
    FoldPace,
)
from hub.services.ingest.pipeline import FOLD_BATCH, store_updates
from storage.db import SessionFactory
from storage.models import Call
from storage.uow import UnitOfWork
from tests.support.clock import TestClock

NORMALIZE = Normalizer("RU", 5)
MOMENT = datetime(2026, 11, 23, 12, tzinfo=UTC)


async def _store(factory: SessionFactory, count: int, prefix: str) -> None:
    updates = [
        CallUpdate(
            connector="generic",
            call_id=f"{prefix}-{n}",
            event_id=f"{prefix}-{n}-ring",
            direction=Direction.INBOUND,
            state=CallState.RINGING,
            caller=NORMALIZE(f"+7916{n:07d}"),
            callee=NORMALIZE("+74950001122"),
            at=MOMENT,
        )
        for n in range(count)
    ]
    async with UnitOfWork(factory) as uow:
        await store_updates(uow, updates, now=MOMENT)
        await uow.commit()


async def _calls(factory: SessionFactory) -> int:
    async with factory() as session:
        return int(await session.scalar(select(func.count()).select_from(Call)) or 0)


async def test_a_pass_that_caught_up_says_nothing_waits_and_a_full_one_goes_on(
    factory: SessionFactory,
) -> None:
    folder = Folder(factory, NORMALIZE, FactHandlers(), TestClock())
    await _store(factory, 3, "few")
    assert await folder._pass() is False
    assert await _calls(factory) == 3
    await _store(factory, FOLD_BATCH + 5, "many")
    assert await folder._pass() is True
    assert await _calls(factory) == 3 + FOLD_BATCH
    assert await folder._pass() is False
    assert await _calls(factory) == 3 + FOLD_BATCH + 5
    assert await folder._pass() is False


async def test_a_pass_folds_at_most_its_pace_s_batch(factory: SessionFactory) -> None:
    folder = Folder(factory, NORMALIZE, FactHandlers(), TestClock(), pace=FoldPace(batch=7))
    await _store(factory, 12, "paced")
    assert await folder._pass() is True
    assert await _calls(factory) == 7
    assert await folder._pass() is False
    assert await _calls(factory) == 12


def test_postgresql_gathers_longer_and_folds_more_a_pass_than_beside_sqlite_s_write_lock() -> None:
    sqlite = fold_pace(DatabaseSettings(url="sqlite+aiosqlite:///./var/dozvon.db"))
    postgresql = fold_pace(DatabaseSettings(url="postgresql+asyncpg://dozvon@db.example/dozvon"))
    assert sqlite == SQLITE_PACE == FoldPace(gather=GATHER, batch=FOLD_BATCH)
    assert postgresql == POSTGRESQL_PACE
    assert sqlite.gather == GATHER < GATHER_POSTGRESQL == postgresql.gather
    assert sqlite.batch == FOLD_BATCH < postgresql.batch
