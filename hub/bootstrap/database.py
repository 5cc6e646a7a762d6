"""The database engine and the session factory every unit of work is opened from."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.bootstrap.core import SETTINGS
from storage.db import SessionFactory, create_engine, create_session_factory

ENGINE = web.AppKey("engine", AsyncEngine)
SESSIONS = web.AppKey("sessions", SessionFactory)


async def database(app: web.Application) -> AsyncIterator[None]:
    engine = create_engine(app[SETTINGS].database)
    app[ENGINE] = engine
    app[SESSIONS] = create_session_factory(engine)
    yield
    await engine.dispose()
