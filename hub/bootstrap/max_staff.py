"""The staff bot on MAX, when ``[max]`` has a token: the same invites, commands and buttons as
the Telegram bot, acting through the same services (``staff.bot_context``); its webhook is
subscribed at start when ``max.webhook_url`` is set."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from hub.bootstrap.core import SETTINGS
from hub.bootstrap.http_client import HTTP_CLIENT
from hub.bootstrap.staff import bot_context
from notifications.max_bot.api import MaxBotApi
from notifications.max_bot.bot import MaxStaffBot

MAX_STAFF_BOT = web.AppKey("max_staff_bot", MaxStaffBot)


async def max_staff(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS].max
    if settings.token is None:
        yield
        return
    bot = MaxStaffBot(MaxBotApi(settings, app[HTTP_CLIENT]), bot_context(app), settings)
    app[MAX_STAFF_BOT] = bot
    bot.start()
    yield
    await bot.stop()
