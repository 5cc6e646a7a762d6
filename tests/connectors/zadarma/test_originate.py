"""Click-to-call on Zadarma: ``POST /api/v1/calls/originate`` sends a signed
``GET /v1/request/callback/`` to a stand-in of Zadarma's user API, which checks the signature
the way Zadarma does; the call Zadarma then places is reported as the extension's outgoing call
(NOTIFY_OUT_START / NOTIFY_OUT_END) and returns the client's open case."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from hub.bootstrap.originate import ORIGINATOR
from tests.connectors.service import service, shapes
from tests.connectors.zadarma.payloads import (
    CLIENT,
    KEY,
    account,
    callback,
    missed_call,
    notify,
    signed_query,
    unauthorised,
)
from tests.support.api import Api
from tests.support.stand_in import StandIn, serving


@dataclass
class ZadarmaApi(StandIn):
    """A stand-in of ``api.zadarma.com``: ``request/callback`` with its signature checked."""

    received: list[dict[str, str]] = field(default_factory=list)
    refuse: str | None = None

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/v1/request/callback/", self._callback)

    async def _callback(self, request: web.Request) -> web.Response:
        params = signed_query(request)
        if params is None:
            return unauthorised()
        self.received.append(params)
        if self.refuse:
            return web.json_response({"status": "error", "message": self.refuse})
        answer = {"status": "success", "from": params["from"], "to": params["to"], "time": 1}
        return web.json_response(answer)


@pytest.fixture
async def zadarma() -> AsyncIterator[ZadarmaApi]:
    async for stand_in in serving(ZadarmaApi()):
        yield stand_in


@pytest.fixture
async def api(zadarma: ZadarmaApi, aiohttp_client: Any, db_url: str) -> Api:
    return await service(aiohttp_client, db_url, zd=account(api_key=KEY, api_base=zadarma.url))


def test_the_signature_matches_the_documented_vector() -> None:
    """The known vector of Zadarma's webhooks: the same base64-of-hex HMAC-SHA1."""
    digest = hmac.new(
        b"zadarma-api-secret",
        b"+34600111222+349871234562026-07-23 09:00:00",
        hashlib.sha1,
    ).hexdigest()
    assert (
        base64.b64encode(digest.encode())
        == b"ZGE1ZTQwZWMwOTNhYTI3MzkyYjgwZWNmZDQwZWYwMzQ0YWMzMGQ2Ng=="
    )


async def test_callback_request_and_the_call_it_places(api: Api, zadarma: ZadarmaApi) -> None:
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    card = {"name": "Ромашка", "manager_id": ivan["id"], "phones": [f"+{CLIENT}"]}
    await api.post("/api/v1/clients", card)
    for form in missed_call("in-1"):
        assert (await notify(api, form))[0] == 200
    opened = (await api.get("/api/v1/callback-cases?status=open"))["items"]
    assert [c["number"] for c in opened] == [f"+{CLIENT}"]
    assert api.app[ORIGINATOR].available

    status, result = await api.call(
        "POST", "/api/v1/calls/originate", {"manager_id": ivan["id"], "number": f"+{CLIENT}"}
    )
    assert status == 202, result
    assert result == {
        "connector": "zd",
        "manager_id": ivan["id"],
        "number": f"+{CLIENT}",
        "request_id": None,
    }
    assert zadarma.received == [{"from": "101", "to": CLIENT, "sip": "101", "format": "json"}]

    # Zadarma rings 101, then dials the client: the extension's outgoing call, five minutes
    # after the missed one.
    for form in callback("out-1"):
        form = {**form, "call_start": "2026-11-23 10:05:00"}
        assert (await notify(api, form))[0] == 200
    calls = (await api.get("/api/v1/calls?connector=zd"))["items"]
    assert shapes(calls, "direction", "outcome", "number", "extension") == [
        ("inbound", "missed", f"+{CLIENT}", None),
        ("outbound", "answered", f"+{CLIENT}", "101"),
    ]
    returned = (await api.get("/api/v1/callback-cases?status=returned"))["items"]
    assert [(c["id"], c["returned_by"]) for c in returned] == [(opened[0]["id"], ivan["id"])]


async def test_a_refusal_is_unavailable_and_a_wrong_key_never_passes(
    api: Api, zadarma: ZadarmaApi, aiohttp_client: Any, db_url: str
) -> None:
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    zadarma.refuse = "Not enough money"
    status, body = await api.call(
        "POST", "/api/v1/calls/originate", {"manager_id": ivan["id"], "number": f"+{CLIENT}"}
    )
    assert status == 503, body
    assert body["error"]["message"] == "zd: Zadarma refused the callback: Not enough money"

    wrong = await service(
        aiohttp_client, db_url, zd=account(api_key="not-ours", api_base=zadarma.url)
    )
    status, body = await wrong.call(
        "POST", "/api/v1/calls/originate", {"manager_id": ivan["id"], "number": f"+{CLIENT}"}
    )
    assert status == 503, body
    assert "Not authorized" in body["error"]["message"]
    assert len(zadarma.received) == 1  # only the signed request got through
