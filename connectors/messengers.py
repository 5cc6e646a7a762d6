"""Every messenger type the hub knows, keyed by the ``type`` of a ``[messengers.NAME]`` section.

Adding a channel is a folder under ``connectors/`` with the pieces of ``connectors/messaging.py``
and its ``SPEC``, and a line here.
"""

from __future__ import annotations

from collections.abc import Mapping

from config.settings import ConnectorSection
from connectors.max import SPEC as MAX
from connectors.messaging import MessengerSpec
from connectors.telegram import SPEC as TELEGRAM
from connectors.vk import SPEC as VK
from connectors.whatsapp import SPEC as WHATSAPP

MESSENGERS: Mapping[str, MessengerSpec] = {
    "telegram": TELEGRAM,
    "max": MAX,
    "vk": VK,
    "whatsapp": WHATSAPP,
}

# What the config loader reads each type's sections with.
MESSENGER_SETTINGS: Mapping[str, type[ConnectorSection]] = {
    kind: spec.settings for kind, spec in MESSENGERS.items()
}
