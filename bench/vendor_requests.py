"""Routing requests in each vendor's own format, signed as the vendor signs them."""

from __future__ import annotations

import random
from collections.abc import Callable
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from connectors.zadarma import sign as zadarma_sign
from connectors.zadarma import signed_string

ZADARMA_SECRET = "bench-zadarma-secret"
TWILIO_TOKEN = "bench-twilio-token"
CONNECTORS = {
    "DOZVON_CONNECTORS__ZD__TYPE": "zadarma",
    "DOZVON_CONNECTORS__ZD__API_SECRET": ZADARMA_SECRET,
    "DOZVON_CONNECTORS__TW__TYPE": "twilio",
    "DOZVON_CONNECTORS__TW__AUTH_TOKEN": TWILIO_TOKEN,
    "DOZVON_CONNECTORS__TW__SIP_DOMAIN": "bench.sip.twilio.com",
    "DOZVON_CONNECTORS__AST__TYPE": "asterisk",
    "DOZVON_CONNECTORS__AST__PORT": "1",  # no AMI here: only its routing endpoint is measured
    "DOZVON_CONNECTORS__AST__USERNAME": "bench",
    "DOZVON_CONNECTORS__AST__SECRET": "bench",
}


def zadarma(count: int, phone: Callable[[int], str], clients: int) -> list[str]:
    rng = random.Random(1)
    lines = []
    for n in range(count):
        form = {
            "event": "NOTIFY_START",
            "pbx_call_id": f"in_{n}",
            "caller_id": phone(rng.randint(1, clients)).lstrip("+"),
            "called_did": "74950001122",
            "call_start": "2026-11-23 10:00:00",
        }
        signature = zadarma_sign(ZADARMA_SECRET, signed_string(form) or "")
        lines.append(f"POST\t/api/v1/hooks/zd\tSignature: {signature}\t{urlencode(form)}")
    return lines


def twilio(count: int, phone: Callable[[int], str], clients: int, public: str) -> list[str]:
    rng = random.Random(2)
    validator = RequestValidator(TWILIO_TOKEN)
    path = "/api/v1/hooks/tw/voice"
    lines = []
    for n in range(count):
        params = {
            "CallSid": f"CA{n:032x}",
            "From": phone(rng.randint(1, clients)),
            "To": "+74950001122",
            "CallStatus": "ringing",
            "Direction": "inbound",
        }
        signature = validator.compute_signature(public + path, params)
        lines.append(f"POST\t{path}\tX-Twilio-Signature: {signature}\t{urlencode(params)}")
    return lines


def asterisk(count: int, phone: Callable[[int], str], clients: int) -> list[str]:
    rng = random.Random(3)
    return [
        f"GET\t/api/v1/hooks/ast/route?from={phone(rng.randint(1, clients))}&to=4951234567\t\t"
        for _ in range(count)
    ]
