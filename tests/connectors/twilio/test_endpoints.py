"""Twilio end to end: requests signed by the official validator, TwiML answers, Dial results,
status callbacks, callback cases; retries and reordering; refused input; mutated payloads."""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.bootstrap.pipeline import BACKLOG, FOLDER, WRITER
from tests.connectors.service import service, shapes
from tests.connectors.twilio.payloads import (
    CLIENT,
    PUBLIC,
    account,
    action,
    call,
    called_back,
    missed,
    post,
)
from tests.support.api import Api
from tests.support.fuzzing import FUZZ, mutate
from tests.support.telegram_stub import until


@pytest.fixture
async def api(aiohttp_client: Any, db_url: str) -> Api:
    return await service(aiohttp_client, db_url, tw=account(), tw2=account(fallback="+74950009999"))


async def _directory(api: Api) -> dict[str, Any]:
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    await api.post(
        "/api/v1/clients", {"name": "Ромашка", "manager_id": ivan["id"], "phones": [CLIENT]}
    )
    await api.post("/api/v1/lists/blacklist/entries", {"number": "+79990000000"})
    return dict(ivan)


async def test_voice_dials_the_manager_and_a_miss_opens_then_returns_a_case(api: Api) -> None:
    ivan = await _directory(api)
    status, twiml = await post(api, "/api/v1/hooks/tw/voice", call("CA" + "a" * 32))
    assert status == 200
    assert '<Dial action="/api/v1/hooks/tw/dial-result?ext=101" timeout="20">' in twiml
    assert "<Sip>sip:101@acme.sip.twilio.com</Sip>" in twiml
    last = await missed(api, "CA" + "a" * 32)
    assert "<Hangup />" in last
    calls = (await api.get("/api/v1/calls"))["items"]
    assert [(c["connector"], c["outcome"], c["number"]) for c in calls] == [
        ("tw", "missed", CLIENT)
    ]
    case = (await api.get("/api/v1/callback-cases?status=open"))["items"][0]
    assert (case["number"], case["manager_id"]) == (CLIENT, ivan["id"])

    await called_back(api, "CA" + "b" * 32)
    returned = (await api.get("/api/v1/callback-cases?status=returned"))["items"]
    assert [(c["id"], c["returned_by"]) for c in returned] == [(case["id"], ivan["id"])]


async def test_a_dial_result_is_answered_and_kept_while_storage_is_down(api: Api) -> None:
    await _directory(api)
    sid = "CA" + "9" * 32
    _, twiml = await post(api, "/api/v1/hooks/tw2/voice", call(sid))
    await asyncio.wait_for(api.app[FOLDER].settle(), 10)
    writer = api.app[WRITER]
    await writer.stop()  # the database is out of reach for the writer
    status, last = await post(
        api,
        action(twiml),
        {**call(sid), "DialCallStatus": "no-answer", "DialCallSid": "CA" + "1" * 32},
    )
    # The caller is on the line: he still gets the fallback, not an error.
    assert (status, "<Number>+74950009999</Number>" in last) == (200, True)
    backlog = api.app[BACKLOG]
    assert len(backlog) > 0
    calls = (await api.get("/api/v1/calls"))["items"]
    assert [c["status"] for c in calls] == ["ringing"]  # what the dial result says is not in
    writer.start()
    await until(lambda: len(backlog) == 0, seconds=10)
    await asyncio.wait_for(api.app[FOLDER].settle(), 10)
    calls = (await api.get("/api/v1/calls"))["items"]
    assert [(c["status"], c["outcome"], c["number"]) for c in calls] == [
        ("ended", "missed", CLIENT)
    ]
    cases = (await api.get("/api/v1/callback-cases?status=open"))["items"]
    assert [c["number"] for c in cases] == [CLIENT]


async def test_fallback_rejection_and_default(api: Api) -> None:
    await _directory(api)
    last = await missed(api, "CA" + "c" * 32, name="tw2")
    assert "<Number>+74950009999</Number>" in last  # not answered: the fallback rings
    _, twiml = await post(api, "/api/v1/hooks/tw/voice", call("CA" + "d" * 32, "+79990000000"))
    assert "<Reject />" in twiml
    _, twiml = await post(api, "/api/v1/hooks/tw/voice", call("CA" + "e" * 32, "+79161110000"))
    assert "<Hangup />" in twiml  # an unknown number, no fallback configured
    _, twiml = await post(api, "/api/v1/hooks/tw2/voice", call("CA" + "f" * 32, "+79161110000"))
    assert "<Number>+74950009999</Number>" in twiml and "final=1" in twiml


def _shape(calls: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return shapes(calls, "direction", "status", "outcome", "from", "to", "client_id", "extension")


async def test_retries_and_reordering_give_the_same_calls(api: Api) -> None:
    await _directory(api)
    sid = "CA" + "1" * 32
    requests: list[tuple[str, dict[str, str]]] = [
        ("voice", call(sid)),
        ("dial-result?ext=101", {**call(sid), "DialCallStatus": "no-answer"}),
        ("status", {**call(sid), "CallStatus": "completed"}),
    ]
    for path, params in requests:
        await post(api, f"/api/v1/hooks/tw/{path}", params)
    messy = requests * 2
    random.Random(5).shuffle(messy)
    for path, params in messy:
        await post(api, f"/api/v1/hooks/tw2/{path}", params)
    calls = (await api.get("/api/v1/calls"))["items"]
    shapes = {n: _shape([c for c in calls if c["connector"] == n]) for n in ("tw", "tw2")}
    assert shapes["tw"] == shapes["tw2"]
    assert [s[2] for s in shapes["tw"]] == ["missed"]


async def test_refused_input_changes_nothing(api: Api) -> None:
    params = call("CA" + "9" * 32)
    status, _ = await post(api, "/api/v1/hooks/tw/voice", params, signature="bm9wZQ==")
    assert status == 401
    status, _ = await post(api, "/api/v1/hooks/tw/voice", params, signature="")
    assert status == 401
    # Signed for another URL (a replay against another endpoint).
    status, _ = await post(
        api, "/api/v1/hooks/tw/voice", params, url=PUBLIC + "/api/v1/hooks/tw/status"
    )
    assert status == 401
    # The default port form of the same URL is accepted, as Twilio's validator does.
    status, _ = await post(
        api,
        "/api/v1/hooks/tw/voice",
        params,
        url="https://dozvon.example.com:443/api/v1/hooks/tw/voice",
    )
    assert status == 200
    for broken, field in (
        ({k: v for k, v in params.items() if k != "CallSid"}, "CallSid"),
        ({**params, "To": ""}, "To"),
    ):
        status, body = await post(api, "/api/v1/hooks/tw/voice", broken)
        assert status == 400 and json.loads(body)["error"]["field"] == field
    status, body = await post(api, "/api/v1/hooks/tw/status", {**params, "CallStatus": "exploded"})
    assert status == 400 and "CallStatus" in body
    calls = (await api.get("/api/v1/calls"))["items"]
    assert all(c["outcome"] is None for c in calls)  # only the accepted ringing call


VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "completed", "no-answer", "sip:", "client:x", "+", "CA\x00", "-1", "x" * 300]
    ),
)


@FUZZ
@given(data=st.data())
async def test_mutated_payloads_never_break_the_service(api: Api, data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(["voice", "dial-result?ext=101", "status", "dial-result"]))
    params = {**call("CA" + "7" * 32), "DialCallStatus": "busy", "CallStatus": "busy"}
    params = mutate(data, params, VALUES)
    full = f"/api/v1/hooks/tw/{path}"
    status, text = await post(api, full, params)
    assert status in (200, 400), text
