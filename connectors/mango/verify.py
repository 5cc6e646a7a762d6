"""Mango's request signature: ``sign = hex(sha256(vpbx_api_key + json + vpbx_api_salt))``.

Checked over the raw ``json`` string as received (never re-serialised): the key first, then the
sign, and only then is the JSON parsed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from connectors.errors import PayloadError, SignatureError


def sign(api_key: str, body: str, salt: str) -> str:
    return hashlib.sha256((api_key + body + salt).encode()).hexdigest()


def verify(api_key: str, salt: str, form: Mapping[str, str]) -> dict[str, Any]:
    """The checked, parsed ``json`` field of a Mango request."""
    given_key = form.get("vpbx_api_key", "")
    if not hmac.compare_digest(given_key.encode(), api_key.encode()):
        raise SignatureError("vpbx_api_key is missing or not ours")
    body = form.get("json")
    if body is None:
        raise PayloadError("json is required", field="json")
    if not hmac.compare_digest(
        form.get("sign", "").lower().encode(), sign(api_key, body, salt).encode()
    ):
        raise SignatureError("sign does not match")
    try:
        parsed = json.loads(body)
    except ValueError as exc:
        raise PayloadError(f"json is not JSON: {exc}", field="json") from exc
    if not isinstance(parsed, dict):
        raise PayloadError("json must be an object", field="json")
    return parsed


def command_form(api_key: str, salt: str, command: Mapping[str, Any]) -> dict[str, str]:
    """The form of a request to Mango's API (the same signature, the other way)."""
    body = json.dumps(command, ensure_ascii=False, separators=(",", ":"))
    return {"vpbx_api_key": api_key, "sign": sign(api_key, body, salt), "json": body}
