"""The person's side of one update: his dialog with the bot, and the button he pressed.

A press is answered exactly once (MAX shows a spinner until then): with a notification, or with
a new text in place of the message the button was under (what Telegram's ``edit_text`` does),
or both; a handler that answers nothing explicitly is answered with «👇 Ответ — ниже в чате» by
the dispatcher, as what it has to say follows in the chat.
"""

from __future__ import annotations

from dataclasses import dataclass

from notifications.buttons import Buttons
from notifications.catalogue import Language, text
from notifications.max_bot.api import MaxBotApi


@dataclass(slots=True)
class Chat:
    """A person's dialog with the staff bot (MAX writes to him by his user id)."""

    api: MaxBotApi
    user_id: int
    language: Language

    async def say(self, body: str, buttons: Buttons | None = None) -> None:
        await self.api.send(self.user_id, body, buttons)


@dataclass(slots=True)
class Press:
    """A pressed ``callback`` button: its payload, and the answer MAX waits for."""

    chat: Chat
    callback_id: str
    payload: str
    answered: bool = False

    async def notify(self, notification: str) -> None:
        """Answer with a one-time notification."""
        await self._answer(notification=notification)

    async def replace(
        self, body: str, buttons: Buttons | None = None, *, notification: str | None = None
    ) -> None:
        """Answer by putting ``body`` (and ``buttons``; none: no keyboard) in place of the
        message the button was under; ``notification`` too when given."""
        await self._answer(notification=notification, body=body, buttons=buttons)

    async def ack(self) -> None:
        """Answer that the answer follows in the chat (unless answered already)."""
        if not self.answered:
            await self.notify(text("bot_see_below", self.chat.language))

    async def _answer(
        self, *, notification: str | None, body: str | None = None, buttons: Buttons | None = None
    ) -> None:
        if self.answered:
            return
        self.answered = True
        await self.chat.api.answer(
            self.callback_id, notification=notification, text=body, buttons=buttons
        )
