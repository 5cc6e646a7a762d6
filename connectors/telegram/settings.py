"""A company bot clients write to on Telegram: ``[messengers.NAME]`` with ``type = "telegram"``.

It is a bot of its own (its own ``token`` from @BotFather), apart from the staff bot of the
``[telegram]`` section. It takes updates by long polling (``mode = "polling"``, the default: no
public address needed) or by webhook (``mode = "webhook"``: Telegram posts each update with
``webhook_secret`` in the ``X-Telegram-Bot-Api-Secret-Token`` header). ``proxy`` sends its calls
through a proxy where Telegram is blocked; ``api_base`` points it at another Bot API server.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Literal
from urllib.parse import urlsplit

from pydantic import ConfigDict, Field, SecretStr, field_validator, model_validator

from config.duration import Duration
from config.settings import ConnectorSection

# Telegram's rule for the secret of setWebhook.
SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
# A deep link's payload: https://t.me/<bot>?start=<payload>.
PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
# A bot's username: 5-32 characters of letters, digits and underscores.
USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{4,31}")
# What aiogram accepts as a token: the bot's number, a colon, the secret part.
TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
PROXY_SCHEMES = ("http", "socks4", "socks5")
# Telegram holds a long poll for at most this long.
MAX_POLLING_TIMEOUT = timedelta(seconds=50)


class TelegramSettings(ConnectorSection):
    """A company bot clients write to (long polling or a webhook)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["telegram"]
    token: SecretStr
    api_base: str | None = None
    # http://host:port or socks5://user:password@host:port; may carry a password: not shown.
    proxy: str | None = Field(default=None, repr=False)
    mode: Literal["polling", "webhook"] = "polling"
    webhook_secret: SecretStr | None = None
    # The bot's @name (without the @), for deep links https://t.me/<bot>?start=<payload>.
    bot_username: str | None = None
    polling_timeout: Duration = timedelta(seconds=25)

    @field_validator("token")
    @classmethod
    def _token(cls, value: SecretStr) -> SecretStr:
        if not TOKEN.fullmatch(value.get_secret_value()):
            raise ValueError("a bot token looks like 123456789:AAE... (from @BotFather)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("1-256 characters of A-Z, a-z, 0-9, '_' and '-' (Telegram's rule)")
        return value

    @field_validator("proxy")
    @classmethod
    def _proxy(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        try:
            port = parts.port
        except ValueError:
            port = None
        if parts.scheme not in PROXY_SCHEMES or not parts.hostname or port is None:
            raise ValueError("write it http://host:port or socks5://host:port")
        return value

    @field_validator("api_base")
    @classmethod
    def _api_base(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError("an http:// or https:// address of a Bot API server")
        return value

    @field_validator("bot_username")
    @classmethod
    def _username(cls, value: str | None) -> str | None:
        if value is None:
            return None
        name = value.removeprefix("@")
        if not USERNAME.fullmatch(name):
            raise ValueError("the bot's @name: 5-32 letters, digits and '_'")
        return name

    @field_validator("polling_timeout")
    @classmethod
    def _polling_timeout(cls, value: timedelta) -> timedelta:
        if value > MAX_POLLING_TIMEOUT:
            raise ValueError(f"at most {MAX_POLLING_TIMEOUT.seconds} s (Telegram's long poll)")
        return value

    @model_validator(mode="after")
    def _webhook_secret_set(self) -> TelegramSettings:
        if self.mode == "webhook" and self.webhook_secret is None:
            raise ValueError("mode 'webhook' needs webhook_secret")
        return self

    def deep_link(self, payload: str) -> str | None:
        """The link that opens the bot with ``/start <payload>`` (None without ``bot_username``);
        a payload is 1-64 characters of A-Z, a-z, 0-9, '_' and '-'."""
        if not PAYLOAD.fullmatch(payload):
            raise ValueError(f"{payload!r} is not a deep link's payload (1-64 of A-Za-z0-9_-)")
        if self.bot_username is None:
            return None
        return f"https://t.me/{self.bot_username}?start={payload}"


def telegram_settings(section: ConnectorSection) -> TelegramSettings:
    """``section`` as what it is: the registry hands every messenger its own type's model."""
    if not isinstance(section, TelegramSettings):
        raise TypeError(f"a {section.type!r} section given to the Telegram connector")
    return section


def polls(section: ConnectorSection) -> bool:
    """Does this bot take its updates by long polling?"""
    return telegram_settings(section).mode == "polling"
