"""The PBX connectors' HTTP endpoints, one set per configured ``[connectors.NAME]``."""

from __future__ import annotations

from config.settings import Settings
from hub.api.endpoints import Endpoint
from hub.api.pbx import asterisk, mango, twilio, zadarma


def connector_endpoints(settings: Settings) -> list[Endpoint]:
    endpoints: list[Endpoint] = []
    for name, config in sorted(settings.connectors.items()):
        if config.type == "zadarma":
            endpoints += zadarma.endpoints(name, config)
        elif config.type == "asterisk":
            endpoints += asterisk.endpoints(name, config)
        elif config.type == "mango":
            endpoints += mango.endpoints(name, config)
        elif config.type == "twilio":
            endpoints += twilio.endpoints(name, config)
    return endpoints
