"""Who is asking: the API token verifier, and the principal it finds for a request."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from hub.bootstrap.core import SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.services.auth import Principal, TokenVerifier

VERIFIER = web.AppKey("verifier", TokenVerifier)
PRINCIPAL = web.RequestKey("principal", Principal)


async def verifier(app: web.Application) -> AsyncIterator[None]:
    token = app[SETTINGS].admin.token
    app[VERIFIER] = TokenVerifier(app[SESSIONS], token.get_secret_value() if token else None)
    yield
