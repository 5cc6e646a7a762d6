"""VK: a community's messages — the Callback API in, VK's API methods out.

``verify`` checks an event's ``group_id`` and ``secret``, ``parse`` reads a client's message
(or answers the address confirmation), ``client`` sends texts and files with ``random_id``
derived from the hub's key, ``settings`` is the ``[messengers.NAME]`` section. Built on plain
aiohttp against the documented HTTP API (``vkbottle`` brings its own framework and HTTP stack).
"""

from connectors.messaging import MessengerSpec
from connectors.vk.client import VkClient, client, random_id
from connectors.vk.parse import parse
from connectors.vk.settings import VkSettings
from connectors.vk.verify import verify

SPEC = MessengerSpec(
    settings=VkSettings,
    verify=verify,
    parse=parse,
    client=client,
    docs="docs/messengers/vk.md",
    description="VK: a community's messages through the Callback API",
)

__all__ = ["SPEC", "VkClient", "VkSettings", "client", "parse", "random_id", "verify"]
