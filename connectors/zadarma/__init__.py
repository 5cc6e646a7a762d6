"""Zadarma / Novofon: NOTIFY_* webhooks in, routing JSON out (in the answer to NOTIFY_START).

``verify`` checks the ``Signature`` header, ``parse`` turns a notification into call updates,
``answer`` renders a routing decision as Zadarma's JSON; ``settings`` is the account's section.
Zadarma is never called back, so there is no client.
"""

from connectors.zadarma.answer import route_answer
from connectors.zadarma.parse import Parsed, parse
from connectors.zadarma.settings import ZadarmaSettings
from connectors.zadarma.verify import sign, signed_string, verify

__all__ = ["Parsed", "ZadarmaSettings", "parse", "route_answer", "sign", "signed_string", "verify"]
