"""Zadarma / Novofon: NOTIFY_* webhooks in, routing JSON out (in the answer to NOTIFY_START)."""

from connectors.zadarma.answer import route_answer
from connectors.zadarma.parse import Parsed, parse
from connectors.zadarma.verify import sign, signed_string, verify

__all__ = ["Parsed", "parse", "route_answer", "sign", "signed_string", "verify"]
