"""Mango Office end to end: signed events through real HTTP, asynchronous routing against a
stand-in Mango API, calls and callback cases; retries and reordering; refused input; fuzz."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.mango import command_form, sign
from tests.connectors.mango.payloads import (
    CLIENT,
    KEY,
    SALT,
    account,
    callback,
    event,
    missed_call,
)
from tests.connectors.mango.stand_in import MangoApi
from tests.connectors.service import service, shapes
from tests.support.api import Api
from tests.support.fuzzing import FUZZ, mutate
from tests.support.telegram_stub import until


@pytest.fixture
async def api(mango_api: MangoApi, aiohttp_client: Any, db_url: str) -> Api:
    routing = account(api_url=mango_api.url, route_calls=True)
    return await service(aiohttp_client, db_url, mg=routing, mg2=account(api_url=mango_api.url))


async def _directory(api: Api) -> int:
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    card = {"name": "Ромашка", "manager_id": ivan["id"], "phones": [CLIENT]}
    await api.post("/api/v1/clients", card)
    return int(ivan["id"])


async def test_route_command_missed_call_case_and_return(api: Api, mango_api: MangoApi) -> None:
    ivan = await _directory(api)
    for path, body in missed_call("E1"):
        assert (await event(api, path, body)) == (200, {})
    received = mango_api.received
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
    # Every route command sent in the background has finished: what arrived is all there is.
    routing = [t for t in asyncio.all_tasks() if t.get_name().startswith("mango-route-")]
    await asyncio.wait_for(asyncio.gather(*routing), 10)
    assert len(received) == 1  # routed once per call, and only where it is switched on


def _shape(calls: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    keys = ("direction", "outcome", "from", "to", "client_id", "extension", "recording_url")
    return shapes(calls, *keys)


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
