"""A Mango call's recording: ``events/recording`` (Completed) names it; ``GET
/api/v1/calls/{id}/recording`` asks a stand-in of Mango's API (``queries/recording/post``, key
and sign checked as Mango checks them) and passes on its redirect, or streams the audio it
answers with."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from connectors.mango import MangoSettings
from tests.connectors.mango.payloads import KEY, SALT, T0, account, event, leg
from tests.connectors.service import service
from tests.support.api import Api
from tests.support.recordings import only_call, play, token
from tests.support.stand_in import StandIn, serving

AUDIO = b"ID3" + bytes(range(256)) * 600  # larger than one chunk
RECORDING = "MToxMDE2MDk6MTIzNDU2Nzg5OjA="


@dataclass
class MangoRecords(StandIn):
    """``queries/recording/post`` answering with a redirect to a file (``redirect``) or with
    the audio itself; a recording it does not know is Mango's JSON result."""

    asked: list[dict[str, Any]] = field(default_factory=list)
    redirect: bool = True

    @property
    def url(self) -> str:
        return super().url + "/vpbx"

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/vpbx/queries/recording/post", self._query)
        app.router.add_get("/files/{name}", self._file)

    async def _query(self, request: web.Request) -> web.StreamResponse:
        form = {k: str(v) for k, v in (await request.post()).items()}
        expected = hashlib.sha256((KEY + form.get("json", "") + SALT).encode()).hexdigest()
        if form.get("vpbx_api_key") != KEY or form.get("sign") != expected:
            return web.json_response({"result": 3102}, status=401)
        query = json.loads(form["json"])
        self.asked.append(query)
        if query.get("recording_id") != RECORDING:
            return web.json_response({"result": 3100})
        if self.redirect:
            raise web.HTTPFound(f"{super().url}/files/{RECORDING}.mp3")
        return web.Response(body=AUDIO, content_type="audio/mpeg")

    async def _file(self, request: web.Request) -> web.Response:
        return web.Response(body=AUDIO, content_type="audio/mpeg")


@pytest.fixture
async def records() -> AsyncIterator[MangoRecords]:
    async for stand_in in serving(MangoRecords()):
        yield stand_in


@pytest.fixture
async def api(records: MangoRecords, aiohttp_client: Any, db_url: str) -> Api:
    return await service(aiohttp_client, db_url, mg=account(api_url=records.url))


async def answered_and_recorded(api: Api, entry: str, recording: str | None) -> dict[str, Any]:
    """101 answers the client's call; Mango reports the leg's recording when ``recording``."""
    for path, body in (
        leg(entry, "L1", 1, "Appeared"),
        leg(entry, "L1", 2, "Connected"),
        leg(entry, "L1", 3, "Disconnected", disconnect_reason=1100),
    ):
        assert (await event(api, path, body))[0] == 200
    if recording is not None:
        done = {
            "entry_id": entry,
            "call_id": "L1",
            "extension": "101",
            "recording_id": recording,
            "recording_state": "Completed",
            "timestamp": T0 + 4,
            "completion_code": 1000,
        }
        assert (await event(api, "events/recording", done))[0] == 200
    return await only_call(api, "mg", entry)


async def test_a_recorded_call_plays_by_redirect_or_streamed(
    api: Api, records: MangoRecords
) -> None:
    call = await answered_and_recorded(api, "e1", RECORDING)
    assert call["recording_url"] == f"mango:recording:{RECORDING}"
    assert call["recording"] == f"/api/v1/calls/{call['id']}/recording"

    played = await play(api, call["id"])
    assert played.status == 302, played
    assert played.location == f"{records.url.removesuffix('/vpbx')}/files/{RECORDING}.mp3"
    assert records.asked == [{"recording_id": RECORDING, "action": "play"}]

    records.redirect = False
    played = await play(api, call["id"], token=await token(api, "viewer"))
    assert played.status == 200, played
    assert played.content_type == "audio/mpeg"
    assert played.body == AUDIO
    assert (await play(api, call["id"], token=await token(api, "pbx"))).status == 403


async def test_no_recording_is_404_and_a_vendor_away_is_503(
    api: Api, records: MangoRecords, aiohttp_client: Any, db_url: str
) -> None:
    call = await answered_and_recorded(api, "e1", None)
    assert call["recording"] is None
    assert (await play(api, call["id"])).status == 404

    other = await service(aiohttp_client, db_url, mg=account(api_url=records.url))
    call = await answered_and_recorded(other, "e2", "unknown-recording")
    unknown = await play(other, call["id"])
    assert unknown.status == 404
    assert "3100" in unknown.error()

    wrong = MangoSettings(type="mango", api_key="not-ours", api_salt=SALT, api_url=records.url)
    refused = await service(aiohttp_client, db_url, mg=wrong)
    assert (await play(refused, call["id"])).status == 503

    await records.close()
    away = await play(other, call["id"])
    assert away.status == 503
    assert "Mango's API could not be reached" in away.error()
