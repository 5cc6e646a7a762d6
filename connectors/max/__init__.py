"""MAX (VK's national messenger): a company bot that clients write to.

``settings`` is the bot's ``[messengers.NAME]`` section, ``verify`` checks the webhook secret
MAX sends in ``X-Max-Bot-Api-Secret``, ``parse`` turns one posted update into the clients'
messages, ``client`` talks to the Bot API (``api``: the requests and what their errors mean).
"""

from connectors.max.client import MaxClient, create_client
from connectors.max.parse import parse
from connectors.max.settings import MaxSettings
from connectors.max.verify import SECRET_HEADER, verify
from connectors.messaging import MessengerSpec

SPEC = MessengerSpec(
    settings=MaxSettings,
    verify=verify,
    parse=parse,
    client=create_client,
    asks_phone=True,
    docs="docs/messengers/max.md",
    description="MAX: a company bot clients write to (webhook)",
    secret_header=SECRET_HEADER,
)

__all__ = ["SPEC", "MaxClient", "MaxSettings", "create_client", "parse", "verify"]
