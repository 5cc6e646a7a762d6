"""Is a webhook request Meta's own for this app?

The subscription check is a GET with ``hub.mode=subscribe`` and the ``hub.verify_token`` typed
into the app's webhook settings. Every POST is signed: ``X-Hub-Signature-256:
sha256=<hex HMAC-SHA256 of the raw body, keyed with the app secret>``. Both compare in constant
time.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from config.settings import ConnectorSection
from connectors.errors import SignatureError
from connectors.messaging import WebhookRequest
from connectors.whatsapp.settings import whatsapp_settings

SIGNATURE_HEADER = "X-Hub-Signature-256"


def signature(app_secret: str, body: bytes) -> str:
    """The header's value for ``body``: ``sha256=<hex>``."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def verify(section: ConnectorSection, request: WebhookRequest) -> None:
    """Raise :class:`SignatureError` unless the request is the app's subscription check with
    our verify token, or a post signed with our app secret."""
    config = whatsapp_settings(section)
    if request.method.upper() == "GET":
        if request.query.get("hub.mode") != "subscribe":
            raise SignatureError("hub.mode is not subscribe")
        token = request.query.get("hub.verify_token", "")
        expected = config.verify_token.get_secret_value()
        if not hmac.compare_digest(token.encode(), expected.encode()):
            raise SignatureError("hub.verify_token does not match")
        return
    header = header_value(request.headers, SIGNATURE_HEADER)
    if not header:
        raise SignatureError(f"the {SIGNATURE_HEADER} header is missing")
    expected = signature(config.app_secret.get_secret_value(), request.body)
    if not hmac.compare_digest(header.strip().lower().encode(), expected.encode()):
        raise SignatureError(f"the {SIGNATURE_HEADER} header does not match")


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """A header whatever the case of its name (HTTP's names are case-insensitive)."""
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)
