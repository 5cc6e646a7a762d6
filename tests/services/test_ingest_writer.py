"""The single writer: updates someone waits for go first, and routing decisions are written in
short transactions of at most DECISION_BATCH rows, however many pile up."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from config.settings import DatabaseSettings
from hub.domain.calls import CallState, CallUpdate, Direction
from hub.domain.clock import Clock
from hub.domain.facts import DecisionsStored
from hub.domain.phone import Normalizer
from hub.services.facts import FactHandlers
from hub.services.ingest.writer import DECISION_BATCH, IngestWriter
from hub.services.routing import RouteRecord
from routing.decision import default_decision
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.models import CallEvent, RouteDecisionRecord
from tests.support.clock import TestClock
from tests.support.telegram_stub import until

NORMALIZE = Normalizer("RU", 5)
MOMENT = datetime(2026, 11, 23, 12, tzinfo=UTC)


@pytest.fixture
async def factory(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[SessionFactory]:
    path = tmp_path / "writer.db"
    shutil.copy(sqlite_template, path)
    engine = create_engine(DatabaseSettings(url=f"sqlite+aiosqlite:///{path}"))
    yield create_session_factory(engine)
    await engine.dispose()


def _record(n: int) -> RouteRecord:
    return RouteRecord(
        MOMENT, f"+7916{n:07d}", "74950001122\x00", default_decision("unknown"), f"call-{n}"
    )


def _update(call_id: str) -> CallUpdate:
    return CallUpdate(
        connector="generic",
        call_id=call_id,
        event_id=f"{call_id}-ring",
        direction=Direction.INBOUND,
        state=CallState.RINGING,
        caller=NORMALIZE("+79031112233"),
        callee=NORMALIZE("+74950001122"),
        at=MOMENT,
    )


async def _count(
    factory: SessionFactory, model: type[CallEvent] | type[RouteDecisionRecord]
) -> int:
    async with factory() as session:
        return int((await session.scalar(select(func.count()).select_from(model))) or 0)


def _writer(factory: SessionFactory, clock: Clock) -> tuple[IngestWriter, list[int]]:
    written: list[int] = []

    def stored(facts: Sequence[DecisionsStored]) -> None:
        written.extend(len(fact.decisions) for fact in facts)

    handlers = FactHandlers(after_map={DecisionsStored: [stored]})
    return IngestWriter(factory, handlers, clock, batch_max=500), written


async def test_a_burst_of_decisions_is_written_in_short_transactions(
    factory: SessionFactory,
) -> None:
    writer, written = _writer(factory, TestClock(MOMENT))
    writer.start()
    try:
        for n in range(DECISION_BATCH * 3 + 7):
            writer.record_decision(_record(n))
        await until(lambda: sum(written) == DECISION_BATCH * 3 + 7)
    finally:
        await writer.stop()
    assert max(written) <= DECISION_BATCH and len(written) >= 4
    assert await _count(factory, RouteDecisionRecord) == DECISION_BATCH * 3 + 7
    async with factory() as session:
        row = await session.scalar(select(RouteDecisionRecord).where(RouteDecisionRecord.id == 1))
    assert row is not None
    assert (row.dialled, row.call_ref, row.reason_code) == ("74950001122", "call-0", "default")


async def test_an_update_waits_for_no_more_than_one_batch_of_decisions(
    factory: SessionFactory,
) -> None:
    writer, written = _writer(factory, TestClock(MOMENT))
    writer.start()
    try:
        for n in range(DECISION_BATCH * 10):
            writer.record_decision(_record(n))
        accepted = await writer.submit([_update("first")])
        # The update went with the first transaction: ten batches of decisions did not go first.
        assert (accepted.new, accepted.duplicates) == (1, 0)
        assert written == [DECISION_BATCH]
        await until(lambda: sum(written) == DECISION_BATCH * 10)
    finally:
        await writer.stop()
    assert await _count(factory, CallEvent) == 1


async def test_decisions_still_waiting_at_stop_are_written(factory: SessionFactory) -> None:
    writer, _ = _writer(factory, TestClock(MOMENT))
    writer.start()
    for n in range(DECISION_BATCH + 30):
        writer.record_decision(_record(n))
    await writer.stop()
    assert await _count(factory, RouteDecisionRecord) == DECISION_BATCH + 30
