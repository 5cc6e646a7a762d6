"""Closing a case by hand from the Telegram bot: the button under an alert, the reason, the
answer.

The rules apart from aiogram — may he, which reason, the close through the service every edge
uses and its answer — are :mod:`notifications.bot.closing_rules`, through which the staff bot
on MAX asks and closes as well.
"""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    ForceReply,
    Message,
)

from hub.domain.digits import plain_digits
from notifications.bot import views
from notifications.bot.closing_rules import REASON_MAX, close_by_hand, reason_choice, refusal
from notifications.bot.context import BotContext
from notifications.bot.dialogues import Closing, answer_data, begin
from notifications.catalogue import text
from notifications.telegram import keyboard
from storage.models import Manager
from storage.uow import UnitOfWork


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


def number_after(data: str | None, prefix: str) -> int:
    rest = (data or "")[len(prefix) :]
    return int(rest) if plain_digits(rest) else 0
