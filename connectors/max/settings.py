"""A company bot on MAX that clients write to: ``[messengers.NAME]`` with ``type = "max"``.

``token`` is the bot's (MAX's business platform, *Чат-боты → Интеграция*); MAX posts every
update to the webhook with ``webhook_secret`` in the ``X-Max-Bot-Api-Secret`` header, the secret
the subscription (``client.start``) gave it. ``bot_username`` makes deep links
(``https://max.ru/<bot>?start=<payload>``) whose payload comes back in ``bot_started``.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Literal
from urllib.parse import quote

from pydantic import ConfigDict, Field, SecretStr, field_validator

from config.duration import Duration
from config.settings import ConnectorSection

# The update types MAX can post to a webhook (dev.max.ru, "Update").
UPDATE_TYPES = frozenset(
    {
        "message_created",
        "message_edited",
        "message_removed",
        "message_callback",
        "message_chat_created",
        "bot_started",
        "bot_stopped",
        "bot_added",
        "bot_removed",
        "user_added",
        "user_removed",
        "chat_title_changed",
        "dialog_cleared",
        "dialog_muted",
        "dialog_unmuted",
        "dialog_removed",
    }
)
# What MAX accepts as a subscription's secret.
_SECRET = re.compile(r"[A-Za-z0-9_-]{5,256}")
_USERNAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")
# A deep link's payload as MAX carries it.
MAX_START_PAYLOAD = 128


class MaxSettings(ConnectorSection):
    """A MAX bot: clients write to it, managers' answers go back through it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["max"]
    token: SecretStr
    webhook_secret: SecretStr
    api_base: str = "https://platform-api2.max.ru"
    bot_username: str | None = None
    update_types: tuple[str, ...] = ("message_created", "bot_started")
    request_timeout: Duration = timedelta(seconds=20)
    # Files a client sent larger than this are not downloaded.
    max_download_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)

    @field_validator("webhook_secret")
    @classmethod
    def _secret_as_max_takes_it(cls, value: SecretStr) -> SecretStr:
        if not _SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("must be 5 to 256 characters of A-Z, a-z, 0-9, '_' and '-'")
        return value

    @field_validator("api_base")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL like https://platform-api2.max.ru")
        return value.rstrip("/")

    @field_validator("bot_username")
    @classmethod
    def _username(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.removeprefix("@")
        if not _USERNAME.fullmatch(value):
            raise ValueError(f"{value!r} is not a bot's name as in https://max.ru/<name>")
        return value

    @field_validator("update_types")
    @classmethod
    def _known_types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - UPDATE_TYPES)
        if unknown:
            raise ValueError(f"unknown update types: {', '.join(unknown)}")
        if not value:
            raise ValueError("name at least one update type (message_created)")
        return value

    def deep_link(self, payload: str = "") -> str | None:
        """``https://max.ru/<bot>?start=<payload>``: opening it starts the bot with ``payload``
        (``bot_started``); None without ``bot_username``."""
        if self.bot_username is None:
            return None
        if len(payload) > MAX_START_PAYLOAD:
            raise ValueError(f"a start payload is at most {MAX_START_PAYLOAD} characters")
        link = f"https://max.ru/{self.bot_username}"
        return f"{link}?start={quote(payload, safe='')}" if payload else link


def max_section(section: ConnectorSection) -> MaxSettings:
    """The section as this type's model (the registry hands each type only its own)."""
    if not isinstance(section, MaxSettings):
        raise TypeError(f"a MAX section was expected, not {type(section).__name__}")
    return section
