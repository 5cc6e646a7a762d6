"""The PBX connectors' HTTP endpoints, one set per configured ``[connectors.NAME]``.

``ENDPOINTS`` has one line per connector type: the handler module that builds that type's
endpoints from a connector's name and settings. What a type is (its settings, its OpenAPI
scheme, its page) is in ``connectors/registry.py``; the test of the registry checks that every
type there has its line here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from config.settings import Settings
from connectors.registry import CONNECTORS
from hub.api.endpoints import Endpoint
from hub.api.pbx import asterisk, mango, twilio, zadarma

Builder = Callable[[str, Any], list[Endpoint]]

ENDPOINTS: Mapping[str, Builder] = {
    "asterisk": asterisk.endpoints,
    "zadarma": zadarma.endpoints,
    "mango": mango.endpoints,
    "twilio": twilio.endpoints,
}


def connector_endpoints(settings: Settings) -> list[Endpoint]:
    endpoints: list[Endpoint] = []
    for name, config in sorted(settings.connectors.items()):
        model = CONNECTORS[config.type].settings if config.type in CONNECTORS else None
        if model is None or not isinstance(config, model):
            raise TypeError(
                f"connectors.{name}: a {config.type!r} section not read by its connector's "
                "settings (load them with connector_types=connectors.registry.SETTINGS)"
            )
        endpoints += ENDPOINTS[config.type](name, config)
    return endpoints
