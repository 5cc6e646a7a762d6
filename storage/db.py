"""Engine and session factory: SQLite tuned for a single service, PostgreSQL as it comes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from config.settings import DatabaseSettings

SessionFactory = async_sessionmaker[AsyncSession]
# Execution option of a connection whose transaction only reads (see _tune_sqlite).
READ_ONLY = "dozvon_read_only"


def _tune_sqlite(engine: AsyncEngine, settings: DatabaseSettings) -> None:
    busy_ms = int(settings.sqlite_busy_timeout.total_seconds() * 1000)
    synchronous = settings.sqlite_synchronous

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from the driver so that BEGIN IMMEDIATE below is the only
        # BEGIN: a write transaction then holds the write lock from its start and never fails
        # half-way with "database is locked" when another connection wrote first.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A transaction that only reads begins DEFERRED: in WAL mode it reads a snapshot and
        # neither waits for the writer nor holds it up.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


async def reading(session: AsyncSession) -> None:
    """Begin ``session``'s transaction as one that only reads (it must not write)."""
    await session.connection(execution_options={READ_ONLY: True})


def create_engine(settings: DatabaseSettings) -> AsyncEngine:
    """An async engine for the configured URL, with SQLite's pragmas set on every connection."""
    if settings.is_sqlite:
        if settings.sqlite_file is not None:
            settings.sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(settings.url, echo=settings.echo)
        _tune_sqlite(engine, settings)
        return engine
    return create_async_engine(
        settings.url,
        echo=settings.echo,
        pool_size=settings.pool_size,
        max_overflow=settings.pool_size,
        pool_pre_ping=True,
    )


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    """Sessions that keep their objects readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
