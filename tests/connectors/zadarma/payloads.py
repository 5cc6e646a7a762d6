"""Zadarma's side of a test: an account, signed NOTIFY_* forms and posting them to the hook, and
how Zadarma checks a request to its own API (the stand-ins of click-to-call and recordings)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any
from urllib.parse import quote_plus

from aiohttp import web

from connectors.zadarma import ZadarmaSettings, sign, signed_string
from tests.support.api import Api, settled

SECRET = "zadarma-api-secret"
CLIENT = "79031112233"  # Zadarma sends digits without '+'
DID = "74950001122"
START = "2026-11-23 10:00:00"


def account(**overrides: Any) -> ZadarmaSettings:
    return ZadarmaSettings(type="zadarma", api_secret=SECRET, **overrides)


async def notify(
    api: Api, form: dict[str, str], *, name: str = "zd", signature: str | None = None
) -> tuple[int, Any]:
    """Post ``form`` signed as Zadarma does (or with ``signature`` as given)."""
    message = signed_string(form) if form.get("event") != "NOTIFY_X" else ""
    header = signature if signature is not None else sign(SECRET, message or "")
    async with api.client.post(
        f"/api/v1/hooks/{name}", data=form, headers={"Signature": header}
    ) as response:
        body = await response.json()
        status = response.status
    if status == 200:
        await settled(api.app)
    return status, body


def missed_call(call_id: str, caller: str = CLIENT) -> list[dict[str, str]]:
    base = {"pbx_call_id": call_id, "caller_id": caller, "called_did": DID, "call_start": START}
    return [
        {"event": "NOTIFY_START", **base},
        {"event": "NOTIFY_INTERNAL", **base, "internal": "101"},
        {
            "event": "NOTIFY_END",
            **base,
            "internal": "101",
            "duration": "0",
            "disposition": "no answer",
            "status_code": "19",
            "is_recorded": "0",
            "call_id_with_rec": "",
        },
    ]


def callback(call_id: str, to: str = CLIENT) -> list[dict[str, str]]:
    base = {"pbx_call_id": call_id, "internal": "101", "destination": to, "call_start": START}
    return [
        {"event": "NOTIFY_OUT_START", **base},
        {
            "event": "NOTIFY_OUT_END",
            **base,
            "caller_id": "101",
            "duration": "42",
            "disposition": "answered",
            "status_code": "16",
            "is_recorded": "1",
            "call_id_with_rec": "1700000000.123",
        },
    ]


KEY = "zadarma-user-key"


def zadarma_signature(secret: str, method: str, params: dict[str, str]) -> str:
    """The signature as Zadarma's documentation and PHP library compute it: the parameters sorted
    by name, ``http_build_query`` (RFC 1738), ``method + query + md5(query)``, HMAC-SHA1 as hex,
    base64 of that hex text."""
    query = "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in sorted(params.items()))
    message = method + query + hashlib.md5(query.encode(), usedforsecurity=False).hexdigest()
    hexdigest = hmac.new(secret.encode(), message.encode(), hashlib.sha1).hexdigest()
    return base64.b64encode(hexdigest.encode()).decode()


def unauthorised() -> web.Response:
    """Zadarma's answer to a wrong key or signature."""
    return web.json_response({"status": "error", "message": "Not authorized"}, status=401)


def signed_query(request: web.Request) -> dict[str, str] | None:
    """A request to Zadarma's API as Zadarma checks it: our key and the signature of its query;
    the query, or None when either is wrong."""
    params = dict(request.query)
    key, _, signature = request.headers.get("Authorization", "").partition(":")
    expected = zadarma_signature(SECRET, request.path, params)
    if key != KEY or not hmac.compare_digest(signature, expected):
        return None
    return params
