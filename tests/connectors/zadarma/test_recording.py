"""A Zadarma call's recording: NOTIFY_OUT_END names it (``is_recorded``, ``call_id_with_rec``);
``GET /api/v1/calls/{id}/recording`` asks a stand-in of Zadarma's user API for a link
(``/v1/pbx/record/request/``, signed as Zadarma checks it) and redirects there."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from tests.connectors.service import service
from tests.connectors.zadarma.payloads import (
    KEY,
    account,
    callback,
    missed_call,
    notify,
    signed_query,
    unauthorised,
)
from tests.support.api import Api
from tests.support.recordings import only_call, play, token
from tests.support.stand_in import StandIn, serving

RECORDED = "1700000000.123"  # callback()'s call_id_with_rec


@dataclass
class ZadarmaRecords(StandIn):
    """``pbx/record/request`` as Zadarma answers it: a link to a file it then serves."""

    asked: list[dict[str, str]] = field(default_factory=list)
    several: bool = False

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/v1/pbx/record/request/", self._request)
        app.router.add_get("/records/{name}", self._file)

    async def _request(self, request: web.Request) -> web.Response:
        params = signed_query(request)
        if params is None:
            return unauthorised()
        self.asked.append(params)
        if params.get("call_id") != RECORDED:
            return web.json_response({"status": "error", "message": "Record not found"})
        link = f"{self.url}/records/{RECORDED}.mp3"
        if self.several:
            return web.json_response({"status": "success", "links": [link, link + "?part=2"]})
        return web.json_response({"status": "success", "link": link, "lifetime_till": "x"})

    async def _file(self, request: web.Request) -> web.Response:
        return web.Response(body=b"ID3-zadarma", content_type="audio/mpeg")


@pytest.fixture
async def records() -> AsyncIterator[ZadarmaRecords]:
    async for stand_in in serving(ZadarmaRecords()):
        yield stand_in


@pytest.fixture
async def api(records: ZadarmaRecords, aiohttp_client: Any, db_url: str) -> Api:
    return await service(aiohttp_client, db_url, zd=account(api_key=KEY, api_base=records.url))


async def test_a_recorded_call_plays_through_a_fresh_link(
    api: Api, records: ZadarmaRecords
) -> None:
    for form in callback("out-1"):
        assert (await notify(api, form))[0] == 200
    call = await only_call(api, "zd")
    assert call["recording_url"] == f"zadarma:recording:{RECORDED}"
    assert call["recording"] == f"/api/v1/calls/{call['id']}/recording"

    played = await play(api, call["id"])
    assert played.status == 302, played
    assert played.location == f"{records.url}/records/{RECORDED}.mp3"
    assert records.asked == [{"call_id": RECORDED, "format": "json"}]
    async with api.client.session.get(played.location) as response:
        assert await response.read() == b"ID3-zadarma"

    records.several = True  # a call in parts: the first is played
    assert (await play(api, call["id"])).location == f"{records.url}/records/{RECORDED}.mp3"

    # Any token that may list the calls may hear them; a PBX's may not; none is 401.
    assert (await play(api, call["id"], token=await token(api, "viewer"))).status == 302
    assert (await play(api, call["id"], token=await token(api, "manager"))).status == 302
    assert (await play(api, call["id"], token=await token(api, "pbx"))).status == 403
    assert (await play(api, call["id"], token="")).status == 401
    assert len(records.asked) == 4


async def test_no_recording_is_404_and_a_vendor_away_is_503(
    api: Api, records: ZadarmaRecords, aiohttp_client: Any, db_url: str
) -> None:
    for form in missed_call("in-1"):
        assert (await notify(api, form))[0] == 200
    call = await only_call(api, "zd")
    assert call["recording"] is None
    played = await play(api, call["id"])
    assert played.status == 404
    assert played.error() == f"call {call['id']} has no recording"
    assert (await play(api, 999_999)).status == 404
    assert records.asked == []

    for form in callback("out-1"):
        await notify(api, {**form, "call_id_with_rec": "1700000000.999"})
    recorded = (await api.get("/api/v1/calls?connector=zd&direction=outbound"))["items"][0]
    gone = await play(api, recorded["id"])
    assert gone.status == 404
    assert "Record not found" in gone.error()

    await records.close()
    away = await play(api, recorded["id"])
    assert away.status == 503
    assert "Zadarma's API could not be reached" in away.error()


async def test_a_wrong_key_or_no_key_is_503(
    records: ZadarmaRecords, aiohttp_client: Any, db_url: str
) -> None:
    wrong = await service(
        aiohttp_client, db_url, zd=account(api_key="not-ours", api_base=records.url)
    )
    for form in callback("out-1"):
        await notify(wrong, form)
    call = await only_call(wrong, "zd")
    refused = await play(wrong, call["id"])
    assert refused.status == 503
    assert "Not authorized" in refused.error()
    assert records.asked == []
