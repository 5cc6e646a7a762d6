"""Every connector type the hub knows, in one explicit table keyed by the sections' ``type``.

A spec says which model reads a ``[connectors.NAME]`` section of that type (the config loader is
given ``SETTINGS``), how the type's endpoints authenticate in the OpenAPI document, where its
setup page is and, in a line, what it is. Nothing is discovered at import time: adding a vendor
is a folder under ``connectors/`` with the same files as the others, a line here, and a line in
``hub/api/pbx/__init__.py`` for its HTTP endpoints (``docs/connectors/README.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from config.settings import ConnectorSection
from connectors.asterisk.settings import AsteriskSettings
from connectors.mango.settings import MangoSettings
from connectors.twilio.settings import TwilioSettings
from connectors.zadarma.settings import ZadarmaSettings


def header_scheme(header: str) -> Mapping[str, str]:
    """An OpenAPI security scheme: a secret or signature in a request header."""
    return {"type": "apiKey", "in": "header", "name": header}


@dataclass(frozen=True, slots=True, kw_only=True)
class ConnectorSpec:
    """What the hub needs to know of one connector type besides its code."""

    settings: type[ConnectorSection]
    # The OpenAPI security scheme of the type's signed endpoints; None where OpenAPI cannot say
    # it (a signature inside the form body, a key that is optional).
    security: Mapping[str, str] | None
    docs: str  # the setup page, from the repository's root
    description: str


# In this order the config loader names the known types when a section's type is none of them.
CONNECTORS: Mapping[str, ConnectorSpec] = {
    "asterisk": ConnectorSpec(
        settings=AsteriskSettings,
        # route_key travels in the routing URL's query and is optional: the endpoint is "none".
        security=None,
        docs="docs/connectors/asterisk.md",
        description="Asterisk: AMI events in; routing by the dialplan's CURL() or FastAGI",
    ),
    "zadarma": ConnectorSpec(
        settings=ZadarmaSettings,
        security=header_scheme("Signature"),
        docs="docs/connectors/zadarma.md",
        description="Zadarma / Novofon: NOTIFY_* webhooks; routing in the answer to NOTIFY_START",
    ),
    "mango": ConnectorSpec(
        settings=MangoSettings,
        # The signature is the form's own "sign" field, which no OpenAPI scheme describes.
        security=None,
        docs="docs/connectors/mango.md",
        description="Mango Office VPBX: events/* webhooks; routing by commands/route",
    ),
    "twilio": ConnectorSpec(
        settings=TwilioSettings,
        security=header_scheme("X-Twilio-Signature"),
        docs="docs/connectors/twilio.md",
        description="Twilio Programmable Voice: TwiML routing, Dial results, status callbacks",
    ),
}

# What the config loader reads each type's sections with.
SETTINGS: Mapping[str, type[ConnectorSection]] = {
    kind: spec.settings for kind, spec in CONNECTORS.items()
}
