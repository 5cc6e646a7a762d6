"""A Mango Office VPBX: ``[connectors.NAME]`` with ``type = "mango"``."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import ConfigDict, SecretStr

from config.duration import Duration
from config.settings import ConnectorSection


class MangoSettings(ConnectorSection):
    """Mango Office VPBX: events/*, and routing through commands/route when switched on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["mango"]
    api_key: str
    api_salt: SecretStr
    api_url: str = "https://app.mango-office.ru/vpbx"
    route_calls: bool = False
    request_timeout: Duration = timedelta(seconds=2)
    # Mango ends a leg whenever the call moves on (out of the IVR, out of a queue) and posts its
    # events in parallel: a call whose legs have all ended waits this long after the last event
    # for its summary or a late leg before it is taken as missed (and alerts go out).
    summary_wait: Duration = timedelta(seconds=10)
    # Click-to-call (commands/callback): the company line the client sees; Mango's default if unset.
    callback_line_number: str | None = None
