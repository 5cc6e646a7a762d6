"""Twilio's side of a test: an account, requests signed by the official validator, and the two
calls every scenario needs (a missed one, a manager calling back)."""

from __future__ import annotations

import re
from typing import Any

from twilio.request_validator import RequestValidator

from connectors.twilio import TwilioSettings
from tests.support.api import Api, settled

TOKEN = "twilio-auth-token"
PUBLIC = "https://dozvon.example.com"
CLIENT = "+79031112233"
OUR_NUMBER = "+74950001122"
SIP_DOMAIN = "acme.sip.twilio.com"


def account(**overrides: Any) -> TwilioSettings:
    values: dict[str, Any] = {"public_url": PUBLIC, "sip_domain": SIP_DOMAIN, **overrides}
    return TwilioSettings(type="twilio", auth_token=TOKEN, **values)


def sign(url: str, params: dict[str, str]) -> str:
    """``X-Twilio-Signature`` of a form POST to ``url``, as Twilio computes it."""
    computed: str = RequestValidator(TOKEN).compute_signature(url, params)
    return computed


async def post(
    api: Api, path: str, params: dict[str, str], *, signature: str | None = None, url: str = ""
) -> tuple[int, str]:
    """Post ``params`` signed for ``url`` (the public URL of ``path`` unless given)."""
    header = signature if signature is not None else sign(url or PUBLIC + path, params)
    async with api.client.post(path, data=params, headers={"X-Twilio-Signature": header}) as r:
        text = await r.text()
        status = r.status
    await settled(api.app)
    return status, text


def call(sid: str, caller: str = CLIENT, to: str = OUR_NUMBER) -> dict[str, str]:
    return {
        "CallSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": caller,
        "To": to,
        "CallStatus": "ringing",
        "Direction": "inbound",
    }


def action(twiml: str) -> str:
    """Where the TwiML's ``<Dial>`` reports back."""
    found = re.search(r'action="([^"]+)"', twiml)
    assert found, twiml
    return found.group(1).replace("&amp;", "&")


async def missed(api: Api, sid: str, name: str = "tw") -> str:
    """Ring 101, nobody answers; returns the last TwiML."""
    base = f"/api/v1/hooks/{name}"
    _, twiml = await post(api, f"{base}/voice", call(sid))
    status, twiml = await post(
        api,
        action(twiml),
        {**call(sid), "DialCallStatus": "no-answer", "DialCallSid": "CA" + "1" * 32},
    )
    assert status == 200, twiml
    await post(api, f"{base}/status", {**call(sid), "CallStatus": "completed"})
    return twiml


async def called_back(api: Api, sid: str) -> None:
    """101 calls the client from his SIP phone; the client answers."""
    params = call(sid, caller=f"sip:101@{SIP_DOMAIN}", to=CLIENT)
    _, twiml = await post(api, "/api/v1/hooks/tw/voice", params)
    assert f"<Number>{CLIENT}</Number>" in twiml
    await post(
        api,
        action(twiml),
        # The talk ends at once here (a real one lasts; its answer is its end minus its length).
        {**params, "DialCallStatus": "completed", "DialCallDuration": "0"},
    )
