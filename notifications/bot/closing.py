"""Closing a case by hand from the bot: the button under an alert, the reason, the answer.

The close itself is the service every edge uses (given in the context), so the alerts are edited
and the audit log written the same way as from the API. The staff bot on MAX asks and closes
through the same functions (``refusal``, ``reason_choice``, ``close_by_hand``).
"""

from __future__ import annotations

import logging

from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    ForceReply,
    Message,
)

from hub.domain.cases import CaseNotActive, MayNotClose, is_active, may_close
from hub.domain.digits import plain_digits
from hub.domain.errors import NotFound
from notifications.bot import views
from notifications.bot.context import BotContext
from notifications.bot.dialogues import Closing, answer_data, begin
from notifications.catalogue import Language, text
from notifications.telegram import keyboard
from storage.models import Manager
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
REASON_MAX = 500


async def close_button(query: CallbackQuery, ctx: BotContext, staff: Manager) -> None:
    case_id = number_after(query.data, "close:")
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        refused = await refusal(uow, ctx.language, staff, case_id)
        case = await uow.cases.get(case_id)
    if refused is not None or case is None:
        await query.answer(refused, show_alert=True)
        return
    number = case.number
    await query.answer()
    await query.bot.send_message(  # type: ignore[union-attr]
        staff.telegram_chat_id or query.from_user.id,
        text("close_ask", ctx.language, id=case_id, number=number),
        reply_markup=keyboard(views.close_reasons(case_id, ctx.language)),
    )


async def reason_button(
    query: CallbackQuery, ctx: BotContext, staff: Manager, state: FSMContext
) -> None:
    case_id, key = reason_choice(query.data)
    lang = ctx.language
    question = query.message if isinstance(query.message, Message) else None
    if key == "cancel":
        await query.answer()
        if question is not None:
            await question.edit_text(text("close_cancelled", lang, id=case_id))
        return
    if key == "other":
        await begin(state, Closing.reason, ctx.clock, case=case_id)
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
    closed, answer = await close_by_hand(ctx, staff, case_id, text(f"reason_{key}", lang))
    await query.answer(answer, show_alert=not closed)
    if question is not None:
        await question.edit_text(answer)


async def reason_typed(
    message: Message, ctx: BotContext, staff: Manager, state: FSMContext
) -> None:
    """The reason typed after «Другая причина…» (a step of the closing dialogue)."""
    case_id = int((await answer_data(state, ctx.clock)).get("case") or 0)
    reason = (message.text or "").strip()[:REASON_MAX]
    if not case_id or not reason:
        await message.answer(text("help", ctx.language))
        return
    _, answer = await close_by_hand(ctx, staff, case_id, reason)
    await message.answer(answer)


def reason_choice(data: str | None) -> tuple[int, str]:
    """``reason:<case id>:<key>`` → (case id, key); nonsense gives (0, "")."""
    parts = (data or "").split(":")
    if len(parts) != 3 or not plain_digits(parts[1]):
        return 0, ""
    return int(parts[1]), parts[2]


async def refusal(uow: UnitOfWork, lang: Language, staff: Manager, case_id: int) -> str | None:
    """Why ``staff`` may not close this case, or None if he may (asked before the reasons are
    offered; the close itself asks again, with the case locked)."""
    case = await uow.cases.get(case_id) if case_id else None
    if case is None:
        return text("close_missing", lang, id=case_id)
    if not is_active(case.status):
        return _already(lang, case_id, case.status)
    if not may_close(staff.role, staff.id, *await uow.cases.responsible(case)):
        return text("close_forbidden", lang)
    return None


def _already(lang: Language, case_id: int, status: str) -> str:
    return text("close_already", lang, id=case_id, status=text(f"status_{status}", lang))


async def close_by_hand(
    ctx: BotContext, staff: Manager, case_id: int, reason: str, *, where: str = "Telegram"
) -> tuple[bool, str]:
    """Close the case by hand; whether it closed, and the answer to show the person (``where``:
    the messenger he pressed it in, for the log)."""
    lang = ctx.language
    try:
        await ctx.close_case(staff, case_id, reason)
    except NotFound:
        return False, text("close_missing", lang, id=case_id)
    except CaseNotActive as exc:
        return False, _already(lang, case_id, exc.case_status)
    except MayNotClose:
        return False, text("close_forbidden", lang)
    log.info("callback case %s closed by manager %s in %s", case_id, staff.id, where)
    return True, text("close_done", lang, id=case_id, reason=reason)


def number_after(data: str | None, prefix: str) -> int:
    rest = (data or "")[len(prefix) :]
    return int(rest) if plain_digits(rest) else 0
