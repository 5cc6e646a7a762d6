"""The staff bot's handlers: invites, commands and the buttons under alerts, on aiogram's router.

Every update first learns who wrote (``staff``, by the private chat bound to a manager record).
Only ``/start <code>`` works for strangers; anything else they send gets one polite refusal and
nothing more. Closing a case by hand goes through the same code as the API, so the alerts are
edited and the audit log written the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import (
    CallbackQuery,
    Message,
)

from hub.domain.people import Redeemed, Role
from notifications.alerts import load_audience
from notifications.bot import views
from notifications.bot.answering import answering_router
from notifications.bot.calling import calling_router
from notifications.bot.closing import close_button, number_after, reason_button, reason_typed
from notifications.bot.context import BotContext, staff_only
from notifications.bot.dialogues import Closing
from notifications.bot.login import login_router
from notifications.bot.triage import triage_router
from notifications.buttons import contact_row
from notifications.catalogue import text
from notifications.telegram import keyboard
from storage.models import CallbackCase, Manager
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
# A card shows call and WhatsApp buttons for this many of the client's phones.
BUTTON_PHONES = 3


def _conversation_ids(cases: Sequence[CallbackCase]) -> list[int]:
    """The conversations of the message cases among ``cases``."""
    return [c.conversation_id for c in cases if c.kind == "message" and c.conversation_id]


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
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        cases = await uow.cases.active_of([staff.id])
        audience = await load_audience(uow, cases)
        talks = await uow.conversations.many(_conversation_ids(cases))
    if not cases:
        await message.answer(text("missed_none", ctx.language))
        return
    body, buttons = views.case_list(
        "missed_title",
        cases,
        clients=audience.clients,
        managers=None,
        language=ctx.language,
        zone=ctx.zone,
        can_call=ctx.can_call(),
        conversations=talks,
    )
    await message.answer(body, reply_markup=keyboard(buttons))


async def team_command(message: Message, ctx: BotContext, staff: Manager) -> None:
    lang = ctx.language
    # Nothing is sent to Telegram inside a transaction: on SQLite it would hold every writer up.
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        members: list[int] | None = None  # None: everybody's cases
        if staff.role not in (Role.DIRECTOR, Role.ADMIN):
            team = await uow.managers.subordinates(staff.id)
            members = [staff.id, *(m.id for m in team)] if team else []
        cases = await uow.cases.active_of(members) if members != [] else []
        audience = await load_audience(uow, cases)
        talks = await uow.conversations.many(_conversation_ids(cases))
    if members == []:
        await message.answer(text("team_nobody", lang))
        return
    if not cases:
        await message.answer(text("team_none", lang))
        return
    body, buttons = views.case_list(
        "team_title",
        cases,
        clients=audience.clients,
        managers=audience.managers,
        language=lang,
        zone=ctx.zone,
        can_call=ctx.can_call(),
        conversations=talks,
    )
    await message.answer(body, reply_markup=keyboard(buttons))


async def card_button(query: CallbackQuery, ctx: BotContext) -> None:
    client_id = number_after(query.data, "card:")
    lang = ctx.language
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        client = await uow.clients.get(client_id) if client_id else None
        if client is not None:
            phones = await uow.clients.phones(client.id)
            calls = await uow.calls.page(numbers=phones, limit=views.RECENT_CALLS) if phones else []
            managers = {m.id: m for m in await uow.managers.list()}
            active = await uow.cases.active_for(phones)
            case = next(iter(active.values()), None) or await uow.cases.active_of_client(client.id)
            messages = await uow.conversations.recent_of_clients([client.id], views.RECENT_MESSAGES)
    if client is None:
        await query.answer(text("card_missing", lang, id=client_id), show_alert=True)
        return
    body = views.card(
        client,
        phones=phones,
        owner=managers.get(client.manager_id or 0),
        calls=calls,
        managers=managers,
        case=case,
        language=lang,
        zone=ctx.zone,
        messages=messages,
    )
    await query.answer()
    rows = [contact_row(phone, lang, can_call=ctx.can_call()) for phone in phones[:BUTTON_PHONES]]
    if query.message is not None:
        await query.bot.send_message(  # type: ignore[union-attr]
            query.message.chat.id, body, reply_markup=keyboard(rows)
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
