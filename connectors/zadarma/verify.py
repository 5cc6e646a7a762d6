"""Zadarma's signatures: base64 of the hex HMAC-SHA1, keyed with the account's API secret.

A webhook's ``Signature`` header signs some of its fields joined per event type; a call to
Zadarma's user API signs ``method path + query + md5(query)`` (:func:`api_authorization`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import urlencode

from connectors.errors import PayloadError, SignatureError

# The fields each event signs, concatenated without separators: the webhooks section of
# Zadarma's API documentation (https://zadarma.com/en/support/api/); see docs/connectors/zadarma.md.
SIGNED: dict[str, tuple[str, ...]] = {
    "NOTIFY_START": ("caller_id", "called_did", "call_start"),
    "NOTIFY_INTERNAL": ("caller_id", "called_did", "call_start"),
    "NOTIFY_ANSWER": ("caller_id", "destination", "call_start"),
    "NOTIFY_END": ("caller_id", "called_did", "call_start"),
    "NOTIFY_OUT_START": ("internal", "destination", "call_start"),
    "NOTIFY_OUT_END": ("internal", "destination", "call_start"),
    "NOTIFY_RECORD": ("pbx_call_id", "call_id_with_rec"),
}


def sign(secret: str, message: str) -> str:
    """``base64(hex(HMAC-SHA1(secret, message)))`` — of the hex text, as Zadarma's libraries do."""
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha1).hexdigest()
    return base64.b64encode(digest.encode()).decode()


def signed_string(form: Mapping[str, str]) -> str | None:
    """What this event signs; None for an event type we do not know."""
    fields = SIGNED.get(form.get("event", ""))
    if fields is None:
        return None
    for name in fields:
        if name not in form:
            raise PayloadError(f"{name} is required for {form['event']}", field=name)
    return "".join(form[name] for name in fields)


def verify(secret: str, header: str | None, form: Mapping[str, str]) -> bool:
    """Check the signature of a known event; returns False for an unknown event type (which
    carries no signature we could check and is ignored)."""
    message = signed_string(form)
    if message is None:
        return False
    if not header:
        raise SignatureError("the Signature header is missing")
    if not hmac.compare_digest(header.strip().encode(), sign(secret, message).encode()):
        raise SignatureError("the Signature header does not match")
    return True


def api_query(params: Mapping[str, str]) -> str:
    """The parameters sorted by name and form-encoded (RFC 1738: a space is ``+``), as Zadarma's
    own PHP (``http_build_query``) and Python (``urlencode``) libraries build them."""
    return urlencode(sorted(params.items()))


def api_authorization(key: str, secret: str, method_path: str, params: Mapping[str, str]) -> str:
    """The ``Authorization`` header of a user API request: ``key:signature``, the signature being
    base64(hex(HMAC-SHA1(secret, method_path + query + md5_hex(query)))) — ``method_path`` like
    ``/v1/request/callback/``."""
    query = api_query(params)
    digest = hashlib.md5(query.encode(), usedforsecurity=False).hexdigest()
    return f"{key}:{sign(secret, method_path + query + digest)}"
