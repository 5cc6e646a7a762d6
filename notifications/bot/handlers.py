"""The staff bot's handlers: invites, commands and the buttons under alerts, on aiogram's router.

Every update first learns who wrote (``staff``, by the private chat bound to a manager record).
Only ``/start <code>`` works for strangers; anything else they send gets one polite refusal and
nothing more. Closing a case by hand goes through the same code as the API, so the alerts are
edited and the audit log written the same way.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from aiogram import BaseMiddleware, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import (
    CallbackQuery,
    ForceReply,
    Message,
    TelegramObject,
    User,
)

from hub.domain.cases import CaseNotActive, MayNotClose, is_active, may_close
from hub.domain.clock import Clock
from hub.domain.digits import plain_digits
from hub.domain.errors import NotFound
from hub.domain.people import Redeemed, Redemption, Role
from notifications.alerts import load_audience
from notifications.bot import views
from notifications.catalogue import Language, text
from notifications.telegram import keyboard
from storage.db import SessionFactory
from storage.models import Manager
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
CASE_MARK = re.compile(r"#(\d+)")
REASON_MAX = 500


@dataclass(frozen=True, slots=True)
class BotContext:
    """What the handlers need from the service."""

    factory: SessionFactory
    # The services the bot acts through (the same the API and the console use):
    # close_case(person, case id, reason) and redeem(code, chat id).
    close_case: Callable[[Manager, int, str], Awaitable[object]]
    redeem: Callable[[str, int], Awaitable[Redemption]]
    clock: Clock
    language: Language
    zone: tzinfo


class StaffMiddleware(BaseMiddleware):
    """Puts ``staff`` (the manager bound to this private chat, or None) into the handler data."""

    def __init__(self, factory: SessionFactory) -> None:
        self._factory = factory

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat_id = _private_chat(event)
        staff = None
        if chat_id is not None:
            async with UnitOfWork(self._factory, read_only=True) as uow:
                found = await uow.managers.by_chat(chat_id)
            staff = found if found is not None and found.active else None
        data["staff"] = staff
        return await handler(event, data)


def _private_chat(event: TelegramObject) -> int | None:
    if isinstance(event, Message):
        return event.chat.id if event.chat.type == "private" else None
    if isinstance(event, CallbackQuery):
        user: User = event.from_user
        return user.id
    return None


async def staff_only(event: TelegramObject, staff: Manager | None = None) -> bool:
    return staff is not None


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
    )
    await message.answer(body, reply_markup=keyboard(buttons))


async def card_button(query: CallbackQuery, ctx: BotContext) -> None:
    client_id = _number_after(query.data, "card:")
    lang = ctx.language
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        client = await uow.clients.get(client_id) if client_id else None
        if client is not None:
            phones = await uow.clients.phones(client.id)
            calls = await uow.calls.page(numbers=phones, limit=views.RECENT_CALLS) if phones else []
            managers = {m.id: m for m in await uow.managers.list()}
            active = await uow.cases.active_for(phones)
    if client is None:
        await query.answer(text("card_missing", lang, id=client_id), show_alert=True)
        return
    body = views.card(
        client,
        phones=phones,
        owner=managers.get(client.manager_id or 0),
        calls=calls,
        managers=managers,
        case=next(iter(active.values()), None),
        language=lang,
        zone=ctx.zone,
    )
    await query.answer()
    if query.message is not None:
        await query.bot.send_message(query.message.chat.id, body)  # type: ignore[union-attr]


async def close_button(query: CallbackQuery, ctx: BotContext, staff: Manager) -> None:
    case_id = _number_after(query.data, "close:")
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        refusal = await _refusal(uow, ctx.language, staff, case_id)
        case = await uow.cases.get(case_id)
    if refusal is not None or case is None:
        await query.answer(refusal, show_alert=True)
        return
    number = case.number
    await query.answer()
    await query.bot.send_message(  # type: ignore[union-attr]
        staff.telegram_chat_id or query.from_user.id,
        text("close_ask", ctx.language, id=case_id, number=number),
        reply_markup=keyboard(views.close_reasons(case_id, ctx.language)),
    )


async def reason_button(query: CallbackQuery, ctx: BotContext, staff: Manager) -> None:
    case_id, key = _reason_choice(query.data)
    lang = ctx.language
    question = query.message if isinstance(query.message, Message) else None
    if key == "cancel":
        await query.answer()
        if question is not None:
            await question.edit_text(text("close_cancelled", lang, id=case_id))
        return
    if key == "other":
        await query.answer()
        await query.bot.send_message(  # type: ignore[union-attr]
            staff.telegram_chat_id or query.from_user.id,
            text("close_other_prompt", lang, id=case_id),
            reply_markup=ForceReply(input_field_placeholder=text("reason_other", lang)),
        )
        return
    if key not in views.REASONS:
        await query.answer()
        return
    closed, answer = await _close(ctx, staff, case_id, text(f"reason_{key}", lang))
    await query.answer(answer, show_alert=not closed)
    if question is not None:
        await question.edit_text(answer)


async def reason_reply(message: Message, ctx: BotContext, staff: Manager) -> None:
    asked = message.reply_to_message
    prompt = text("close_other_prompt", ctx.language, id=0).split("#")[0]
    found = CASE_MARK.search(asked.text or "") if asked is not None else None
    if asked is None or found is None or not (asked.text or "").startswith(prompt):
        await message.answer(text("help", ctx.language))
        return
    reason = (message.text or "").strip()[:REASON_MAX]
    _, answer = await _close(ctx, staff, int(found.group(1)), reason)
    await message.answer(answer)


async def anything_else(message: Message, ctx: BotContext) -> None:
    await message.answer(text("help", ctx.language))


async def stranger(message: Message, ctx: BotContext) -> None:
    await message.answer(text("bot_refusal", ctx.language))


async def stranger_button(query: CallbackQuery, ctx: BotContext) -> None:
    await query.answer(text("bot_refusal", ctx.language), show_alert=True)


def _number_after(data: str | None, prefix: str) -> int:
    rest = (data or "")[len(prefix) :]
    return int(rest) if plain_digits(rest) else 0


def _reason_choice(data: str | None) -> tuple[int, str]:
    """``reason:<case id>:<key>`` → (case id, key); nonsense gives (0, "")."""
    parts = (data or "").split(":")
    if len(parts) != 3 or not plain_digits(parts[1]):
        return 0, ""
    return int(parts[1]), parts[2]


async def _refusal(uow: UnitOfWork, lang: Language, staff: Manager, case_id: int) -> str | None:
    """Why ``staff`` may not close this case, or None if he may (asked before the reasons are
    offered; the close itself asks again, with the case locked)."""
    case = await uow.cases.get(case_id) if case_id else None
    if case is None:
        return text("close_missing", lang, id=case_id)
    if not is_active(case.status):
        return _already(lang, case_id, case.status)
    responsible = await uow.managers.get(case.manager_id) if case.manager_id else None
    boss = responsible.supervisor_id if responsible is not None else None
    if not may_close(staff.role, staff.id, responsible.id if responsible else None, boss):
        return text("close_forbidden", lang)
    return None


def _already(lang: Language, case_id: int, status: str) -> str:
    return text("close_already", lang, id=case_id, status=text(f"status_{status}", lang))


async def _close(ctx: BotContext, staff: Manager, case_id: int, reason: str) -> tuple[bool, str]:
    """Close the case by hand; whether it closed, and the answer to show the person."""
    lang = ctx.language
    try:
        await ctx.close_case(staff, case_id, reason)
    except NotFound:
        return False, text("close_missing", lang, id=case_id)
    except CaseNotActive as exc:
        return False, _already(lang, case_id, exc.case_status)
    except MayNotClose:
        return False, text("close_forbidden", lang)
    log.info("callback case %s closed by manager %s in Telegram", case_id, staff.id)
    return True, text("close_done", lang, id=case_id, reason=reason)


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
    router.message.register(reason_reply, staff_only, F.reply_to_message.from_user.is_bot, F.text)
    router.message.register(anything_else, staff_only)
    router.message.register(stranger)
    router.callback_query.register(stranger_button)
    return router
