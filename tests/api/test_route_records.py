"""Which routing decisions are stored: every one asked for with a call id, and so many a second
of those asked for without; the others are answered all the same and counted by reason."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from config.settings import RoutingSettings, Settings
from hub.bootstrap.database import SESSIONS
from storage.models import RouteDecisionRecord
from tests.support.api import Api
from tests.support.clock import TestClock
from tests.support.settings import make_settings
from tests.support.telegram_stub import until_true


class StoppedClock(TestClock):
    """A clock that moves only when told: every request of a test falls in the same second."""

    def now(self) -> datetime:
        return self._start + self._shift


@pytest.fixture
def clock() -> TestClock:
    return StoppedClock()


@pytest.fixture
def settings(db_url: str) -> Settings:
    return make_settings(db_url, routing=RoutingSettings(refresh_interval=0.2, record_per_second=3))


async def _stored(api: Api) -> int:
    async with api.app[SESSIONS]() as session:
        found = await session.scalar(select(func.count()).select_from(RouteDecisionRecord))
    return int(found or 0)


async def _metrics(api: Api) -> str:
    async with api.client.get("/metrics") as response:
        return await response.text()


async def test_decisions_beyond_the_rate_are_answered_and_counted_not_stored(
    api: Api, clock: TestClock, caplog: pytest.LogCaptureFixture
) -> None:
    bare = [await api.get(f"/api/v1/route?from=%2B7916123450{n}") for n in range(5)]
    linked = [await api.get(f"/api/v1/route?from=%2B7916123456{n}&call_id=c{n}") for n in range(2)]
    assert {d["reason_code"] for d in bare + linked} == {"default"}
    # Three without a call id (the rate), both with one.
    await until_true(lambda: _at(api, 5))
    assert 'dozvon_route_decisions_unrecorded_total{reason_code="default"} 2.0' in (
        await _metrics(api)
    )
    said = [r.getMessage() for r in caplog.records if r.name == "hub.services.routing"]
    assert said == [
        "more than 3 routing decisions a second without a call id: those beyond are answered"
        " and counted by reason (dozvon_route_decisions_unrecorded_total), not stored"
    ]
    refs = await _refs(api)
    assert refs.count(None) == 3 and sorted(r for r in refs if r) == ["c0", "c1"]
    # The next second stores again.
    clock.advance(timedelta(seconds=1))
    await api.get("/api/v1/route?from=%2B79161234599")
    await until_true(lambda: _at(api, 6))


async def _at(api: Api, count: int) -> bool:
    stored = await _stored(api)
    assert stored <= count, f"{stored} decisions stored, {count} wanted"
    return stored == count


async def _refs(api: Api) -> list[str | None]:
    async with api.app[SESSIONS]() as session:
        return list(await session.scalars(select(RouteDecisionRecord.call_ref)))
