"""A Twilio account: ``[connectors.NAME]`` with ``type = "twilio"``."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, SecretStr

from config.settings import ConnectorSection


class TwilioSettings(ConnectorSection):
    """Twilio Programmable Voice: TwiML routing and status callbacks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["twilio"]
    auth_token: SecretStr
    public_url: str | None = None
    dial_timeout: int = Field(default=20, ge=5, le=600)
    sip_domain: str | None = None
    fallback: str | None = None
    caller_id: str | None = None
