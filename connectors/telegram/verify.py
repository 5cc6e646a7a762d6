"""Is a webhook post Telegram's own? It carries the secret given to setWebhook in a header.

Telegram sends ``X-Telegram-Bot-Api-Secret-Token: <webhook_secret>`` with every update it posts
(https://core.telegram.org/bots/api#setwebhook). A bot that polls has no webhook: a post to it is
refused, since nobody but Telegram's webhook would post updates, and Telegram does not here.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from config.settings import ConnectorSection
from connectors.errors import SignatureError
from connectors.messaging import WebhookRequest
from connectors.telegram.settings import telegram_settings

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header's name)


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by its name, whatever its case (HTTP names are case-insensitive)."""
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


def verify(section: ConnectorSection, request: WebhookRequest) -> None:
    """Raise :class:`SignatureError` unless the post carries the bot's webhook secret."""
    settings = telegram_settings(section)
    if settings.mode != "webhook" or settings.webhook_secret is None:
        raise SignatureError("this Telegram bot polls for updates (mode = 'polling'): no webhook")
    given = header(request.headers, SECRET_HEADER)
    if not given:
        raise SignatureError(f"the {SECRET_HEADER} header is missing")
    expected = settings.webhook_secret.get_secret_value()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise SignatureError(f"the {SECRET_HEADER} header does not match")
