"""Dialogues with the staff bot on MAX: a question the bot asked (a reason for closing a case,
a client's name or a search for triage), whose typed answer is the next step.

The question is kept in the database (``bot_states``, under ``max:<user id>``; Telegram's
aiogram keys never look like that), so any instance takes the next message. The steps are
named as the Telegram bot's FSM states (:mod:`notifications.bot.dialogue_steps`), and end the
same way: answered, cancelled, or left — another button or a command ends the dialogue, and an
answer that comes more than ``DIALOGUE_TTL`` after the question is not taken as one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub.domain.clock import Clock
from notifications.bot.dialogue_steps import DIALOGUE_TTL
from storage.db import SessionFactory
from storage.uow import UnitOfWork

KEY_PREFIX = "max:"


@dataclass(frozen=True, slots=True)
class Answer:
    """A typed answer's step and what the question knew."""

    step: str
    data: dict[str, Any]


class Dialogue:
    """The dialogue of one person (by his MAX user id)."""

    def __init__(self, factory: SessionFactory, clock: Clock, user_id: int) -> None:
        self._factory = factory
        self._clock = clock
        self._key = f"{KEY_PREFIX}{user_id}"

    async def begin(self, step: str, **data: object) -> None:
        """Ask: his next typed message is the answer to ``step``."""
        now = self._clock.now()
        async with UnitOfWork(self._factory) as uow:
            await uow.bot_states.set_state(self._key, step, now=now)
            await uow.bot_states.set_data(self._key, {**data, "asked_at": now.isoformat()}, now=now)
            await uow.commit()

    async def take(self) -> Answer | None:
        """The question a typed message answers, ending the dialogue; None when none was asked
        or it was asked too long ago."""
        async with UnitOfWork(self._factory, read_only=True) as uow:
            row = await uow.bot_states.get(self._key)
            step, data = (row.state, dict(row.data)) if row is not None else (None, {})
        if step is None and not data:
            return None
        await self.clear()
        asked = data.pop("asked_at", None)
        if step is None or not isinstance(asked, str):
            return None
        if self._clock.now() - datetime.fromisoformat(asked) > DIALOGUE_TTL:
            return None
        return Answer(step, data)

    async def clear(self) -> None:
        """He turned to something else: no question is pending."""
        now = self._clock.now()
        async with UnitOfWork(self._factory) as uow:
            if await uow.bot_states.get(self._key) is None:
                return
            await uow.bot_states.set_state(self._key, None, now=now)
            await uow.bot_states.set_data(self._key, {}, now=now)
            await uow.commit()
