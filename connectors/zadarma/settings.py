"""A Zadarma or Novofon account: ``[connectors.NAME]`` with ``type = "zadarma"``.

``api_secret`` signs both ways: Zadarma's webhooks and our calls to its user API (click-to-call,
``client.py``), which also need the account's ``api_key``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import ConfigDict, Field, SecretStr

from config.duration import Duration
from config.settings import ConnectorSection, Zone


class ZadarmaSettings(ConnectorSection):
    """Zadarma or Novofon: NOTIFY_* webhooks, routing in the answer to NOTIFY_START."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["zadarma"]
    api_secret: SecretStr
    return_timeout: int = Field(default=20, ge=0, le=600)
    # The account's time zone: ``call_start`` comes as local time (default company.timezone).
    timezone: Zone | None = None
    # Click-to-call through the user API (request/callback): on when the key is set.
    api_key: str | None = None
    api_base: str = "https://api.zadarma.com"
    request_timeout: Duration = timedelta(seconds=5)
