"""A Twilio account: ``[connectors.NAME]`` with ``type = "twilio"``.

Click-to-call (the REST Calls resource, ``client.py``) needs ``account_sid`` and ``caller_id``,
and a public URL for its callbacks (``public_url`` here or ``http.public_url``). ``record``
records what ``<Dial>`` connects; fetching a recording needs the account's credentials.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import ConfigDict, Field, SecretStr

from config.duration import Duration
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
    account_sid: str | None = None
    api_base: str = "https://api.twilio.com"
    request_timeout: Duration = timedelta(seconds=5)
    # Record the calls our <Dial> connects (from the answer, both parties); Twilio reports each
    # recording to the hook "recording", and GET /api/v1/calls/{id}/recording plays it.
    record: bool = False
