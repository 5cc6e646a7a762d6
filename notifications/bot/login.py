"""``/login`` in the staff bot: a person asks for a one-time link that sets his console password
(the same link ``dozvon managers set-password`` prints), in his own private chat only."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from hub.domain.errors import DozvonError
from notifications.bot.context import BotContext
from notifications.bot.staff import staff_only
from notifications.catalogue import text
from storage.models import Manager

log = logging.getLogger(__name__)


async def login_command(message: Message, ctx: BotContext, staff: Manager) -> None:
    lang = ctx.language
    try:
        link = await ctx.password_link(staff) if ctx.password_link is not None else None
    except DozvonError as exc:
        # He has neither a login nor an extension to log in with: the admin gives him one.
        log.info("no console link for manager %s: %s", staff.id, exc.message)
        await message.answer(text("bot_login_no_username", lang))
        return
    if link is None:
        await message.answer(text("bot_login_unavailable", lang))
        return
    log.info("console password link sent to manager %s", staff.id)
    username = staff.login or staff.extension or ""
    await message.answer(text("bot_login", lang, link=link, username=username))


def login_router() -> Router:
    router = Router(name="login")
    router.message.register(login_command, Command("login"), staff_only)
    return router
