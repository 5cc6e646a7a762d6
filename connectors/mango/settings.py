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
    # Click-to-call (commands/callback): the company line the client sees; Mango's default if unset.
    callback_line_number: str | None = None
