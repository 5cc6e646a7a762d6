"""Mango Office end to end: signed events through real HTTP, asynchronous routing against a
stand-in Mango API, calls and callback cases; retries and reordering; refused input; fuzz."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from hypothesis import given
from hypothesis import strategies as st

from config.settings import MangoConnector
from connectors.mango import command_form, sign
from hub.app import create_app
from tests.support.api import Api, settled
from tests.support.fuzzing import FUZZ, mutate
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.telegram_stub import until

KEY = "mango-api-key"
SALT = "mango-salt"
CLIENT = "79031112233"
LINE = "74950001122"
T0 = int(time.time()) - 600


@pytest.fixture
async def mango_api() -> AsyncIterator[tuple[list[dict[str, Any]], TestServer]]:
    """A stand-in for Mango's API: records each commands/route request (form and JSON)."""
    received: list[dict[str, Any]] = []

    async def route(request: web.Request) -> web.Response:
        form = dict(await request.post())
        received.append({**form, "command": json.loads(str(form["json"]))})
        return web.json_response({"result": 1000})

    app = web.Application()
    app.router.add_post("/vpbx/commands/route", route)
    server = TestServer(app)
    await server.start_server()
    yield received, server
    await server.close()


@pytest.fixture
async def api(mango_api: Any, aiohttp_client: Any, db_url: str) -> Api:
    base = str(mango_api[1].make_url("/vpbx"))
    settings = make_settings(
        db_url,
        connectors={
            "mg": MangoConnector(
                type="mango", api_key=KEY, api_salt=SALT, api_url=base, route_calls=True
            ),
            "mg2": MangoConnector(type="mango", api_key=KEY, api_salt=SALT, api_url=base),
        },
    )
    client = await aiohttp_client(create_app(settings))
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


async def event(
    api: Api,
    path: str,
    body: Any,
    *,
    name: str = "mg",
    key: str = KEY,
    salt: str = SALT,
    raw: bool = False,
) -> tuple[int, Any]:
    """Post ``body`` signed as Mango does (or, ``raw``, the form exactly as given)."""
    form = body if raw else command_form(key, salt, body)
    async with api.client.post(f"/api/v1/hooks/{name}/{path}", data=form) as response:
        status, payload = response.status, await response.json()
    if status == 200:
        await settled(api.app)
    return status, payload


def leg(entry: str, leg_id: str, seq: int, state: str, **extra: Any) -> tuple[str, dict[str, Any]]:
    body = {
        "entry_id": entry,
        "call_id": leg_id,
        "timestamp": T0 + seq,
        "seq": seq,
        "call_state": state,
        "location": "abonent",
        "from": {"number": CLIENT},
        "to": {"extension": "101", "number": LINE},
        **extra,
    }
    return "events/call", body


def missed_call(entry: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        leg(entry, "L1", 1, "Appeared", location="ivr", to={"number": LINE}),
        leg(entry, "L2", 2, "Appeared"),
        leg(entry, "L2", 3, "Disconnected", disconnect_reason=1110),
        (
            "events/summary",
            {
                "entry_id": entry,
                "call_direction": 1,
                "from": {"number": CLIENT},
                "to": {"extension": "101", "number": LINE},
                "line_number": LINE,
                "create_time": T0 + 1,
                "forward_time": T0 + 2,
                "talk_time": 0,
                "end_time": T0 + 30,
                "entry_result": 0,
                "disconnect_reason": 1110,
            },
        ),
    ]


def callback(entry: str) -> list[tuple[str, dict[str, Any]]]:
    out = {"from": {"extension": "101", "number": "101"}, "to": {"number": CLIENT}}
    return [
        leg(entry, "O1", 1, "Appeared", **out, timestamp=T0 + 100),
        leg(entry, "O1", 2, "Connected", **out, timestamp=T0 + 105),
        (
            "events/recording",
            {
                "entry_id": entry,
                "call_id": "O1",
                "recording_id": "REC-42",
                "recording_state": "Completed",
                "extension": "101",
                "timestamp": T0 + 140,
            },
        ),
        (
            "events/summary",
            {
                "entry_id": entry,
                "call_direction": 2,
                **out,
                "create_time": T0 + 100,
                "forward_time": T0 + 100,
                "talk_time": T0 + 105,
                "end_time": T0 + 140,
                "entry_result": 1,
            },
        ),
    ]


async def _directory(api: Api) -> int:
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    card = {"name": "Ромашка", "manager_id": ivan["id"], "phones": [CLIENT]}
    await api.post("/api/v1/clients", card)
    return int(ivan["id"])


async def test_route_command_missed_call_case_and_return(api: Api, mango_api: Any) -> None:
    ivan = await _directory(api)
    for path, body in missed_call("E1"):
        assert (await event(api, path, body)) == (200, {})
    received = mango_api[0]
    await until(lambda: len(received) == 1)
    assert received[0]["command"]["call_id"] == "L1"
    assert received[0]["command"]["to_number"] == "101"
    assert received[0]["sign"] == sign(KEY, str(received[0]["json"]), SALT)
    calls = (await api.get("/api/v1/calls"))["items"]
    assert [(c["connector"], c["call_id"], c["outcome"]) for c in calls] == [
        ("mg", "E1", "abandoned")
    ]
    case = (await api.get("/api/v1/callback-cases?status=open"))["items"][0]
    assert (case["number"], case["manager_id"]) == ("+" + CLIENT, ivan)

    for path, body in callback("E2"):
        assert (await event(api, path, body))[0] == 200
    returned = (await api.get("/api/v1/callback-cases?status=returned"))["items"]
    assert [(c["id"], c["returned_by"]) for c in returned] == [(case["id"], ivan)]
    outbound = (await api.get("/api/v1/calls?direction=outbound"))["items"][0]
    recording = "mango:recording:REC-42"
    assert (outbound["outcome"], outbound["recording_url"]) == ("answered", recording)
    assert await event(api, "result/route", {"command_id": "x", "result": 1000}) == (200, {})
    await asyncio.sleep(0.2)
    assert len(received) == 1  # routed once per call, and only where it is switched on


def _shape(calls: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    keys = ("direction", "outcome", "from", "to", "client_id", "extension", "recording_url")
    return sorted(tuple(c[k] for k in keys) for c in calls)


async def test_retries_and_reordering_give_the_same_calls(api: Api) -> None:
    await _directory(api)
    clean = [*missed_call("E1"), *callback("E2")]
    for path, body in clean:
        await event(api, path, body, name="mg2")
    for order in range(3):
        messy = clean * 2  # every event twice...
        random.Random(order).shuffle(messy)  # ...summaries before legs, recordings before both
        for path, body in messy:
            await event(api, path, {**body, "entry_id": f"{body['entry_id']}-{order}"}, name="mg2")
    calls = (await api.get("/api/v1/calls"))["items"]
    clean_shape = _shape([c for c in calls if "-" not in c["call_id"]])
    for order in range(3):
        assert _shape([c for c in calls if c["call_id"].endswith(f"-{order}")]) == clean_shape
    assert [s[1] for s in clean_shape] == ["abandoned", "answered"]


async def test_refused_input_changes_nothing(api: Api) -> None:
    path, body = missed_call("E9")[1]
    assert (await event(api, path, body, key="other-key"))[0] == 401
    assert (await event(api, path, body, salt="other-salt"))[0] == 401
    form = command_form(KEY, SALT, body)
    tampered = {**form, "sign": form["sign"][:-1] + ("0" if form["sign"][-1] != "0" else "1")}
    status, answer = await event(api, path, tampered, raw=True)
    assert status == 401
    status, answer = await event(api, path, {k: v for k, v in body.items() if k != "entry_id"})
    assert (status, answer["error"]["field"]) == (400, "entry_id")
    status, answer = await event(api, path, {**body, "call_state": "Exploded"})
    assert (status, answer["error"]["field"]) == (400, "call_state")
    status, answer = await event(api, path, {**body, "timestamp": "soon"})
    assert (status, answer["error"]["field"]) == (400, "timestamp")
    status, answer = await event(api, path, {**body, "timestamp": "17²"})  # a digit to isdigit()
    assert (status, answer["error"]["field"]) == (400, "timestamp")
    bad_json = {"vpbx_api_key": KEY, "json": "{nope", "sign": sign(KEY, "{nope", SALT)}
    status, answer = await event(api, path, bad_json, raw=True)
    assert (status, answer["error"]["field"]) == (400, "json")
    assert await event(api, "events/dtmf", {"entry_id": "E9", "dtmf": "1"}) == (200, {})
    assert (await api.get("/api/v1/calls"))["items"] == []


JSONISH = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.text(max_size=20),
    st.sampled_from(["E\x00", "79031112233\x00"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["number", "extension", "x"]), st.text(max_size=8)),
)


@FUZZ
@given(data=st.data())
async def test_mutated_payloads_never_break_the_service(api: Api, data: st.DataObject) -> None:
    path, body = data.draw(st.sampled_from([*missed_call("F"), *callback("G")]))
    body = mutate(data, body, JSONISH)
    status, answer = await event(api, path, body, name="mg2")
    assert status in (200, 400), answer
