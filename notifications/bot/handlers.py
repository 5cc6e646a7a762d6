"""The staff bot's handlers: invites, commands and the buttons under alerts, on aiogram's router.

Every update first learns who wrote (``staff``, by the private chat bound to a manager record).
Only ``/start <code>`` works for strangers; anything else they send gets one polite refusal and
nothing more. Closing a case by hand goes through the same code as the API, so the alerts are
edited and the audit log written the same way.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import (
    CallbackQuery,
    Message,
)

from hub.domain.people import Redeemed
from notifications.bot import screens
from notifications.bot.answering import answering_router
from notifications.bot.calling import calling_router
from notifications.bot.closing import close_button, number_after, reason_button, reason_typed
from notifications.bot.context import BotContext
from notifications.bot.dialogues import Closing
from notifications.bot.login import login_router
from notifications.bot.staff import staff_only
from notifications.bot.triage import triage_router
from notifications.catalogue import text
from notifications.telegram import keyboard
from storage.models import Manager

log = logging.getLogger(__name__)


async def start_with_code(
    message: Message, command: CommandObject, ctx: BotContext, staff: Manager | None
) -> None:
    lang = ctx.language
    if message.chat.type != "private" or not command.args:
        await message.answer(text("bot_refusal", lang))
        return
    found = await ctx.redeem(command.args.strip(), message.chat.id)
    if found.outcome is Redeemed.BOUND and found.manager_name is not None:
        log.info("telegram chat bound to manager %s", found.manager_id)
        await message.answer(
            text("bot_welcome", lang, name=found.manager_name, help=text("help", lang))
        )
    elif found.outcome is Redeemed.USED:
        await message.answer(text("invite_used", lang))
    elif found.outcome is Redeemed.EXPIRED:
        await message.answer(text("invite_expired", lang))
    elif staff is not None:
        await message.answer(text("bot_again", lang, name=staff.name, help=text("help", lang)))
    else:
        await message.answer(text("bot_refusal", lang))


async def start_again(message: Message, ctx: BotContext, staff: Manager) -> None:
    lang = ctx.language
    await message.answer(text("bot_again", lang, name=staff.name, help=text("help", lang)))


async def help_command(message: Message, ctx: BotContext) -> None:
    await message.answer(text("help", ctx.language))


async def missed_command(message: Message, ctx: BotContext, staff: Manager) -> None:
    screen = await screens.missed(ctx, staff)
    await message.answer(screen.text, reply_markup=keyboard(screen.buttons))


async def team_command(message: Message, ctx: BotContext, staff: Manager) -> None:
    screen = await screens.team(ctx, staff)
    await message.answer(screen.text, reply_markup=keyboard(screen.buttons))


async def card_button(query: CallbackQuery, ctx: BotContext) -> None:
    client_id = number_after(query.data, "card:")
    screen = await screens.card(ctx, client_id)
    if screen is None:
        await query.answer(text("card_missing", ctx.language, id=client_id), show_alert=True)
        return
    await query.answer()
    if query.message is not None:
        await query.bot.send_message(  # type: ignore[union-attr]
            query.message.chat.id, screen.text, reply_markup=keyboard(screen.buttons)
        )


async def anything_else(message: Message, ctx: BotContext) -> None:
    await message.answer(text("help", ctx.language))


async def stranger(message: Message, ctx: BotContext) -> None:
    await message.answer(text("bot_refusal", ctx.language))


async def stranger_button(query: CallbackQuery, ctx: BotContext) -> None:
    await query.answer(text("bot_refusal", ctx.language), show_alert=True)


def build_router() -> Router:
    """A fresh router with every handler, in the order they are tried."""
    router = Router(name="staff")
    router.message.register(start_with_code, CommandStart(deep_link=True))
    router.message.register(start_again, CommandStart(), staff_only)
    router.message.register(help_command, Command("help"), staff_only)
    router.message.register(missed_command, Command("missed"), staff_only)
    router.message.register(team_command, Command("team"), staff_only)
    router.callback_query.register(card_button, F.data.startswith("card:"), staff_only)
    router.callback_query.register(close_button, F.data.startswith("close:"), staff_only)
    router.callback_query.register(reason_button, F.data.startswith("reason:"), staff_only)
    router.message.register(
        reason_typed, Closing.reason, F.text & ~F.text.startswith("/"), staff_only
    )
    router.message.register(anything_else, staff_only)
    router.message.register(stranger)
    router.callback_query.register(stranger_button)
    # aiogram tries a router's own handlers before its sub-routers': the feature routers come
    # first here, so the catch-alls above see only what nobody else took.
    root = Router(name="root")
    root.include_router(triage_router())
    root.include_router(calling_router())
    root.include_router(login_router())
    root.include_router(answering_router())
    root.include_router(router)
    return root
