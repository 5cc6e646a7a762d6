"""The cases a fold pass opens are written in one statement on either database (on SQLite the
ORM would otherwise insert them one by one, each a round trip while the pass holds the write
lock), each with an id of its own that its calls point to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.engine import Connection

from hub.domain.calls import CallState, CallUpdate, Direction, EndReason
from hub.domain.deadlines import EscalationPolicy
from hub.domain.phone import Normalizer
from hub.services.cases import CasePolicy
from hub.services.ingest.pipeline import fold_pending, store_updates
from storage.db import SessionFactory
from storage.models import Call, CallbackCase
from storage.uow import UnitOfWork

NORMALIZE = Normalizer("RU", 5)
MOMENT = datetime(2026, 11, 23, 12, tzinfo=UTC)
POLICY = CasePolicy(min_ring_time=timedelta(0), escalation=EscalationPolicy(timedelta(hours=24)))
MISSED = 12


def _missed(n: int) -> list[CallUpdate]:
    """A call from its own number that rang and ended unanswered."""
    common: dict[str, Any] = {
        "connector": "generic",
        "call_id": f"missed-{n}",
        "direction": Direction.INBOUND,
        "caller": NORMALIZE(f"+7916{n:07d}"),
        "callee": NORMALIZE("+74950001122"),
    }
    return [
        CallUpdate(event_id=f"missed-{n}-ring", state=CallState.RINGING, at=MOMENT, **common),
        CallUpdate(
            event_id=f"missed-{n}-end",
            state=CallState.ENDED,
            at=MOMENT + timedelta(seconds=30),
            reason=EndReason.NO_ANSWER,
            **common,
        ),
    ]


async def test_the_cases_a_pass_opens_are_inserted_at_once(factory: SessionFactory) -> None:
    async with UnitOfWork(factory) as uow:
        await store_updates(
            uow, [u for n in range(MISSED) for u in _missed(n)], now=MOMENT + timedelta(minutes=1)
        )
        await uow.commit()
    engine = factory.kw["bind"]
    inserts: list[str] = []

    def _note(_c: Connection, _cursor: Any, statement: str, *_a: Any) -> None:
        if statement.startswith("INSERT INTO callback_cases"):
            inserts.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", _note)
    try:
        async with UnitOfWork(factory) as uow:
            result = await fold_pending(
                uow, normalize=NORMALIZE, now=MOMENT + timedelta(minutes=1), cases=POLICY
            )
            await uow.commit()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", _note)
    assert len(result.facts) == MISSED
    assert len(inserts) == 1
    async with factory() as session:
        cases = {c.number: c.id for c in await session.scalars(select(CallbackCase))}
        calls = {c.caller: c.case_id for c in await session.scalars(select(Call))}
    assert len(cases) == MISSED and len(set(cases.values())) == MISSED
    assert calls == cases  # each call points to its own number's case
