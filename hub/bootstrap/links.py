"""Signed links for messages and reports (a call's recording): the key is read, or made once."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.services.links import Links, load_links

LINKS = web.AppKey("links", Links)


async def links(app: web.Application) -> AsyncIterator[None]:
    http = app[SETTINGS].http
    configured = http.link_secret.get_secret_value() if http.link_secret else None
    app[LINKS] = await load_links(
        app[SESSIONS],
        app[CLOCK],
        configured=configured,
        public_url=http.public_url,
        ttl=http.link_ttl,
    )
    yield
