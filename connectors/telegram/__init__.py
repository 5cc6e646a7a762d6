"""Telegram: a company bot clients write to, its updates by long polling or by webhook.

``settings`` is the bot's ``[messengers.NAME]`` section, ``verify`` checks a webhook post's
secret header, ``parse`` reads an update as the client's message, ``client`` sends through
aiogram, ``poll`` takes updates by ``getUpdates``. The staff bot (``[telegram]``) is another bot.

aiogram takes seconds to import (it builds every Bot API type's schema): it is imported when a
bot is first made, not when the configuration is read, so a command that needs no bot (``dozvon
import``, ``dozvon db``, a process of the service's own) starts without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp

from config.settings import ConnectorSection
from connectors.messaging import Messenger, MessengerSpec, Polled
from connectors.telegram.parse import parse, parse_update
from connectors.telegram.settings import TelegramSettings, polls
from connectors.telegram.verify import SECRET_HEADER, verify

if TYPE_CHECKING:
    from connectors.telegram.bot import TelegramMessenger


def client(section: ConnectorSection, session: aiohttp.ClientSession) -> TelegramMessenger:
    """The bot's client (aiogram's ``Bot`` on the shared session)."""
    from connectors.telegram.bot import client as create

    return create(section, session)


async def poll(section: ConnectorSection, client: Messenger, offset: int | None) -> Polled:
    """One long poll from ``offset`` (``connectors/telegram/polling.py``)."""
    from connectors.telegram.polling import poll as take

    return await take(section, client, offset)


def __getattr__(name: str) -> Any:
    if name == "TelegramMessenger":
        from connectors.telegram.bot import TelegramMessenger

        return TelegramMessenger
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


SPEC = MessengerSpec(
    settings=TelegramSettings,
    verify=verify,
    parse=parse,
    client=client,
    poll=poll,
    polls=polls,
    asks_phone=True,
    docs="docs/messengers/telegram.md",
    description="Telegram: a company bot clients write to",
    secret_header=SECRET_HEADER,
)

__all__ = [
    "SECRET_HEADER",
    "SPEC",
    "TelegramMessenger",
    "TelegramSettings",
    "client",
    "parse",
    "parse_update",
    "poll",
    "polls",
    "verify",
]
