"""A Zadarma or Novofon account: ``[connectors.NAME]`` with ``type = "zadarma"``."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, SecretStr

from config.settings import ConnectorSection, Zone


class ZadarmaSettings(ConnectorSection):
    """Zadarma or Novofon: NOTIFY_* webhooks, routing in the answer to NOTIFY_START."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["zadarma"]
    api_secret: SecretStr
    return_timeout: int = Field(default=20, ge=0, le=600)
    # The account's time zone: ``call_start`` comes as local time (default company.timezone).
    timezone: Zone | None = None
