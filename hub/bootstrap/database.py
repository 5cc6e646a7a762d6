"""The database engine and the session factory every unit of work is opened from.

The service opens it as a resource of the app; the command line opens it the same way, with
:func:`open_database`, for one command.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import DatabaseSettings
from hub.bootstrap.core import SETTINGS
from storage.db import SessionFactory, create_engine, create_session_factory, reach

ENGINE = web.AppKey("engine", AsyncEngine)
SESSIONS = web.AppKey("sessions", SessionFactory)


@dataclass(frozen=True, slots=True)
class Database:
    engine: AsyncEngine
    sessions: SessionFactory


@contextlib.asynccontextmanager
async def open_database(
    settings: DatabaseSettings, *, migrate: bool = False
) -> AsyncIterator[Database]:
    """The engine and its sessions, disposed of at the end; ``migrate``: upgraded first."""
    engine = create_engine(settings)
    try:
        await reach(engine)
        if migrate:
            from storage.migrate import upgrade  # alembic: only where migrations run

            await upgrade(engine)
        yield Database(engine, create_session_factory(engine))
    finally:
        await engine.dispose()


async def database(app: web.Application) -> AsyncIterator[None]:
    async with open_database(app[SETTINGS].database) as opened:
        app[ENGINE] = opened.engine
        app[SESSIONS] = opened.sessions
        yield
