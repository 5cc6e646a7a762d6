"""A person's reply to a client's relayed message on MAX: his dialog with the bot is his window
to the client, as the Telegram chat is.

He answers a relayed message with MAX's «Ответить»: the reply's ``link`` names the mid of the
message it answers, which the outbox kept (``remote_ref``) with the conversation when it
delivered it — so the reply finds the client on his channel. The reply goes through the same
use case as the API's and the Telegram bot's (queued, delivered with retries, the client's
message case returned); past WhatsApp's 24-hour window he is offered the channel's template
with one button instead. A photo, a document or a voice message goes to the client as a file.
"""

from __future__ import annotations

import logging

from hub.domain.conversations import WindowClosed
from hub.domain.errors import DozvonError
from notifications.bot.actions import TemplateAction
from notifications.bot.context import BotContext
from notifications.catalogue import text
from notifications.max_bot.talk import Chat
from storage.models import Manager
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


async def conversation_of(ctx: BotContext, staff: Manager, mid: str) -> int | None:
    """The conversation whose relayed message ``mid`` (in his dialog) a reply answers; None
    for a reply to anything else (a reason typed as a reply to the bot's question)."""
    if ctx.answer is None:
        return None
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        return await uow.conversations.relayed_ref(mid, chat_id=staff.max_user_id)


async def reply_to_client(
    ctx: BotContext,
    chat: Chat,
    staff: Manager,
    conversation_id: int,
    body: str,
    files: tuple[tuple[str, str, str], ...] = (),
) -> None:
    """His reply to the client of ``conversation_id``: a text, or a photo, a document or a
    voice message (its text the caption)."""
    lang = ctx.language
    if files and ctx.answer_file is not None:
        kind, url, name = files[0]
        try:
            content = await chat.api.download(url, ctx.max_file_size)
        except DozvonError as exc:
            await chat.say(text("relay_refused", lang, reason=exc.message))
            return
        if content is None:
            await chat.say(text("relay_file_too_large", lang, mb=ctx.max_file_size // 2**20))
            return
        try:
            who = await ctx.answer_file(staff, conversation_id, kind, name, content, body)
        except DozvonError as exc:
            log.warning("file of manager %s not queued: %s", staff.id, exc)
            await chat.say(text("relay_refused", lang, reason=exc.message))
            return
        await chat.say(text("relay_sent", lang, who=who))
        return
    if not body.strip():
        await chat.say(text("relay_text_only", lang))
        return
    await answer_client(ctx, chat, staff, conversation_id, body, template=False)


async def answer_client(
    ctx: BotContext,
    chat: Chat,
    staff: Manager,
    conversation_id: int,
    body: str,
    *,
    template: bool,
) -> None:
    """Queue his answer (or the channel's template) and tell him whom it goes to."""
    lang = ctx.language
    if ctx.answer is None:  # the service answers no clients
        await chat.say(text("help", lang))
        return
    try:
        who = await ctx.answer(staff, conversation_id, body, template)
    except WindowClosed:
        data = TemplateAction(id=conversation_id).pack()
        buttons = [[{"text": text("button_send_template", lang), "callback_data": data}]]
        await chat.say(text("relay_window", lang), buttons)
        return
    except DozvonError as exc:
        log.warning("reply of manager %s not queued: %s", staff.id, exc)
        await chat.say(text("relay_refused", lang, reason=exc.message))
        return
    log.info("manager %s answered conversation %s from MAX", staff.id, conversation_id)
    await chat.say(text("relay_sent", lang, who=who))
