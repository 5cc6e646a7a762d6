"""A person's reply to a client's relayed message: the staff chat is his window to the client.

He answers a relayed message with Telegram's «Ответить»: the message it answers was stored with
its conversation when it was delivered (the chat and its message id), so the reply finds the
client on his channel however the client's privacy settings hide forwards. The reply goes
through the same use case as the API's (queued, delivered with retries, the client's message
case returned). A photo, a document or a voice message he answers with goes as a file (what
the client's channel cannot carry comes back to him as not delivered). Past WhatsApp's 24-hour
window a free text cannot go: he is offered the channel's template with one button instead.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from hub.domain.conversations import WindowClosed
from hub.domain.errors import DozvonError
from notifications.bot.actions import TemplateAction
from notifications.bot.context import BotContext
from notifications.bot.pressing import Pressed
from notifications.bot.staff import staff_only
from notifications.catalogue import text
from notifications.telegram import keyboard
from storage.models import Manager
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


async def to_a_client(message: Message, ctx: BotContext) -> bool | dict[str, int]:
    """The filter: a reply to a relayed client's message (its conversation handed on to the
    handler); any other reply goes on to the other handlers (a reason typed as a reply)."""
    replied = message.reply_to_message
    if replied is None or ctx.answer is None:
        return False
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        found = await uow.conversations.relayed(message.chat.id, replied.message_id)
    return False if found is None else {"conversation_id": found}


async def reply_to_client(
    message: Message, ctx: BotContext, staff: Manager, conversation_id: int
) -> None:
    lang = ctx.language
    if message.text:
        await _answer(message, ctx, staff, conversation_id, message.text, template=False)
        return
    found = _file_of(message)
    if found is None or ctx.answer_file is None or message.bot is None:
        await message.answer(text("relay_text_only", lang))
        return
    kind, file_id, filename, size = found
    if size > ctx.max_file_size:
        await message.answer(text("relay_file_too_large", lang, mb=ctx.max_file_size // 2**20))
        return
    content = await message.bot.download(file_id)
    if content is None:
        await message.answer(text("relay_text_only", lang))
        return
    try:
        who = await ctx.answer_file(
            staff, conversation_id, kind, filename, content.read(), message.caption or ""
        )
    except DozvonError as exc:
        log.warning("file of manager %s not queued: %s", staff.id, exc)
        await message.answer(text("relay_refused", lang, reason=exc.message))
        return
    await message.answer(text("relay_sent", lang, who=who))


def _file_of(message: Message) -> tuple[str, str, str, int] | None:
    """(kind, Telegram file id, file name, size) of the file a person sent, if any."""
    if message.photo:
        largest = message.photo[-1]
        return "photo", largest.file_id, "photo.jpg", largest.file_size or 0
    if message.document is not None:
        doc = message.document
        return "document", doc.file_id, doc.file_name or "file", doc.file_size or 0
    if message.voice is not None:
        return "voice", message.voice.file_id, "voice.ogg", message.voice.file_size or 0
    return None


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
    router.message.register(reply_to_client, F.reply_to_message, staff_only, to_a_client)
    router.callback_query.register(template_pressed, Pressed(TemplateAction), staff_only)
    return router
