"""«Позвонить» under a message: the PBX rings the pressing manager's own phone, then the client.

The call itself is the click-to-call service the API uses (given in the context); the call that
follows is recorded as the manager's outbound call and returns the case when the client answers.
"""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import CallbackQuery

from hub.domain.errors import DozvonError
from notifications.bot.actions import CallAction
from notifications.bot.calling_rules import call_refusal
from notifications.bot.context import BotContext
from notifications.bot.pressing import Pressed
from notifications.bot.staff import staff_only
from notifications.catalogue import text
from storage.models import Manager

log = logging.getLogger(__name__)


async def call_pressed(
    query: CallbackQuery, callback_data: CallAction, ctx: BotContext, staff: Manager
) -> None:
    lang, number = ctx.language, callback_data.n
    if not ctx.can_call():
        await query.answer(text("call_unavailable", lang), show_alert=True)
        return
    try:
        await ctx.originate(staff, number)
    except DozvonError as exc:
        log.warning("click-to-call for manager %s failed: %s", staff.id, exc)
        await query.answer(call_refusal(exc, lang, number), show_alert=True)
        return
    await query.answer(text("call_started", lang, number=number))


def calling_router() -> Router:
    router = Router(name="calling")
    router.callback_query.register(call_pressed, Pressed(CallAction), staff_only)
    return router
