"""Fixtures: a fresh database per test on SQLite and on a real PostgreSQL, and the running app."""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import logging
import os
import shutil
import sys
from collections.abc import AsyncIterator, Coroutine, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import time_machine
from aiohttp.test_utils import TestClient
from hypothesis import settings as hypothesis_settings

from config.settings import DatabaseSettings, Settings
from hub.app import create_app
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.migrate import upgrade
from tests.support.api import Api
from tests.support.clock import TestClock
from tests.support.pg_cluster import Cluster, start_cluster
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings

for _name in [n for n in os.environ if n.startswith("DOZVON_")]:
    del os.environ[_name]

# `make test`: the same generated examples every run; `make fuzz`: new ones (tests/support/fuzzing).
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("explore")

_counter = itertools.count()


def run_blocking(coro: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine to completion on its own loop, even from inside a running loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coro).result()


async def _migrate(url: str) -> None:
    engine = create_engine(DatabaseSettings(url=url))
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


@pytest.fixture(autouse=True, scope="session")
def _wall_clock() -> Iterator[None]:
    """``TEST_WALL_CLOCK=2026-11-29T23:59:00+03:00 make test`` runs the whole suite as if the
    machine's clock read that moment (and ticked on from it): the way to show that no test
    depends on the day, the hour or the month it runs in."""
    moment = os.environ.get("TEST_WALL_CLOCK")
    if not moment:
        yield
        return
    with time_machine.travel(datetime.fromisoformat(moment), tick=True):
        yield


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    cluster = start_cluster()

    async def _template() -> None:
        conn = await asyncpg.connect(cluster.dsn())
        await conn.execute("CREATE DATABASE dozvon_template")
        await conn.close()
        await _migrate(cluster.url("dozvon_template"))

    try:
        run_blocking(_template())
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    run_blocking(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


async def fresh_pg_database(cluster: Cluster) -> str:
    name = f"t{os.getpid()}_{next(_counter)}"
    conn = await asyncpg.connect(cluster.dsn())
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE dozvon_template')
    finally:
        await conn.close()
    return cluster.url(name)


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> AsyncIterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "dozvon.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite+aiosqlite:///{path}"
    else:
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        yield await fresh_pg_database(cluster)


@pytest.fixture
async def factory(db_url: str) -> AsyncIterator[SessionFactory]:
    """Sessions on the test's database, for tests that use storage without the app."""
    engine = create_engine(DatabaseSettings(url=db_url))
    yield create_session_factory(engine)
    await engine.dispose()


@pytest.fixture
def settings(db_url: str) -> Settings:
    return make_settings(db_url)


@pytest.fixture
def clock() -> TestClock:
    """What the app reads the time from: a plain Wednesday morning in Moscow, ticking; tests
    move it (or request another start) instead of depending on when they run."""
    return TestClock()


@pytest.fixture
async def api(aiohttp_client: object, settings: Settings, clock: TestClock) -> Api:
    app = create_app(settings, clock=clock)
    client: TestClient[Any, Any] = await aiohttp_client(app)  # type: ignore[operator]
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


@pytest.fixture(autouse=True)
async def _tasks_left_behind() -> AsyncIterator[None]:
    """After a test (and its app) has finished: cancel any task still running, as the event loop
    will, and if one will not end, print where it is stuck — the loop's closing would wait for it
    for ever, and pytest-timeout's report alone would not say which task it was."""
    yield
    current = asyncio.current_task()
    left = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    for task in left:
        task.cancel()
    if left:
        await asyncio.wait(left, timeout=5)
    for task in left:
        if not task.done():
            print(f"task left running after the test: {task!r}", file=sys.stderr)
            task.print_stack(file=sys.stderr)


@pytest.fixture(autouse=True)
def _logging_kept() -> Iterator[None]:
    """The CLI and the log-format test set the root logger up for a process; put it back, or its
    handler would write to a captured stream pytest has closed and hide later tests' logs."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
