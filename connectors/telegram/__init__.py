"""Telegram: a company bot clients write to, its updates by long polling or by webhook.

``settings`` is the bot's ``[messengers.NAME]`` section, ``verify`` checks a webhook post's
secret header, ``parse`` reads an update as the client's message, ``client`` sends through
aiogram, ``poll`` takes updates by ``getUpdates``. The staff bot (``[telegram]``) is another bot.
"""

from connectors.messaging import MessengerSpec
from connectors.telegram.client import TelegramMessenger, client
from connectors.telegram.parse import parse, parse_update
from connectors.telegram.poll import poll, polls
from connectors.telegram.settings import TelegramSettings
from connectors.telegram.verify import SECRET_HEADER, verify

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
