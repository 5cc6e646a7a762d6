"""A Twilio call's recording: with ``record = true`` our ``<Dial>`` records and names our
``recording`` hook; the recording status callback (signed like every Twilio request) stores its
``RecordingUrl``; ``GET /api/v1/calls/{id}/recording`` fetches ``<RecordingUrl>.mp3`` from a
stand-in of Twilio's API, which wants the account's basic auth, and streams it through."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from connectors.twilio.client import TwilioCalls
from hub.domain.originate import OriginateRequest
from tests.connectors.service import service
from tests.connectors.twilio.payloads import (
    CLIENT,
    OUR_NUMBER,
    TOKEN,
    account,
    action,
    call,
    missed,
    post,
)
from tests.support.api import Api
from tests.support.recordings import only_call, play, token
from tests.support.stand_in import StandIn, serving

SID = "AC" + "a" * 32
CALL = "CA" + "c" * 32
RECORDING = "RE" + "d" * 32
AUDIO = b"ID3-twilio" + bytes(range(256)) * 300


@dataclass
class TwilioMedia(StandIn):
    """Recordings' media as ``api.twilio.com`` serves it: basic auth of the account."""

    fetched: list[str] = field(default_factory=list)

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/2010-04-01/Accounts/{sid}/Recordings/{name}", self._media)

    async def _media(self, request: web.Request) -> web.Response:
        expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
        if request.headers.get("Authorization") != expected or request.match_info["sid"] != SID:
            return web.json_response({"code": 20003, "message": "Authenticate"}, status=401)
        self.fetched.append(request.match_info["name"])
        if request.match_info["name"] != f"{RECORDING}.mp3":
            return web.json_response({"code": 20404, "message": "not found"}, status=404)
        return web.Response(body=AUDIO, content_type="audio/mpeg")

    def recording_url(self, sid: str = RECORDING) -> str:
        return f"{self.url}/2010-04-01/Accounts/{SID}/Recordings/{sid}"


@pytest.fixture
async def media() -> AsyncIterator[TwilioMedia]:
    async for stand_in in serving(TwilioMedia()):
        yield stand_in


@pytest.fixture
async def api(media: TwilioMedia, aiohttp_client: Any, db_url: str) -> Api:
    config = account(record=True, api_base=media.url)
    return await service(aiohttp_client, db_url, tw=config)


async def directory(api: Api) -> None:
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    card = {"name": "Ромашка", "manager_id": ivan["id"], "phones": [CLIENT]}
    await api.post("/api/v1/clients", card)


async def answered_and_recorded(api: Api, media: TwilioMedia, recording: str) -> dict[str, Any]:
    """The client calls, 101 answers and talks; Twilio reports the recording at ``recording``."""
    await directory(api)
    status, twiml = await post(api, "/api/v1/hooks/tw/voice", call(CALL))
    assert status == 200
    assert 'record="record-from-answer-dual"' in twiml, twiml
    assert 'recordingStatusCallback="/api/v1/hooks/tw/recording"' in twiml
    answered = {**call(CALL), "DialCallStatus": "completed", "DialCallDuration": "30"}
    assert (await post(api, action(twiml), answered))[0] == 200
    assert (await post(api, "/api/v1/hooks/tw/status", {**call(CALL), "CallStatus": "completed"}))[
        0
    ] == 200
    report = {
        "AccountSid": SID,
        "CallSid": CALL,
        "RecordingSid": recording.rsplit("/", 1)[-1],
        "RecordingUrl": recording,
        "RecordingStatus": "completed",
        "RecordingDuration": "30",
        "RecordingChannels": "2",
        "RecordingSource": "DialVerb",
    }
    status, body = await post(api, "/api/v1/hooks/tw/recording", report)
    assert status == 200, body
    return await only_call(api, "tw", CALL)


async def test_a_recorded_call_is_streamed_with_the_accounts_auth(
    api: Api, media: TwilioMedia
) -> None:
    found = await answered_and_recorded(api, media, media.recording_url())
    assert (found["outcome"], found["extension"], found["number"]) == ("answered", "101", CLIENT)
    assert found["recording_url"] == f"twilio:recording:{media.recording_url()}"
    assert found["recording"] == f"/api/v1/calls/{found['id']}/recording"

    played = await play(api, found["id"], token=await token(api, "manager"))
    assert played.status == 200, played
    assert (played.content_type, played.body) == ("audio/mpeg", AUDIO)
    assert media.fetched == [f"{RECORDING}.mp3"]
    assert (await play(api, found["id"], token=await token(api, "pbx"))).status == 403

    await media.close()
    away = await play(api, found["id"])
    assert away.status == 503
    assert "Twilio's API could not be reached" in away.error()


async def test_a_wrong_signature_stores_nothing_and_no_recording_is_404(
    api: Api, media: TwilioMedia
) -> None:
    await directory(api)
    await missed(api, CALL)
    found = await only_call(api, "tw", CALL)
    assert found["recording"] is None
    played = await play(api, found["id"])
    assert (played.status, played.error()) == (404, f"call {found['id']} has no recording")

    report = {"CallSid": CALL, "RecordingSid": RECORDING, "RecordingUrl": media.recording_url()}
    status, _ = await post(api, "/api/v1/hooks/tw/recording", report, signature="bad")
    assert status == 401
    assert (await only_call(api, "tw", CALL))["recording"] is None
    assert media.fetched == []


async def test_credentials_go_only_to_the_api_and_a_deleted_recording_is_404(
    api: Api, media: TwilioMedia
) -> None:
    found = await answered_and_recorded(api, media, media.recording_url("RE" + "e" * 32))
    deleted = await play(api, found["id"])
    assert deleted.status == 404
    assert "Twilio has no such recording" in deleted.error()

    elsewhere = "https://media.example.net/2010-04-01/Accounts/AC1/Recordings/" + RECORDING
    report = {"CallSid": CALL, "RecordingSid": RECORDING, "RecordingUrl": elsewhere}
    assert (await post(api, "/api/v1/hooks/tw/recording", report))[0] == 200
    refused = await play(api, found["id"])
    assert refused.status == 503
    assert "not sent there" in refused.error()


async def test_click_to_call_records_too() -> None:
    config = account(record=True, account_sid=SID, caller_id=OUR_NUMBER)
    async with aiohttp.ClientSession() as session:
        line = TwilioCalls("tw", config, session, "https://dozvon.example.com/api/v1/hooks/tw")
        mark = "dz-101-79031112233-ab12"
        twiml = line.twiml(OriginateRequest(extension="101", number=CLIENT, mobile=None, mark=mark))
    assert 'record="record-from-answer-dual"' in twiml
    assert (
        'recordingStatusCallback="https://dozvon.example.com/api/v1/hooks/tw/recording?dz='
        f'{mark}"' in twiml
    )
