"""Is a Callback API post VK's own for this community?

VK signs nothing: each event carries the community's ``group_id`` and the server's ``secret``
in its JSON body. The confirmation request carries no secret worth relying on, so it needs only
the right ``group_id`` — its answer (the confirmation string) is no secret either: VK's own page
shows it to whoever configures the server.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from config.settings import ConnectorSection
from connectors.errors import SignatureError
from connectors.messaging import WebhookRequest
from connectors.vk.settings import vk_settings


def verify(section: ConnectorSection, request: WebhookRequest) -> None:
    """Raise :class:`SignatureError` unless the post is an event of this community with its
    secret (or its confirmation request)."""
    config = vk_settings(section)
    event = _event(request.body)
    group_id = event.get("group_id")
    if isinstance(group_id, bool) or group_id != config.group_id:
        raise SignatureError("the event is not for this community (group_id)")
    if event.get("type") == "confirmation":
        return
    secret = event.get("secret")
    if not isinstance(secret, str):
        raise SignatureError("the event carries no secret")
    expected = config.secret.get_secret_value()
    if not hmac.compare_digest(secret.encode(), expected.encode()):
        raise SignatureError("the event's secret does not match")


def _event(body: bytes) -> dict[str, Any]:
    # A body that is not VK's JSON proves nothing about who sent it: 401, like a wrong secret.
    try:
        event = json.loads(body)
    except ValueError as exc:
        raise SignatureError("the body is not a Callback API event") from exc
    if not isinstance(event, dict):
        raise SignatureError("the body is not a Callback API event")
    return event
