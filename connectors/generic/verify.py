"""``X-Dozvon-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + raw body)>``.

The timestamp is part of what is signed, and a signature older or newer than the window is
refused, so a captured request cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac

from connectors.errors import SignatureError
from hub.domain.digits import plain_digits


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The header value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(
        secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str | None, body: bytes, *, now: float, window: float) -> None:
    """Raise SignatureError unless ``header`` signs ``body`` within ``window`` seconds of now."""
    if not header:
        raise SignatureError("missing X-Dozvon-Signature header")
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if sep:
            parts.setdefault(key, []).append(value)
    stamps = parts.get("t", [])
    if len(stamps) != 1 or not plain_digits(stamps[0]) or len(stamps[0]) > 12:
        raise SignatureError("X-Dozvon-Signature has no valid t=<unix seconds>")
    timestamp = int(stamps[0])
    if abs(now - timestamp) > window:
        raise SignatureError(
            f"signature timestamp is outside the {int(window)}-second window"
            " (a replay, or the clocks disagree)"
        )
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    if not any(hmac.compare_digest(expected, v) for v in parts.get("v1", [])):
        raise SignatureError("signature does not match the body")
