"""Triage from the chat: «Клиент…», «Новый клиент», «В список» under an alert or a prompt.

«Клиент…» asks for part of a name or a number and answers with the matching cards as buttons;
«Новый клиент» asks for the name, and the card is the pressing manager's; «В список» offers the
lists as buttons. A typed answer is a step of an FSM dialogue (kept in the database, so any
instance takes the next message). The triage itself, apart from aiogram, is
:mod:`notifications.bot.triage_rules`, which the staff bot on MAX shares: the service the API
uses, audited with the person's name, applied to routing at once, settling the number's case.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, ForceReply, Message

from hub.domain.unknown import UnknownStatus
from notifications.bot.actions import TriageAction
from notifications.bot.context import BotContext
from notifications.bot.dialogues import TYPED, Triage, answer_data, begin
from notifications.bot.pressing import Pressed
from notifications.bot.staff import staff_only
from notifications.bot.triage_rules import MATCHES, QUERY_MAX, cancel_row, triage_number
from notifications.buttons import Buttons, contact_row, triage_row
from notifications.catalogue import text
from notifications.telegram import keyboard
from storage.models import Manager
from storage.uow import UnitOfWork

UNKNOWN_LIMIT = 10


async def find_pressed(
    query: CallbackQuery, callback_data: TriageAction, ctx: BotContext, state: FSMContext
) -> None:
    await begin(state, Triage.client_query, ctx.clock, number=callback_data.n)
    await query.answer()
    await _ask(query, text("triage_find_prompt", ctx.language, number=callback_data.n))


async def new_pressed(
    query: CallbackQuery, callback_data: TriageAction, ctx: BotContext, state: FSMContext
) -> None:
    await begin(state, Triage.client_name, ctx.clock, number=callback_data.n)
    await query.answer()
    await _ask(query, text("triage_name_prompt", ctx.language, number=callback_data.n))


async def list_pressed(query: CallbackQuery, callback_data: TriageAction, ctx: BotContext) -> None:
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        lists = await uow.lists.all()
    number, lang = callback_data.n, ctx.language
    rows: Buttons = [
        [{"text": lst.title, "callback_data": TriageAction(a="to", n=number, arg=lst.id).pack()}]
        for lst in lists
    ]
    rows.append(cancel_row(number, lang))
    await query.answer()
    await _send(query, text("triage_list_prompt", lang, number=number), rows)


async def client_typed(message: Message, ctx: BotContext, state: FSMContext) -> None:
    data = await answer_data(state, ctx.clock)
    number = str(data.get("number") or "")
    words = (message.text or "").strip()[:QUERY_MAX]
    lang = ctx.language
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        found = await uow.clients.search(words, limit=MATCHES)
    if not found:
        # Still looking: the next words are another try.
        await begin(state, Triage.client_query, ctx.clock, number=number)
        await message.answer(text("triage_find_none", lang, words=words))
        return
    rows: Buttons = [
        [{"text": c.name, "callback_data": TriageAction(a="client", n=number, arg=c.id).pack()}]
        for c in found
    ]
    rows.append(cancel_row(number, lang))
    await message.answer(text("triage_find_pick", lang, number=number), reply_markup=keyboard(rows))


async def name_typed(message: Message, ctx: BotContext, state: FSMContext, staff: Manager) -> None:
    number = str((await answer_data(state, ctx.clock)).get("number") or "")
    name = (message.text or "").strip()
    if not number or not name:
        await message.answer(text("help", ctx.language))
        return
    await message.answer(await triage_number(ctx, staff, number, "new_client", name))


async def choice_pressed(
    query: CallbackQuery,
    callback_data: TriageAction,
    ctx: BotContext,
    state: FSMContext,
    staff: Manager,
) -> None:
    await state.clear()
    kind = "link" if callback_data.a == "client" else "list"
    answer = await triage_number(ctx, staff, callback_data.n, kind, callback_data.arg)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(answer)


async def cancel_pressed(
    query: CallbackQuery, callback_data: TriageAction, ctx: BotContext, state: FSMContext
) -> None:
    await state.clear()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(
            text("triage_cancelled", ctx.language, number=callback_data.n)
        )


async def unknown_command(message: Message, ctx: BotContext, staff: Manager) -> None:
    """His numbers still waiting for triage, oldest first, each with its buttons."""
    lang = ctx.language
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        waiting = await uow.unknown.page(
            status=UnknownStatus.OPEN, manager_id=staff.id, oldest_skip=0, limit=UNKNOWN_LIMIT
        )
    if not waiting:
        await message.answer(text("unknown_none", lang))
        return
    now = ctx.clock.now()
    await message.answer(text("unknown_title", lang, count=len(waiting)))
    for entry in waiting:
        body = text(
            "unknown_line",
            lang,
            number=entry.number,
            calls=entry.calls,
            days=(now - entry.first_seen).days,
        )
        rows = [
            contact_row(entry.number, lang, can_call=ctx.can_call()),
            triage_row(entry.number, lang),
        ]
        await message.answer(body, reply_markup=keyboard(rows))


async def _ask(query: CallbackQuery, body: str) -> None:
    await query.bot.send_message(  # type: ignore[union-attr]
        query.from_user.id, body, reply_markup=ForceReply(selective=True)
    )


async def _send(query: CallbackQuery, body: str, rows: Buttons) -> None:
    await query.bot.send_message(  # type: ignore[union-attr]
        query.from_user.id, body, reply_markup=keyboard(rows)
    )


def triage_router() -> Router:
    """The triage buttons, the typed answers of its dialogue, and /unknown."""
    router = Router(name="triage")
    button = router.callback_query.register
    button(find_pressed, Pressed(TriageAction, F.a == "find"), staff_only)
    button(new_pressed, Pressed(TriageAction, F.a == "new"), staff_only)
    button(list_pressed, Pressed(TriageAction, F.a == "list"), staff_only)
    button(choice_pressed, Pressed(TriageAction, F.a.in_({"client", "to"})), staff_only)
    button(cancel_pressed, Pressed(TriageAction, F.a == "cancel"), staff_only)
    router.message.register(unknown_command, Command("unknown"), staff_only)
    router.message.register(client_typed, Triage.client_query, TYPED, staff_only)
    router.message.register(name_typed, Triage.client_name, TYPED, staff_only)
    return router
