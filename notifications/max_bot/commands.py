"""What a person types to the staff bot on MAX, and how he first starts it.

An invite opens the bot with ``bot_started`` whose payload is the code (``/start <code>`` typed
works too): it binds his MAX user to his record. Only then does the bot talk to him: /help,
/missed, /team, /unknown and /login as on Telegram; a reply to a client's relayed message goes
to the client; a typed answer to the bot's question (a reason, a client's name) is the next
step of the dialogue, whether typed plainly or as a reply to the question; anything else gets
the help. Anybody who is not a bound, active person gets one polite refusal for whatever he
sends.
"""

from __future__ import annotations

import logging

from hub.domain.errors import DozvonError
from hub.domain.people import Redeemed
from notifications.bot import screens
from notifications.bot.closing_rules import REASON_MAX, close_by_hand
from notifications.bot.context import BotContext
from notifications.bot.dialogue_steps import CLOSING_REASON, TRIAGE_NAME, TRIAGE_QUERY
from notifications.catalogue import text
from notifications.max_bot import triage
from notifications.max_bot.answering import conversation_of, reply_to_client
from notifications.max_bot.dialogue import Answer, Dialogue
from notifications.max_bot.talk import Chat
from notifications.max_bot.updates import Wrote
from storage.models import Manager

log = logging.getLogger(__name__)


async def start(ctx: BotContext, chat: Chat, staff: Manager | None, code: str) -> None:
    """The bot started (by an invite's link, with its code, or plainly)."""
    lang = ctx.language
    if not code or ctx.redeem_max is None:
        if staff is not None:
            await chat.say(text("bot_again", lang, name=staff.name, help=text("help", lang)))
        else:
            await chat.say(text("bot_refusal", lang))
        return
    found = await ctx.redeem_max(code, chat.user_id)
    if found.outcome is Redeemed.BOUND and found.manager_name is not None:
        log.info("MAX user bound to manager %s", found.manager_id)
        await chat.say(text("bot_welcome", lang, name=found.manager_name, help=text("help", lang)))
    elif found.outcome is Redeemed.USED:
        await chat.say(text("invite_used", lang))
    elif found.outcome is Redeemed.EXPIRED:
        await chat.say(text("invite_expired", lang))
    elif staff is not None:
        await chat.say(text("bot_again", lang, name=staff.name, help=text("help", lang)))
    else:
        await chat.say(text("bot_refusal", lang))


def command(words: str) -> tuple[str, str] | None:
    """``/name args`` → (name, args); None for text that is not a command."""
    if not words.startswith("/"):
        return None
    head, _, args = words.partition(" ")
    return head[1:].split("@", 1)[0].lower(), args.strip()


async def stranger_wrote(ctx: BotContext, chat: Chat, wrote: Wrote) -> None:
    """Somebody the bot does not know: an invite typed as ``/start <code>``, or the refusal."""
    typed = command(wrote.text.strip())
    if typed is not None and typed[0] == "start" and typed[1]:
        await start(ctx, chat, None, typed[1])
        return
    await chat.say(text("bot_refusal", ctx.language))


async def staff_wrote(
    ctx: BotContext, chat: Chat, staff: Manager, dialogue: Dialogue, wrote: Wrote
) -> None:
    words = wrote.text.strip()
    typed = command(words)
    if typed is not None:
        await dialogue.clear()  # a command ends a dialogue
        await run_command(ctx, chat, staff, *typed)
        return
    if wrote.reply_to is not None:
        conversation_id = await conversation_of(ctx, staff, wrote.reply_to)
        if conversation_id is not None:
            await reply_to_client(ctx, chat, staff, conversation_id, wrote.text, wrote.files)
            return
    answer = await dialogue.take() if words else None
    if answer is not None:
        await typed_answer(ctx, chat, staff, dialogue, answer, words)
    else:
        await chat.say(text("help", ctx.language))


async def run_command(ctx: BotContext, chat: Chat, staff: Manager, name: str, args: str) -> None:
    lang = ctx.language
    if name == "start":
        await start(ctx, chat, staff, args)
    elif name == "missed":
        shown = await screens.missed(ctx, staff)
        await chat.say(shown.text, shown.buttons)
    elif name == "team":
        shown = await screens.team(ctx, staff)
        await chat.say(shown.text, shown.buttons)
    elif name == "unknown":
        for shown in await screens.unknown(ctx, staff):
            await chat.say(shown.text, shown.buttons)
    elif name == "login":
        await login(ctx, chat, staff)
    else:
        await chat.say(text("help", lang))


async def login(ctx: BotContext, chat: Chat, staff: Manager) -> None:
    """A one-time link that sets his console password, in his own dialog."""
    lang = ctx.language
    try:
        link = await ctx.password_link(staff) if ctx.password_link is not None else None
    except DozvonError as exc:
        log.info("no console link for manager %s: %s", staff.id, exc.message)
        await chat.say(text("bot_login_no_username", lang))
        return
    if link is None:
        await chat.say(text("bot_login_unavailable", lang))
        return
    log.info("console password link sent to manager %s on MAX", staff.id)
    await chat.say(
        text("bot_login", lang, link=link, username=staff.login or staff.extension or "")
    )


async def typed_answer(
    ctx: BotContext, chat: Chat, staff: Manager, dialogue: Dialogue, answer: Answer, words: str
) -> None:
    """The answer to the bot's question: a reason, a search for a client, a new client's name."""
    if answer.step == CLOSING_REASON:
        case_id = int(answer.data.get("case") or 0)
        if not case_id:
            await chat.say(text("help", ctx.language))
            return
        _, said = await close_by_hand(ctx, staff, case_id, words[:REASON_MAX], where="MAX")
        await chat.say(said)
    elif answer.step == TRIAGE_QUERY:
        await triage.client_typed(ctx, chat, dialogue, answer, words)
    elif answer.step == TRIAGE_NAME:
        await triage.name_typed(ctx, chat, staff, answer, words)
    else:
        await chat.say(text("help", ctx.language))
