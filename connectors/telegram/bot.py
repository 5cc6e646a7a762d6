"""The company bot's side of the Bot API: aiogram's Bot sending to clients and reading their files.

The bot has its own aiogram session (so its own connection pool and proxy): ``proxy`` sends it
through a proxy where Telegram is blocked (``http://`` or ``socks5://``, through aiohttp-socks, as
aiogram does it); ``api_base`` points it at another Bot API server. A contact is the chat's id as
text. aiogram's exceptions become the hub's delivery errors: 429 → wait exactly ``retry_after``;
403 (the client blocked the bot) and "chat not found" → unreachable; network errors, timeouts,
5xx and a refused token → retry later; any other refusal → rejected for good.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

import aiohttp
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods import TelegramMethod
from aiogram.types import BufferedInputFile, KeyboardButton, Message, ReplyKeyboardMarkup

from config.settings import ConnectorSection
from connectors.messaging import Attachment, OutgoingFile
from connectors.telegram.settings import TelegramSettings, telegram_settings
from hub.domain.delivery import Rejected, Temporary
from hub.runtime.bot_api import call

log = logging.getLogger(__name__)

# Seconds a Bot API request may take (a long poll gets its polling timeout on top), and a file's
# download.
REQUEST_TIMEOUT = 20.0
DOWNLOAD_TIMEOUT = 60
# The updates the bot asks for: a client's messages; everything else is ignored anyway.
UPDATES = ["message"]

Result = TypeVar("Result")


def create_bot(settings: TelegramSettings) -> Bot:
    """An aiogram Bot with a session of its own, through the proxy and to the API base set."""
    session = AiohttpSession(proxy=settings.proxy, timeout=REQUEST_TIMEOUT)
    if settings.api_base:
        session.api = TelegramAPIServer.from_base(settings.api_base.rstrip("/"))
    return Bot(token=settings.token.get_secret_value(), session=session)


def chat_id(contact: str) -> int:
    """A contact as Telegram's chat id."""
    try:
        return int(contact)
    except ValueError:
        raise Rejected(f"{contact!r} is not a Telegram chat id") from None


class TelegramMessenger:
    """The company bot as the hub's :class:`~connectors.messaging.Messenger`."""

    def __init__(self, settings: TelegramSettings) -> None:
        self.settings = settings
        self.bot = create_bot(settings)

    async def start(self, webhook_url: str | None) -> None:
        """Webhook mode: tell Telegram where to post, with the secret; polling: remove any
        webhook left from before, which would make getUpdates fail."""
        if self.settings.mode == "webhook":
            secret = self.settings.webhook_secret
            if webhook_url is None or secret is None:
                raise Rejected("a Telegram bot in webhook mode needs the service's public address")
            await call(
                self.bot.set_webhook(
                    webhook_url, secret_token=secret.get_secret_value(), allowed_updates=UPDATES
                )
            )
            log.info("telegram client bot: webhook set at %s", webhook_url)
        else:
            await call(self.bot.delete_webhook(drop_pending_updates=False))

    async def health(self, webhook_url: str | None) -> str | None:
        """Webhook mode: is Telegram posting to the hub? (getWebhookInfo: the address it posts
        to, and its last error while updates pile up.) A lost webhook is set again."""
        if self.settings.mode != "webhook" or webhook_url is None:
            return None
        info = await call(self.bot.get_webhook_info())
        if info.url != webhook_url:
            await self.start(webhook_url)
            return "Telegram had no webhook for the bot; set again"
        if info.last_error_message and info.pending_update_count > 0:
            return (
                f"Telegram cannot deliver ({info.pending_update_count} updates waiting): "
                f"{info.last_error_message}"
            )
        return None

    async def send(self, contact: str, text: str, *, key: str | None = None) -> str:
        sent = await call(self.bot.send_message(chat_id=chat_id(contact), text=text))
        return str(sent.message_id)

    async def send_file(self, contact: str, file: OutgoingFile, *, key: str | None = None) -> str:
        chat = chat_id(contact)
        upload = BufferedInputFile(file.content, filename=file.filename)
        caption = file.caption or None
        request: Awaitable[Message]
        if file.kind == "photo":
            request = self.bot.send_photo(chat_id=chat, photo=upload, caption=caption)
        elif file.kind == "voice":
            request = self.bot.send_voice(chat_id=chat, voice=upload, caption=caption)
        else:
            request = self.bot.send_document(chat_id=chat, document=upload, caption=caption)
        sent = await call(request)
        return str(sent.message_id)

    async def ask_phone(self, contact: str, text: str, button: str) -> str:
        keyboard = ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text=button, request_contact=True)]],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
        sent = await call(
            self.bot.send_message(chat_id=chat_id(contact), text=text, reply_markup=keyboard)
        )
        return str(sent.message_id)

    async def send_template(self, contact: str) -> str:
        raise Rejected("Telegram has no templates")

    async def fetch(self, attachment: Attachment) -> bytes:
        """A client's file: its path from getFile, then the file itself (bots read up to 20 MB;
        a larger one is refused for good)."""
        if attachment.kind == "location":
            raise Rejected("a location is not a file")
        found = await call(self.bot.get_file(attachment.ref))
        if not found.file_path:
            raise Rejected(f"Telegram gave no path for the file {attachment.ref!r}")
        try:
            content = await self.bot.download_file(found.file_path, timeout=DOWNLOAD_TIMEOUT)
        except aiohttp.ClientResponseError as exc:
            if exc.status >= 500 or exc.status == 429:
                raise Temporary(f"Telegram answered {exc.status} to a file's download") from exc
            raise Rejected(f"Telegram answered {exc.status} to a file's download") from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise Temporary(f"a file's download failed: {exc!r}") from exc
        if content is None:  # aiogram returns what it read when given no destination
            raise Temporary("a file's download gave nothing back")
        return content.read()

    async def request(self, method: TelegramMethod[Result], seconds: float) -> Result:
        """Any Bot API method, given ``seconds`` to answer (a long poll needs more)."""
        return await call(self.bot(method, request_timeout=int(seconds)))

    async def close(self) -> None:
        await self.bot.session.close()


def client(section: ConnectorSection, session: aiohttp.ClientSession) -> TelegramMessenger:
    """The bot of ``section``; it keeps its own aiogram session (its proxy is the bot's own),
    so the service's shared ``session`` is not used."""
    return TelegramMessenger(telegram_settings(section))


def messenger(value: Any) -> TelegramMessenger:
    """The Messenger the hub hands back to :func:`~connectors.telegram.polling.poll`."""
    if not isinstance(value, TelegramMessenger):
        raise TypeError("a Telegram poll needs the Telegram connector's own client")
    return value
