"""Loading the routing snapshot whole never holds the event loop for the whole directory: it is
built a partition at a time, other tasks run in between (reading the snapshot still in use), and
the fresh one is swapped in at the end."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import insert

from hub.services import routing_snapshot
from hub.services.routing_snapshot import DirectoryCache
from routing.snapshot import ClientColumnsBuilder, ClientView, DirectorySnapshot
from storage.db import SessionFactory
from storage.models import Client, ClientPhone, Manager
from tests.support.clock import TestClock

CLIENTS = 3_000
CHUNK = 100


def _number(client_id: int) -> str:
    return f"+7916{client_id:07d}"


async def _seed(factory: SessionFactory) -> None:
    async with factory() as session:
        await session.execute(insert(Manager), [{"id": 1, "name": "Ivan", "role": "manager"}])
        await session.execute(
            insert(Client),
            [{"id": i, "name": f"Client {i}", "manager_id": 1} for i in range(1, CLIENTS + 1)],
        )
        await session.execute(
            insert(ClientPhone),
            [{"client_id": i, "number": _number(i)} for i in range(1, CLIENTS + 1)],
        )
        await session.commit()


async def test_a_whole_load_lets_other_tasks_run_between_partitions(
    factory: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _seed(factory)
    cache = DirectoryCache(factory, TestClock(), timedelta(days=30), load_chunk=CHUNK)
    before = cache.snapshot
    built: list[int] = []
    for method in ("add_clients", "add_phones"):
        original = getattr(ClientColumnsBuilder, method)

        def counted(self: ClientColumnsBuilder, rows: list[Any], _original: Any = original) -> None:
            built.append(len(rows))
            _original(self, rows)

        monkeypatch.setattr(ClientColumnsBuilder, method, counted)

    seen: list[tuple[int, DirectorySnapshot]] = []
    loading = asyncio.create_task(cache.load_all())
    while not loading.done():
        seen.append((len(built), cache.snapshot))
        await asyncio.sleep(0)
    await loading

    partitions = 2 * CLIENTS // CHUNK
    assert len(built) == partitions
    assert max(built) <= CHUNK
    # This task ran between most of the partitions, and read the old snapshot meanwhile.
    between = {count for count, snapshot in seen if 0 < count < partitions}
    assert len(between) >= partitions - 1
    assert all(snapshot is before for count, snapshot in seen if count < partitions)
    assert cache.snapshot is not before
    assert len(cache.snapshot.clients) == CLIENTS
    for client_id in (1, CLIENTS // 2, CLIENTS):
        assert cache.snapshot.client_by_phone.get(_number(client_id)) == client_id
        assert cache.snapshot.clients[client_id].manager_id == 1


async def test_many_changes_over_the_columns_are_folded_in_by_a_whole_load(
    factory: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _seed(factory)
    monkeypatch.setattr(routing_snapshot, "RELOAD_ABOVE", 5)
    cache = DirectoryCache(factory, TestClock(), timedelta(days=30))
    await cache.load_all()
    renamed = ClientView(id=1, name="Renamed", manager_id=None)
    for _ in range(2):
        cache.snapshot.set_client(renamed, 1, frozenset({_number(1)}))
    await cache.catch_up()
    assert cache.snapshot.clients.changed == 1  # few: kept over the columns
    for client_id in range(2, CLIENTS // 8 + 2):
        cache.snapshot.set_client(None, client_id, frozenset())
    loaded = cache.snapshot
    await cache.catch_up()
    # Many: the database's directory loaded whole, as it is (nothing was written to it).
    assert cache.snapshot is not loaded
    assert cache.snapshot.clients.changed == 0
    assert cache.snapshot.clients[1].name == "Client 1"
    assert len(cache.snapshot.clients) == CLIENTS
