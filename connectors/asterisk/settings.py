"""An Asterisk PBX: ``[connectors.NAME]`` with ``type = "asterisk"``."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import ConfigDict, Field, SecretStr

from config.duration import Duration
from config.settings import ConnectorSection


class AsteriskSettings(ConnectorSection):
    """Asterisk over AMI (events) and the dialplan's CURL() or FastAGI (routing)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["asterisk"]
    host: str = "127.0.0.1"
    port: int = Field(default=5038, ge=1, le=65535)
    username: str
    secret: SecretStr
    channel_prefix: str = "PJSIP/"
    route_key: SecretStr | None = None
    agi_port: int | None = Field(default=None, ge=1, le=65535)
    agi_host: str = "127.0.0.1"
    reconnect_max: Duration = timedelta(seconds=30)
