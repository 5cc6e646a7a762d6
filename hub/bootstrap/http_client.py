"""The app's one outbound HTTP session (Mango's commands, and any vendor we call back)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

HTTP_CLIENT = web.AppKey("http_client", aiohttp.ClientSession)
# A vendor that does not answer within this long is retried later, not waited for.
TIMEOUT = aiohttp.ClientTimeout(total=10)


async def http_client(app: web.Application) -> AsyncIterator[None]:
    async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
        app[HTTP_CLIENT] = session
        yield
