"""The staff bot over HTTP: invite links for the admin (to Telegram or MAX), and Telegram's
webhook."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from hub.api.endpoints import Endpoint, Query
from hub.api.http import actor, path_int, query_choice, reply, unit_of_work
from hub.api.max_bot import max_username
from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.people import STAFF_BOT
from hub.domain.errors import Unavailable
from hub.domain.people import invite_link
from hub.services.auth import ADMINS
from hub.services.directory.invites import issue_invite
from hub.services.serialisers import invite_view
from notifications.bot.errors import BotUnavailable

if TYPE_CHECKING:
    from notifications.bot.runner import StaffBot

# Where an invite's link opens the staff bot.
CHANNELS = frozenset({"telegram", "max"})


def _bot(request: web.Request) -> StaffBot:
    found = request.app.get(STAFF_BOT)
    if found is None:
        raise Unavailable("no Telegram bot is configured: set telegram.token")
    return found


async def invite(request: web.Request) -> web.Response:
    """A one-time link to the staff bot on Telegram, or with ``?channel=max`` on MAX."""
    manager_id = path_int(request, "id")
    channel = query_choice(request, "channel", CHANNELS) or "telegram"
    if channel == "max":
        username = await max_username(request)
    else:
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
    view = invite_view(created, code, username)
    view["link"] = invite_link(username, code, channel=channel)
    return reply(view, 201)


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
        summary="A one-time invite link to the staff bot (Telegram, or MAX) for a manager",
        tag="managers",
        status=201,
        query=(
            Query(
                name="channel",
                description="telegram (default): a t.me link; max: a max.ru link to the "
                "staff bot on MAX",
            ),
        ),
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
