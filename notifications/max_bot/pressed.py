"""The buttons under the staff bot's messages on MAX: the payload of a pressed ``callback``
button is the ``callback_data`` the button rows carry (``notifications/buttons.py``), read with
the same classes (:mod:`notifications.bot.actions`) the Telegram bot filters on.

«Карточка» sends the client's card; «Перезвонил» asks why (the reasons as buttons, or a typed
one) and closes the case through the service every edge uses — audited with the person's name,
the alerts edited by the outbox; «Позвонить» rings his phone, then the number; «Отправить
шаблон» sends WhatsApp's template; the triage buttons are :mod:`.triage`'s. Pressing any button
but a dialogue's own steps ends a dialogue in progress.
"""

from __future__ import annotations

import logging

from hub.domain.errors import DozvonError
from notifications.bot import screens, views
from notifications.bot.actions import (
    CallAction,
    CardAction,
    CloseAction,
    TemplateAction,
    TriageAction,
)
from notifications.bot.calling_rules import call_refusal
from notifications.bot.closing_rules import close_by_hand, reason_choice, refusal
from notifications.bot.context import BotContext
from notifications.bot.dialogue_steps import CLOSING_REASON, DIALOGUE_BUTTONS
from notifications.button_data import ButtonData
from notifications.catalogue import text
from notifications.max_bot import triage
from notifications.max_bot.answering import answer_client
from notifications.max_bot.dialogue import Dialogue
from notifications.max_bot.talk import Press
from storage.models import Manager
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
WHERE = "MAX"


async def card(ctx: BotContext, press: Press, action: CardAction) -> None:
    shown = await screens.card(ctx, action.id)
    if shown is None:
        await press.notify(text("card_missing", ctx.language, id=action.id))
        return
    await press.ack()
    await press.chat.say(shown.text, shown.buttons)


async def close(ctx: BotContext, press: Press, staff: Manager, action: CloseAction) -> None:
    """«Перезвонил»: why close it? (asked only of who may close it)."""
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        refused = await refusal(uow, ctx.language, staff, action.id)
        case = await uow.cases.get(action.id)
    if refused is not None or case is None:
        await press.notify(refused or text("close_missing", ctx.language, id=action.id))
        return
    await press.ack()
    await press.chat.say(
        text("close_ask", ctx.language, id=action.id, number=case.number),
        views.close_reasons(action.id, ctx.language),
    )


async def reason(ctx: BotContext, press: Press, staff: Manager, dialogue: Dialogue) -> None:
    """A reason under the question (``reason:<case id>:<key>``): close it, ask for a typed
    one, or leave it open; the answer replaces the question."""
    lang = ctx.language
    case_id, key = reason_choice(press.payload)
    if key == "cancel":
        await press.replace(text("close_cancelled", lang, id=case_id))
    elif key == "other":
        await dialogue.begin(CLOSING_REASON, case=case_id)
        await press.ack()
        await press.chat.say(text("close_other_prompt", lang, id=case_id))
    elif key in views.REASONS:
        closed, answer = await close_by_hand(
            ctx, staff, case_id, text(f"reason_{key}", lang), where=WHERE
        )
        await press.replace(answer, notification=None if closed else answer)
    else:
        await unknown(ctx, press)


async def call(ctx: BotContext, press: Press, staff: Manager, action: CallAction) -> None:
    """«Позвонить»: the PBX rings his phone, then the number."""
    lang, number = ctx.language, action.n
    if not ctx.can_call():
        await press.notify(text("call_unavailable", lang))
        return
    try:
        await ctx.originate(staff, number)
    except DozvonError as exc:
        log.warning("click-to-call for manager %s failed: %s", staff.id, exc)
        await press.notify(call_refusal(exc, lang, number))
        return
    await press.notify(text("call_started", lang, number=number))


async def template(ctx: BotContext, press: Press, staff: Manager, action: TemplateAction) -> None:
    """«Отправить шаблон»: the channel's template that reopens the conversation."""
    await press.ack()
    await answer_client(ctx, press.chat, staff, action.id, "", template=True)


async def unknown(ctx: BotContext, press: Press) -> None:
    """A payload nobody knows (a button of an older version): the help."""
    log.info("a MAX button with data %r was not understood", press.payload)
    await press.ack()
    await press.chat.say(text("help", ctx.language))


# The buttons' data, by prefix: the classes the button rows are packed with.
ACTIONS: dict[str, type[ButtonData]] = {
    "card": CardAction,
    "close": CloseAction,
    "call": CallAction,
    "tpl": TemplateAction,
    "tri": TriageAction,
}


def parse(payload: str) -> ButtonData | None:
    """The button's data, unpacked by its class; None for what none of them packed."""
    kind = ACTIONS.get(payload.partition(":")[0])
    if kind is None:
        return None
    try:
        return kind.unpack(payload)
    except (ValueError, TypeError):  # a wrong number of parts, or a value of the wrong type
        return None


async def on_press(ctx: BotContext, press: Press, staff: Manager, dialogue: Dialogue) -> None:
    """Do what the pressed button asks."""
    if not press.payload.startswith(DIALOGUE_BUTTONS):
        await dialogue.clear()
    if press.payload.startswith("reason:"):
        await reason(ctx, press, staff, dialogue)
        return
    match parse(press.payload):
        case CardAction() as action:
            await card(ctx, press, action)
        case CloseAction() as action:
            await close(ctx, press, staff, action)
        case CallAction() as action:
            await call(ctx, press, staff, action)
        case TemplateAction() as action:
            await template(ctx, press, staff, action)
        case TriageAction() as action:
            await triage.pressed(ctx, press, staff, dialogue, action)
        case _:
            await unknown(ctx, press)
