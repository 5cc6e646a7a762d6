"""The dialplan's ``CURL()`` routing over HTTP: plain text answers, the ``+`` left as sent, and
the ``route_key`` when one is configured."""

from __future__ import annotations

from typing import Any

from tests.connectors.asterisk.payloads import account, start
from tests.support.api import Api


async def _directory(api: Api) -> None:
    petr = await api.post("/api/v1/managers", {"name": "Пётр", "extension": "102"})
    card = {"name": "Сидоров", "manager_id": petr["id"], "phones": ["+79990000102"]}
    await api.post("/api/v1/clients", card)
    await api.post("/api/v1/lists/blacklist/entries", {"number": "+79995550000"})


async def test_route_for_curl(api: Api) -> None:
    await _directory(api)
    # Exactly what Asterisk's CURL() sent in the recording: the '+' not encoded.
    async with api.client.get("/api/v1/hooks/ast/route?from=+79990000102&to=4951234567") as r:
        assert (r.status, r.content_type, await r.text()) == (200, "text/plain", "SIP/102")
    async with api.client.get("/api/v1/hooks/ast/route?from=89995550000&to=4951234567") as r:
        assert await r.text() == "HANGUP"
    async with api.client.get("/api/v1/hooks/ast/route?from=anonymous&to=4951234567") as r:
        assert (r.status, await r.text()) == (200, "")


async def test_a_route_key_is_asked_for_when_configured(aiohttp_client: Any, db_url: str) -> None:
    api = await start(aiohttp_client, db_url, account(1, route_key="k%ey"))
    await _directory(api)
    route = "/api/v1/hooks/ast/route?from=+79990000102&to=4951234567"
    for refused in (route, route + "&key=other"):
        async with api.client.get(refused) as r:
            assert (r.status, (await r.json())["error"]["code"]) == (401, "bad_signature")
    async with api.client.get(route + "&key=k%25ey") as r:
        assert (r.status, await r.text()) == (200, "SIP/102")
    rejected = await api.get("/api/v1/hooks/rejected")
    assert [item["connector"] for item in rejected["items"]] == ["ast", "ast"]
