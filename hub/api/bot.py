"""The staff bot over HTTP: invite links for the admin, and Telegram's webhook."""

from __future__ import annotations

from aiohttp import web

from hub.api.endpoints import Endpoint
from hub.api.http import actor, path_int, reply, unit_of_work
from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.people import STAFF_BOT
from hub.domain.errors import Unavailable
from hub.services.auth import ADMINS
from hub.services.directory.invites import issue_invite
from hub.services.serialisers import invite_view
from notifications.bot.runner import BotUnavailable, StaffBot


def _bot(request: web.Request) -> StaffBot:
    found = request.app.get(STAFF_BOT)
    if found is None:
        raise Unavailable("no Telegram bot is configured: set telegram.token")
    return found


async def invite(request: web.Request) -> web.Response:
    manager_id = path_int(request, "id")
    try:
        username = await _bot(request).username()
    except BotUnavailable as exc:
        raise Unavailable(str(exc)) from exc
    ttl = request.app[SETTINGS].telegram.invite_ttl
    async with unit_of_work(request) as uow:
        code, created = await issue_invite(
            uow, manager_id, actor=actor(request), ttl=ttl, now=request.app[CLOCK].now()
        )
        await uow.commit()
    return reply(invite_view(created, code, username), 201)


async def webhook(request: web.Request) -> web.Response:
    found = request.app.get(STAFF_BOT)
    if found is None:
        raise web.HTTPNotFound()
    return await found.feed(request)


ENDPOINTS = [
    Endpoint(
        method="POST",
        path="/api/v1/managers/{id}/invite",
        handler=invite,
        roles=ADMINS,
        summary="A one-time Telegram invite link for a manager",
        tag="managers",
        status=201,
    ),
    Endpoint(
        method="POST",
        path="/telegram/webhook",
        handler=webhook,
        roles=None,
        summary="Updates from Telegram (webhook mode; checks X-Telegram-Bot-Api-Secret-Token)",
        tag="telegram",
        auth="telegram",
    ),
]
