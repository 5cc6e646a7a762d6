"""WhatsApp: a business number on Meta's Cloud API — signed webhooks in, Graph API calls out.

``verify`` answers the subscription check's token and checks ``X-Hub-Signature-256``,
``parse`` reads clients' messages and the statuses of the hub's, ``client`` sends texts, files
and the template that reopens a closed 24-hour window, ``settings`` is the
``[messengers.NAME]`` section. Built on plain aiohttp against the documented HTTP API (``pywa``
brings its own framework and HTTP stack).
"""

from connectors.messaging import MessengerSpec
from connectors.whatsapp.client import WhatsAppClient, client
from connectors.whatsapp.graph import WindowClosed
from connectors.whatsapp.parse import parse
from connectors.whatsapp.settings import WhatsAppSettings
from connectors.whatsapp.verify import SIGNATURE_HEADER, signature, verify

SPEC = MessengerSpec(
    settings=WhatsAppSettings,
    verify=verify,
    parse=parse,
    client=client,
    docs="docs/messengers/whatsapp.md",
    description="WhatsApp: a business number on Meta's Cloud API",
    secret_header=SIGNATURE_HEADER,
)

__all__ = [
    "SPEC",
    "WhatsAppClient",
    "WhatsAppSettings",
    "WindowClosed",
    "client",
    "parse",
    "signature",
    "verify",
]
