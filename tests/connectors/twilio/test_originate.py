"""Click-to-call on Twilio: ``POST /api/v1/calls/originate`` creates a call through the official
``twilio`` package against a stand-in of Twilio's REST API, which checks it as Twilio would
(basic auth of the account SID and auth token, the form's To/From/Twiml/StatusCallback). The call
Twilio then makes — the manager's SIP phone first, the TwiML's ``<Dial>`` to the client — reports
to our hooks, signed by the official validator, and returns the client's open case."""

from __future__ import annotations

import base64
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp import web
from pydantic import SecretStr

from hub.app import create_app
from tests.connectors.service import shapes
from tests.connectors.twilio.payloads import (
    CLIENT,
    OUR_NUMBER,
    PUBLIC,
    SIP_DOMAIN,
    TOKEN,
    account,
    missed,
    post,
)
from tests.support.api import Api
from tests.support.clock import TestClock
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.stand_in import StandIn, serving

SID = "AC" + "a" * 32
CALL = "CA" + "b" * 32


@dataclass
class TwilioApi(StandIn):
    """A stand-in of ``api.twilio.com``: the Calls resource, checked as Twilio checks it."""

    created: list[dict[str, str]] = field(default_factory=list)

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/2010-04-01/Accounts/{sid}/Calls.json", self._create)

    async def _create(self, request: web.Request) -> web.Response:
        expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
        if request.headers.get("Authorization") != expected or request.match_info["sid"] != SID:
            error = {"code": 20003, "message": "Authenticate", "status": 401}
            return web.json_response(error, status=401)
        form = {k: str(v) for k, v in (await request.post()).items()}
        missing = [name for name in ("To", "From") if not form.get(name)]
        if missing or not (form.get("Twiml") or form.get("Url")):
            error = {"code": 21201, "message": f"missing {missing or 'Twiml/Url'}", "status": 400}
            return web.json_response(error, status=400)
        self.created.append(form)
        call = {"sid": CALL, "account_sid": SID, "to": form["To"], "from": form["From"]}
        return web.json_response(
            {**call, "status": "queued", "direction": "outbound-api"}, status=201
        )


@pytest.fixture
async def twilio_api() -> AsyncIterator[TwilioApi]:
    async for stand_in in serving(TwilioApi()):
        yield stand_in


@pytest.fixture
async def api(twilio_api: TwilioApi, aiohttp_client: Any, db_url: str, clock: TestClock) -> Api:
    config = account(account_sid=SID, caller_id=OUR_NUMBER, api_base=twilio_api.url)
    settings = make_settings(db_url, connectors={"tw": config})
    client = await aiohttp_client(create_app(settings, clock=clock))
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


def _path(url: str) -> str:
    """The path and query of one of our public URLs (where the test client posts it)."""
    assert url.startswith(PUBLIC), url
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


async def test_rest_call_and_the_call_it_places(
    api: Api, twilio_api: TwilioApi, clock: TestClock
) -> None:
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    card = {"name": "Ромашка", "manager_id": ivan["id"], "phones": [CLIENT]}
    await api.post("/api/v1/clients", card)
    await missed(api, "CA" + "1" * 32)
    opened = (await api.get("/api/v1/callback-cases?status=open"))["items"]
    assert [c["number"] for c in opened] == [CLIENT]
    clock.advance(timedelta(minutes=5))

    status, result = await api.call(
        "POST", "/api/v1/calls/originate", {"manager_id": ivan["id"], "number": CLIENT}
    )
    assert status == 202, result
    assert result == {
        "connector": "tw",
        "manager_id": ivan["id"],
        "number": CLIENT,
        "request_id": CALL,
    }
    [created] = twilio_api.created
    assert created["To"] == f"sip:101@{SIP_DOMAIN}"
    assert created["From"] == OUR_NUMBER
    twiml = created["Twiml"]
    assert f'callerId="{OUR_NUMBER}"' in twiml
    assert f"<Number>{CLIENT}</Number>" in twiml
    found = re.search(r'action="([^"]+)"', twiml)
    assert found is not None
    dial_action = found.group(1).replace("&amp;", "&")
    status_callback = created["StatusCallback"]

    # Twilio rang sip:101, he answered, the <Dial> reached the client who talked for a minute.
    parent = {
        "CallSid": CALL,
        "AccountSid": SID,
        "From": OUR_NUMBER,
        "To": f"sip:101@{SIP_DOMAIN}",
        "Direction": "outbound-api",
        "CallStatus": "in-progress",
    }
    clock.advance(timedelta(minutes=1))
    dialled = {
        "DialCallStatus": "completed",
        "DialCallDuration": "60",
        "DialCallSid": "CA" + "c" * 32,
    }
    status, _ = await post(api, _path(dial_action), {**parent, **dialled}, url=dial_action)
    assert status == 200
    final = {**parent, "CallStatus": "completed", "CallDuration": "70"}
    status, _ = await post(api, _path(status_callback), final, url=status_callback)
    assert status == 200

    calls = (await api.get("/api/v1/calls?connector=tw"))["items"]
    assert shapes(calls, "direction", "outcome", "number", "extension") == [
        ("inbound", "missed", CLIENT, None),
        ("outbound", "answered", CLIENT, "101"),
    ]
    returned = (await api.get("/api/v1/callback-cases?status=returned"))["items"]
    assert [(c["id"], c["returned_by"]) for c in returned] == [(opened[0]["id"], ivan["id"])]


async def test_a_wrong_token_is_unavailable(
    twilio_api: TwilioApi, aiohttp_client: Any, db_url: str
) -> None:
    ours = account(account_sid=SID, caller_id=OUR_NUMBER, api_base=twilio_api.url)
    config = ours.model_copy(update={"auth_token": SecretStr("not-ours")})
    settings = make_settings(db_url, connectors={"tw": config})
    api = Api(await aiohttp_client(create_app(settings)), ADMIN_TOKEN, HOOK_SECRET)
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    status, body = await api.call(
        "POST", "/api/v1/calls/originate", {"manager_id": ivan["id"], "number": CLIENT}
    )
    assert status == 503, body
    assert body["error"]["message"].startswith("tw: Twilio refused the call")
    assert twilio_api.created == []
