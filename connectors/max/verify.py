"""Is a webhook post MAX's own? MAX sends the subscription's secret in ``X-Max-Bot-Api-Secret``
with every update; the post signs nothing else, so the secret is the whole check."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from config.settings import ConnectorSection
from connectors.errors import SignatureError
from connectors.max.settings import max_section
from connectors.messaging import WebhookRequest

SECRET_HEADER = "X-Max-Bot-Api-Secret"  # noqa: S105 - the header's name, not a secret


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by its name in any case (a plain dict in tests, aiohttp's CIMultiDict live)."""
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


def verify(section: ConnectorSection, request: WebhookRequest) -> None:
    """Raise :class:`SignatureError` unless the post carries the section's webhook secret."""
    given = header(request.headers, SECRET_HEADER)
    if not given:
        raise SignatureError(f"the {SECRET_HEADER} header is missing")
    expected = max_section(section).webhook_secret.get_secret_value()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise SignatureError(f"the {SECRET_HEADER} header does not match")
