"""A person's reply to a client's relayed message: the staff chat is his window to the client.

He answers a relayed message with Telegram's «Ответить»: the message it answers was stored with
its conversation when it was delivered (the chat and its message id), so the reply finds the
client on his channel however the client's privacy settings hide forwards. The reply goes
through the same use case as the API's (queued, delivered with retries, the client's message
case returned). Past WhatsApp's 24-hour window a free text cannot go: he is offered the
channel's template with one button instead. What the window cannot carry yet (a file) is
refused with a note.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from hub.domain.conversations import WindowClosed
from hub.domain.errors import DozvonError
from notifications.bot.actions import TemplateAction
from notifications.bot.context import BotContext, staff_only
from notifications.catalogue import text
from notifications.telegram import keyboard
from storage.models import Manager
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


async def _conversation_of(message: Message, ctx: BotContext) -> int | None:
    replied = message.reply_to_message
    if replied is None:
        return None
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        return await uow.conversations.relayed(message.chat.id, replied.message_id)


async def reply_to_client(message: Message, ctx: BotContext, staff: Manager) -> None:
    lang = ctx.language
    conversation_id = await _conversation_of(message, ctx)
    if conversation_id is None or ctx.answer is None:
        await message.answer(text("relay_not_found", lang))
        return
    if not message.text:
        await message.answer(text("relay_text_only", lang))
        return
    await _answer(message, ctx, staff, conversation_id, message.text, template=False)


async def _answer(
    message: Message,
    ctx: BotContext,
    staff: Manager,
    conversation_id: int,
    body: str,
    *,
    template: bool,
) -> None:
    lang = ctx.language
    assert ctx.answer is not None
    try:
        who = await ctx.answer(staff, conversation_id, body, template)
    except WindowClosed:
        buttons = [
            [
                {
                    "text": text("button_send_template", lang),
                    "callback_data": TemplateAction(id=conversation_id).pack(),
                }
            ]
        ]
        await message.answer(text("relay_window", lang), reply_markup=keyboard(buttons))
        return
    except DozvonError as exc:
        log.warning("reply of manager %s not queued: %s", staff.id, exc)
        await message.answer(text("relay_refused", lang, reason=exc.message))
        return
    await message.answer(text("relay_sent", lang, who=who))


async def template_pressed(
    query: CallbackQuery, callback_data: TemplateAction, ctx: BotContext, staff: Manager
) -> None:
    await query.answer()
    if isinstance(query.message, Message) and ctx.answer is not None:
        await _answer(query.message, ctx, staff, callback_data.id, "", template=True)


def answering_router() -> Router:
    router = Router(name="answering")
    router.message.register(reply_to_client, F.reply_to_message, staff_only)
    router.callback_query.register(template_pressed, TemplateAction.filter(), staff_only)
    return router
