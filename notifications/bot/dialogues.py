"""Dialogues with the staff bot: a question the bot asked, whose typed answer is the next step
(a client's name for triage, a reason for closing a case).

A dialogue is aiogram FSM state kept in the database (``storage.py``), under the names of
``dialogue_steps.py``. It ends when answered, cancelled, or left: pressing any other button or
sending a command ends it, and an answer that comes more than DIALOGUE_TTL after the question is
not taken as one — so words typed for something else never become a client card or a close
reason.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiogram import BaseMiddleware, F
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, TelegramObject

from hub.domain.clock import Clock
from notifications.bot.dialogue_steps import DIALOGUE_BUTTONS, DIALOGUE_TTL

# A typed answer: text that is not a command.
TYPED = F.text & ~F.text.startswith("/")


# The names aiogram gives these states are the stored ones of ``dialogue_steps``
# (``Closing:reason``): the class and attribute names must not change.
class Triage(StatesGroup):
    client_query = State()
    client_name = State()


class Closing(StatesGroup):
    reason = State()


async def begin(state: FSMContext, step: State, clock: Clock, **data: object) -> None:
    """Ask: the person's next typed message is the answer to ``step``."""
    await state.set_state(step)
    await state.set_data({**data, "asked_at": clock.now().isoformat()})


async def answer_data(state: FSMContext, clock: Clock) -> dict[str, Any]:
    """What the dialogue knows, for a typed answer; a stale question is dropped and the
    message left to the other handlers."""
    data = await state.get_data()
    asked = data.get("asked_at")
    if not asked or clock.now() - datetime.fromisoformat(asked) > DIALOGUE_TTL:
        await state.clear()
        raise SkipHandler
    await state.clear()
    return data


class DialogueReset(BaseMiddleware):
    """Ends a dialogue when the person turns to something else: another button, a command."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        state: FSMContext | None = data.get("state")
        if state is not None and _turns_away(event) and await state.get_state() is not None:
            await state.clear()
        return await handler(event, data)


def _turns_away(event: TelegramObject) -> bool:
    if isinstance(event, CallbackQuery):
        return not (event.data or "").startswith(DIALOGUE_BUTTONS)
    if isinstance(event, Message):
        return (event.text or "").startswith("/")
    return False
