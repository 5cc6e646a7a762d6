"""Triage from MAX: «Клиент…», «Новый клиент», «В список» under an alert, as on Telegram.

«Клиент…» asks for part of a name or a number and answers with the matching cards as buttons;
«Новый клиент» asks for the name (the card is the pressing person's); «В список» offers the
lists as buttons; a choice is made by pressing, and its answer replaces the choices. The typed
answers are steps of a :class:`~notifications.max_bot.dialogue.Dialogue`. The triage itself is
the Telegram bot's (:func:`notifications.bot.triage_rules.triage_number`: the service the API
uses, audited with the person's name and applied to routing at once).
"""

from __future__ import annotations

from notifications.bot.actions import TriageAction
from notifications.bot.context import BotContext
from notifications.bot.dialogue_steps import TRIAGE_NAME, TRIAGE_QUERY
from notifications.bot.triage_rules import MATCHES, QUERY_MAX, cancel_row, triage_number
from notifications.buttons import Buttons
from notifications.catalogue import text
from notifications.max_bot.dialogue import Answer, Dialogue
from notifications.max_bot.talk import Chat, Press
from storage.models import Manager
from storage.uow import UnitOfWork

WHERE = "MAX"


async def pressed(
    ctx: BotContext, press: Press, staff: Manager, dialogue: Dialogue, action: TriageAction
) -> None:
    """One of the triage buttons (``tri:<a>:<number>[:<arg>]``)."""
    lang, number, chat = ctx.language, action.n, press.chat
    if action.a == "find":
        await dialogue.begin(TRIAGE_QUERY, number=number)
        await press.ack()
        await chat.say(text("triage_find_prompt", lang, number=number))
    elif action.a == "new":
        await dialogue.begin(TRIAGE_NAME, number=number)
        await press.ack()
        await chat.say(text("triage_name_prompt", lang, number=number))
    elif action.a == "list":
        async with UnitOfWork(ctx.factory, read_only=True) as uow:
            lists = await uow.lists.all()
        rows: Buttons = [
            [
                {
                    "text": lst.title,
                    "callback_data": TriageAction(a="to", n=number, arg=lst.id).pack(),
                }
            ]
            for lst in lists
        ]
        rows.append(cancel_row(number, lang))
        await press.ack()
        await chat.say(text("triage_list_prompt", lang, number=number), rows)
    elif action.a in ("client", "to"):
        await dialogue.clear()
        kind = "link" if action.a == "client" else "list"
        await press.replace(await triage_number(ctx, staff, number, kind, action.arg, where=WHERE))
    elif action.a == "cancel":
        await dialogue.clear()
        await press.replace(text("triage_cancelled", lang, number=number))


async def client_typed(
    ctx: BotContext, chat: Chat, dialogue: Dialogue, answer: Answer, words: str
) -> None:
    """Part of a client's name or number, typed after «Клиент…»: the matching cards as buttons,
    or another try."""
    lang = ctx.language
    number = str(answer.data.get("number") or "")
    words = words.strip()[:QUERY_MAX]
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        found = await uow.clients.search(words, limit=MATCHES)
    if not found:
        # Still looking: the next words are another try.
        await dialogue.begin(TRIAGE_QUERY, number=number)
        await chat.say(text("triage_find_none", lang, words=words))
        return
    rows: Buttons = [
        [{"text": c.name, "callback_data": TriageAction(a="client", n=number, arg=c.id).pack()}]
        for c in found
    ]
    rows.append(cancel_row(number, lang))
    await chat.say(text("triage_find_pick", lang, number=number), rows)


async def name_typed(
    ctx: BotContext, chat: Chat, staff: Manager, answer: Answer, words: str
) -> None:
    """The new client's name, typed after «Новый клиент»."""
    number, name = str(answer.data.get("number") or ""), words.strip()
    if not number or not name:
        await chat.say(text("help", ctx.language))
        return
    await chat.say(await triage_number(ctx, staff, number, "new_client", name, where=WHERE))
