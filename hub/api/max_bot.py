"""The staff bot on MAX over HTTP: MAX's webhook, and the bot's name for invite links."""

from __future__ import annotations

from aiohttp import web

from hub.api.endpoints import Endpoint
from hub.bootstrap.max_staff import MAX_STAFF_BOT
from hub.domain.errors import Unavailable
from notifications.max_bot.bot import MaxUnavailable


async def max_username(request: web.Request) -> str:
    """The staff bot's name on MAX (for ``https://max.ru/<bot>?start=<code>``)."""
    found = request.app.get(MAX_STAFF_BOT)
    if found is None:
        raise Unavailable("no MAX staff bot is configured: set max.token")
    try:
        return await found.username()
    except MaxUnavailable as exc:
        raise Unavailable(str(exc)) from exc


async def webhook(request: web.Request) -> web.Response:
    found = request.app.get(MAX_STAFF_BOT)
    if found is None:
        raise web.HTTPNotFound()
    return await found.feed(request)


ENDPOINTS = [
    Endpoint(
        method="POST",
        path="/api/v1/max/webhook",
        handler=webhook,
        roles=None,
        summary="Updates of the staff bot on MAX (checks X-Max-Bot-Api-Secret)",
        tag="max",
        auth="messenger_max",
    ),
]
