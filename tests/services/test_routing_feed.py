"""Every committed change reaches every instance's routing: whatever the commit order (gaps in the
audit log's ids on PostgreSQL), whatever the volume (a bulk import), and the sticky facts too."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from config.settings import DatabaseSettings, Settings
from hub.app import create_app
from hub.bootstrap.directory import DIRECTORY
from hub.domain.phone import Normalizer
from hub.services.change_feed import FeedCursor, Gap
from hub.services.csv_source import SourceRow
from hub.services.importer import import_clients
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.models import AuditEntry, Client, ClientPhone
from tests.support.api import Api, update
from tests.support.clock import TestClock
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.telegram_stub import until_true

REFRESH = 0.2
IMPORTED = 5_000


def _settings(db_url: str) -> Settings:
    return make_settings(db_url)


async def _instances(aiohttp_client: Any, db_url: str, clock: TestClock) -> tuple[Api, Api]:
    one = await aiohttp_client(create_app(_settings(db_url), clock=clock))
    two = await aiohttp_client(create_app(_settings(db_url), clock=clock))
    return Api(one, ADMIN_TOKEN, HOOK_SECRET), Api(two, ADMIN_TOKEN, HOOK_SECRET)


@pytest.fixture
async def sessions(db_url: str) -> AsyncIterator[SessionFactory]:
    engine = create_engine(DatabaseSettings(url=db_url))
    yield create_session_factory(engine)
    await engine.dispose()


def _routes_to(api: Api, number: str, extension: str) -> Any:
    async def check() -> bool:
        decision = await api.get(f"/api/v1/route?from={number.replace('+', '%2B')}")
        return bool(decision["target"].get("extension") == extension)

    return check


async def _all_route(api: Api, expected: dict[str, str], seconds: float) -> None:
    async def check() -> bool:
        for number, extension in expected.items():
            if not await _routes_to(api, number, extension)():
                return False
        return True

    await until_true(check, seconds)


def _snapshot_routes(api: Api, expected: dict[str, int]) -> bool:
    """What routing reads: each number's card and its manager."""
    snapshot = api.app[DIRECTORY].snapshot
    for number, manager_id in expected.items():
        client_id = snapshot.client_by_phone.get(number)
        if client_id is None or snapshot.clients[client_id].manager_id != manager_id:
            return False
    return True


async def test_concurrent_writers_on_two_instances_reach_both(
    aiohttp_client: Any, db_url: str
) -> None:
    one, two = await _instances(aiohttp_client, db_url, TestClock())
    managers = [
        await one.post("/api/v1/managers", {"name": f"M{i}", "extension": f"1{i:02}"})
        for i in range(4)
    ]

    async def create(api: Api, i: int) -> tuple[str, str]:
        manager = managers[i % len(managers)]
        number = f"+7916{i:07}"
        await api.post(
            "/api/v1/clients",
            {"name": f"Client {i}", "manager_id": manager["id"], "phones": [number]},
        )
        return number, manager["extension"]

    # 20 writers at once, half through each instance.
    made = await asyncio.gather(*(create(one if i % 2 else two, i) for i in range(20)))
    expected = dict(made)
    for api in (one, two):
        await _all_route(api, expected, REFRESH + 1)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_a_change_committed_after_a_higher_id_is_not_skipped(
    aiohttp_client: Any, db_url: str, sessions: SessionFactory
) -> None:
    """PostgreSQL: the audit row of a slow transaction has a lower id than one committed first."""
    one, _ = await _instances(aiohttp_client, db_url, TestClock())
    manager = await one.post("/api/v1/managers", {"name": "Ivan", "extension": "101"})
    cache = one.app[DIRECTORY]
    async with sessions() as slow:
        client = Client(name="Slow", manager_id=manager["id"])
        slow.add(client)
        await slow.flush()
        slow.add(ClientPhone(client_id=client.id, number="+79160000001"))
        slow.add(
            AuditEntry(
                actor="t",
                action="create",
                entity="client",
                entity_id=str(client.id),
                before=None,
                after=None,
            )
        )
        await slow.flush()  # its audit id is drawn now, below the next one
        await one.post(
            "/api/v1/clients",
            {"name": "Fast", "manager_id": manager["id"], "phones": ["+79160000002"]},
        )
        await cache.catch_up()  # sees the higher id: the lower one is a gap
        assert _snapshot_routes(one, {"+79160000002": manager["id"]})
        assert not _snapshot_routes(one, {"+79160000001": manager["id"]})
        await slow.commit()
    await _all_route(one, {"+79160000001": "101"}, REFRESH + 1)


async def test_a_talk_on_one_instance_reaches_sticky_routing_on_the_other(
    aiohttp_client: Any, db_url: str
) -> None:
    clock = TestClock()
    one, two = await _instances(aiohttp_client, db_url, clock)
    await one.post("/api/v1/managers", {"name": "Ivan", "extension": "101"})
    await one.hook(
        [
            update("t1", "ringing", extension="101"),
            update("t1", "answered", extension="101"),
            update("t1", "ended", extension="101"),
        ]
    )

    async def sticky_on_two() -> bool:
        decision = await two.get("/api/v1/route?from=%2B79031112233")
        return bool(
            decision["reason_code"] == "sticky" and decision["target"]["extension"] == "101"
        )

    await until_true(sticky_on_two, REFRESH + 1)


async def test_a_bulk_import_while_running_routes_within_seconds(
    aiohttp_client: Any, db_url: str, sessions: SessionFactory
) -> None:
    """The suite's size; ``bench/routing_feed.py`` runs the same with 100,000 rows."""
    one, _ = await _instances(aiohttp_client, db_url, TestClock())
    managers = [
        await one.post("/api/v1/managers", {"name": f"M{i}", "extension": f"2{i:02}"})
        for i in range(5)
    ]
    rows = [
        SourceRow(
            line=i + 2,
            name=f"Imported {i}",
            manager=managers[i % 5]["extension"],
            phones=(f"+7925{i:07}",),
            status="",
        )
        for i in range(IMPORTED)
    ]
    expected = {f"+7925{i:07}": managers[i % 5]["id"] for i in range(IMPORTED)}
    report = await import_clients(sessions, rows, Normalizer("RU"))
    ended = time.monotonic()
    assert report.created == IMPORTED

    async def routed() -> bool:
        return _snapshot_routes(one, expected)

    await until_true(routed, 5)
    assert time.monotonic() - ended < 5
    await _all_route(one, {"+79250000007": "202"}, 1)


def test_gaps_are_kept_until_every_transaction_that_could_fill_them_has_ended() -> None:
    cursor = FeedCursor()
    assert cursor.look((100, 100)) == 100
    cursor.saw([1, 2, 5, 6], 6)  # 3 and 4 not visible yet
    assert (cursor.top, cursor.ranges()) == (6, [(3, 4)])
    cursor.settle(100)
    assert cursor.gaps == [Gap(3, 4, None)]  # found this look: kept
    oldest = cursor.look((100, 105))  # marked: transactions below 105 may fill it
    cursor.saw([4, 7], 7)
    cursor.settle(oldest)
    assert cursor.gaps == [Gap(3, 3, 105)]
    oldest = cursor.look((104, 110))  # transaction 104 still running
    cursor.saw([], 7)
    cursor.settle(oldest)
    assert cursor.ranges() == [(3, 3)]
    oldest = cursor.look((105, 110))  # all below 105 ended before this read
    cursor.saw([], 7)
    cursor.settle(oldest)
    assert cursor.gaps == []


def test_sqlite_keeps_no_gaps() -> None:
    cursor = FeedCursor()
    cursor.saw([1, 3], 3)
    cursor.settle(cursor.look(None))
    assert (cursor.top, cursor.gaps) == (3, [])
