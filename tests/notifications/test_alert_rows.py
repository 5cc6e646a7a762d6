"""A fold pass that opened many cases renders their alerts a few at a time, letting other tasks
(a routing answer) in between (notifications/alerts.py: ``Alerts.react``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from config.settings import DatabaseSettings
from hub.domain.cases import CaseEvent, CaseFact
from hub.domain.clock import SystemClock
from hub.runtime.pacing import EVERY
from notifications.alerts import Alerts
from storage.db import create_engine, create_session_factory
from storage.models import Manager
from storage.uow import UnitOfWork
from tests.support.clock import MOSCOW
from tests.support.turns import turns_taken

MISSED_AT = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)


@dataclass
class Case:
    """A stored case as the alerts read it (hub.domain.cases.CaseRecord)."""

    id: int
    number: str
    manager_id: int | None
    kind: str = "call"
    client_id: int | None = None
    responsible_reason: str | None = "personal_manager"
    told: list[Any] = field(default_factory=list)
    status: str = "open"
    missed_count: int = 1
    first_missed_at: datetime = MISSED_AT
    last_missed_at: datetime = MISSED_AT
    returned_at: datetime | None = None
    returned_by: int | None = None
    closed_by: str | None = None
    close_reason: str | None = None


async def test_many_cases_alerts_are_rendered_a_few_at_a_time(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine(DatabaseSettings(url=db_url))
    factory = create_session_factory(engine)
    async with UnitOfWork(factory) as uow:
        boss = Manager(name="Босс", role="supervisor", extension="100", telegram_chat_id=500)
        uow.session.add(boss)
        await uow.flush()
        manager = Manager(
            name="Анна",
            role="manager",
            extension="101",
            telegram_chat_id=501,
            supervisor_id=boss.id,
        )
        uow.session.add(manager)
        await uow.commit()
    count = 3 * EVERY
    facts = [
        CaseFact(
            CaseEvent.OPENED, Case(id=1000 + i, number=f"+7903111{i:04}", manager_id=manager.id)
        )
        for i in range(count)
    ]
    alerts = Alerts("ru", MOSCOW, 3600, SystemClock())
    rendered = 0
    render = alerts._fact_rows

    def counted(*args: Any) -> list[dict[str, Any]]:
        nonlocal rendered
        rendered += 1
        return render(*args)

    monkeypatch.setattr(alerts, "_fact_rows", counted)
    async with turns_taken(lambda: rendered) as turns, UnitOfWork(factory) as uow:
        await alerts.react(uow, facts)
        await uow.commit()
    async with UnitOfWork(factory, read_only=True) as uow:
        counts = await uow.outbox.counts()
    await engine.dispose()
    # Each case told to the manager and his supervisor.
    assert counts == {"pending": 2 * count}
    # Other tasks ran after every EVERY cases' alerts, not only once all were rendered.
    assert {EVERY, 2 * EVERY} <= set(turns)
