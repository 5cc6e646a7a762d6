"""Two instances on one PostgreSQL folding the same call — its two updates reached different
instances — take turns: the second waits for the first to commit, then folds the call as it
stands, instead of colliding on the call's unique key and rolling its whole batch back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from config.settings import DatabaseSettings
from hub.domain.calls import CallState, CallUpdate, Direction, EndReason
from hub.domain.phone import Normalizer
from hub.services.ingest.pipeline import fold_pending, store_updates
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.models import Call, CallEvent
from storage.uow import UnitOfWork
from tests.conftest import fresh_pg_database
from tests.support.pg_cluster import Cluster
from tests.support.telegram_stub import until_true

NORMALIZE = Normalizer("RU", 5)
MOMENT = datetime(2026, 11, 23, 12, tzinfo=UTC)


@pytest.fixture
async def postgres(pg_cluster: Cluster) -> AsyncIterator[SessionFactory]:
    engine = create_engine(DatabaseSettings(url=await fresh_pg_database(pg_cluster)))
    yield create_session_factory(engine)
    await engine.dispose()


def _update(state: CallState, at: datetime, reason: EndReason | None = None) -> CallUpdate:
    return CallUpdate(
        connector="generic",
        call_id="shared-call",
        event_id=f"shared-{state.value}",
        direction=Direction.INBOUND,
        state=state,
        caller=NORMALIZE("+79161234567"),
        callee=NORMALIZE("+74950001122"),
        at=at,
        reason=reason,
    )


async def _someone_waits_for_a_turn(factory: SessionFactory) -> bool:
    async with factory() as session:
        waiting = await session.scalar(
            text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        )
    return bool(waiting)


async def test_two_folds_of_one_call_take_turns(postgres: SessionFactory) -> None:
    async with UnitOfWork(postgres) as uow:
        await store_updates(uow, [_update(CallState.RINGING, MOMENT)], now=MOMENT)
        await store_updates(
            uow,
            [_update(CallState.ENDED, MOMENT + timedelta(seconds=20), EndReason.NO_ANSWER)],
            now=MOMENT,
        )
        await uow.commit()

    async def fold_one() -> int:
        async with UnitOfWork(postgres) as uow:
            result = await fold_pending(uow, normalize=NORMALIZE, now=MOMENT, limit=1)
            await uow.commit()
            return result.folded

    async with UnitOfWork(postgres) as first:
        # The first instance takes the ringing update and folds the call, not yet committed.
        assert (await fold_pending(first, normalize=NORMALIZE, now=MOMENT, limit=1)).folded == 1
        second = asyncio.create_task(fold_one())  # the other instance, the ended update
        await until_true(lambda: _someone_waits_for_a_turn(postgres))
        assert not second.done()
        await first.commit()
    assert await asyncio.wait_for(second, 10) == 1
    async with postgres() as session:
        calls = (await session.scalars(select(Call))).all()
        unfolded = await session.scalar(
            select(func.count()).select_from(CallEvent).where(CallEvent.folded.is_(False))
        )
    assert len(calls) == 1 and unfolded == 0
    assert calls[0].status == "ended"  # folded from both updates by the second
