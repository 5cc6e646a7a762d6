"""The Telegram channel: aiogram's Bot sending and editing messages (and sending files as
documents — a report's, a client's relayed with its caption —, a digest's chart as a photo)
through the Bot API.

``telegram.api_base`` points it at another Bot API server (a local one, or the stand-in the
tests start); ``telegram.proxy`` sends it through a proxy where Telegram is blocked (``http://``
or ``socks5://``, through aiohttp-socks, as aiogram does it). A request that takes longer than
REQUEST_TIMEOUT is given up and retried: well within the sender's lease on a message, so another
instance never takes over a message that is still being sent. aiogram's
exceptions are translated into the sender's as for the company bot's (``hub/runtime/bot_api.py``):
429 → wait exactly ``retry_after``; 403 and "chat not found" → the chat is unreachable (the
message goes to the person's next channel); the network, 5xx and a refused token → retry later;
any other refusal → the message is dead.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from hub.runtime.bot_api import call
from notifications.channels import Rejected, Unreachable


def keyboard(buttons: Any) -> InlineKeyboardMarkup | None:
    """Rows of ``{"text", "url" | "callback_data"}`` as an inline keyboard."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(**button) for button in row] for row in buttons]
    )


# Seconds a Bot API request may take (long polls get their polling timeout on top); see above.
REQUEST_TIMEOUT = 20.0


def create_bot(token: str, *, api_base: str | None = None, proxy: str | None = None) -> Bot:
    session = AiohttpSession(proxy=proxy, timeout=REQUEST_TIMEOUT)
    if api_base:
        session.api = TelegramAPIServer.from_base(api_base)
    return Bot(token=token, session=session)


class TelegramChannel:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, chat_id: int | None, text: str, buttons: Any) -> int:
        if chat_id is None:
            raise Unreachable("no Telegram chat for this person")
        message = await call(
            self._bot.send_message(chat_id=chat_id, text=text, reply_markup=keyboard(buttons))
        )
        return int(message.message_id)

    async def edit(
        self, chat_id: int | None, message_id: int | str, text: str, buttons: Any
    ) -> None:
        if chat_id is None:
            raise Unreachable("no Telegram chat for this person")
        try:
            await call(
                self._bot.edit_message_text(
                    chat_id=chat_id,
                    message_id=int(message_id),
                    text=text,
                    reply_markup=keyboard(buttons),
                )
            )
        except Rejected as exc:
            if "not modified" not in str(exc):
                raise

    async def send_document(
        self,
        chat_id: int | None,
        filename: str,
        content: bytes,
        caption: str = "",
        buttons: Any = None,
    ) -> int:
        if chat_id is None:
            raise Unreachable("no Telegram chat for this person")
        upload = BufferedInputFile(content, filename=filename)
        message = await call(
            self._bot.send_document(
                chat_id=chat_id,
                document=upload,
                caption=caption or None,
                reply_markup=keyboard(buttons),
            )
        )
        return int(message.message_id)

    async def send_photo(
        self, chat_id: int | None, photo: bytes, caption: str, buttons: Any
    ) -> int:
        if chat_id is None:
            raise Unreachable("no Telegram chat for this person")
        upload = BufferedInputFile(photo, filename="chart.png")
        message = await call(
            self._bot.send_photo(
                chat_id=chat_id,
                photo=upload,
                caption=caption or None,
                reply_markup=keyboard(buttons),
            )
        )
        return int(message.message_id)
