"""PostgreSQL's pooled connections: a unit of work sends its own statements and nothing before
them, and a connection the server closed while it waited in the pool is replaced at checkout."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import time_machine
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import DatabaseSettings
from storage.db import create_engine
from tests.conftest import fresh_pg_database
from tests.support.pg_cluster import Cluster


async def _driver(engine: AsyncEngine) -> tuple[asyncpg.Connection[Any], int]:
    """The driver's connection the pool holds, and its backend's pid (the pool keeps it)."""
    async with engine.connect() as conn:
        pid = int((await conn.scalar(text("SELECT pg_backend_pid()"))) or 0)
        raw = await conn.get_raw_connection()
        driver: asyncpg.Connection[Any] = raw.driver_connection
    return driver, pid


async def test_a_unit_of_work_sends_no_ping_first(pg_cluster: Cluster) -> None:
    """A checkout costs no round trip: the server sees the unit's BEGIN, its statement and its
    COMMIT — not a transaction of its own (BEGIN, ";", ROLLBACK) before them."""
    engine = create_engine(DatabaseSettings(url=await fresh_pg_database(pg_cluster)))
    try:
        driver, _pid = await _driver(engine)
        sent: list[str] = []
        driver.add_query_logger(lambda record: sent.append(record.query.strip()))
        async with engine.begin() as conn:
            await conn.execute(text("SELECT 1"))
        # The driver logs the statements it sends as plain queries (not the prepared SELECT).
        assert sent == ["BEGIN;", "COMMIT;"], sent
    finally:
        await engine.dispose()


async def test_a_connection_the_server_closed_is_replaced(pg_cluster: Cluster) -> None:
    """The server ends the backend of a pooled connection (as on a restart): the next unit of
    work gets a new one and succeeds, with no error seen by its caller."""
    engine = create_engine(DatabaseSettings(url=await fresh_pg_database(pg_cluster)))
    try:
        driver, pid = await _driver(engine)
        closed = asyncio.Event()
        driver.add_termination_listener(lambda _conn: closed.set())
        admin = await asyncpg.connect(pg_cluster.dsn())
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        await asyncio.wait_for(closed.wait(), timeout=30)

        async with engine.begin() as conn:
            again = await conn.scalar(text("SELECT pg_backend_pid()"))
        assert again is not None and again != pid
    finally:
        await engine.dispose()


async def test_a_connection_older_than_the_recycle_age_is_replaced(pg_cluster: Cluster) -> None:
    """One a NAT or a firewall may have forgotten without a word (``database.pool_recycle``)."""
    url = await fresh_pg_database(pg_cluster)
    engine = create_engine(DatabaseSettings(url=url, pool_recycle=timedelta(minutes=5)))
    try:
        with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
            _driver_before, pid = await _driver(engine)
            traveller.shift(timedelta(minutes=4))
            assert (await _driver(engine))[1] == pid  # young enough: the same connection
            traveller.shift(timedelta(minutes=2))
            assert (await _driver(engine))[1] != pid
    finally:
        await engine.dispose()
