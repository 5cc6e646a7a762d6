"""Alembic environment: runs on the connection handed over by storage.migrate (batch mode on)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from storage.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # Plain `alembic` command line use: build an engine from the configured URL.
    from config import load_settings
    from storage.db import create_engine

    engine = create_engine(load_settings().database)

    async def _async() -> None:
        async with engine.begin() as conn:
            await conn.run_sync(_run)
        await engine.dispose()

    asyncio.run(_async())


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run them against a database")
_run_online()
