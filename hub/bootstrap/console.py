"""The console's door: the login guard (attempt counts, the key forms are signed with); the
imports started from its import page, stopped with the service."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from hub.bootstrap.core import CLOCK
from hub.bootstrap.database import SESSIONS
from hub.services.import_runs import ImportRuns
from hub.services.logins.guard import LoginGuard, load_guard

GUARD = web.AppKey("login_guard", LoginGuard)
IMPORTS = web.AppKey("console_imports", ImportRuns)


async def console(app: web.Application) -> AsyncIterator[None]:
    app[GUARD] = await load_guard(app[SESSIONS], app[CLOCK])
    app[IMPORTS] = ImportRuns()
    yield
    await app[IMPORTS].close()
