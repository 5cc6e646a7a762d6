"""Zadarma's side of a test: an account, signed NOTIFY_* forms, and posting them to the hook."""

from __future__ import annotations

from typing import Any

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
