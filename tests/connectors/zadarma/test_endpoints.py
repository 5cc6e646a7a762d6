"""Zadarma / Novofon end to end: signed NOTIFY_* forms through real HTTP, routing answers, calls,
callback cases; retries and reordering; refused input; mutated payloads."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.zadarma import sign, signed_string
from tests.connectors.service import service, shapes
from tests.connectors.zadarma.payloads import (
    CLIENT,
    DID,
    SECRET,
    START,
    account,
    callback,
    missed_call,
    notify,
)
from tests.support.api import Api
from tests.support.fuzzing import FUZZ, mutate


@pytest.fixture
async def api(aiohttp_client: Any, db_url: str) -> Api:
    return await service(aiohttp_client, db_url, zd=account(), zd2=account(return_timeout=0))


async def _directory(api: Api) -> dict[str, Any]:
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    client = await api.post(
        "/api/v1/clients", {"name": "ООО Ромашка", "manager_id": ivan["id"], "phones": [CLIENT]}
    )
    await api.post("/api/v1/lists/blacklist/entries", {"number": "+79990000000"})
    return {"ivan": ivan, "client": client}


async def test_url_check_echoes(api: Api) -> None:
    async with api.client.get("/api/v1/hooks/zd?zd_echo=a1b2c3") as response:
        assert response.status == 200
        assert await response.text() == "a1b2c3"


async def test_routing_missed_call_case_and_its_return(api: Api) -> None:
    people = await _directory(api)
    first, *rest = missed_call("in-1")
    status, answer = await notify(api, first)
    assert (status, answer) == (200, {"redirect": "101", "return_timeout": 20})
    for form in rest:
        assert (await notify(api, form))[0] == 200
    calls = (await api.get("/api/v1/calls?number=%2B79031112233"))["items"]
    assert [(c["connector"], c["call_id"], c["outcome"], c["missed"]) for c in calls] == [
        ("zd", "in-1", "missed", True)
    ]
    assert calls[0]["client_id"] == people["client"]["id"]
    assert calls[0]["started_at"] == "2026-11-23T07:00:00+00:00"  # account time (Moscow) → UTC
    cases = (await api.get("/api/v1/callback-cases?status=open"))["items"]
    assert [(c["number"], c["manager_id"]) for c in cases] == [
        ("+79031112233", people["ivan"]["id"])
    ]

    for form in callback("out-1"):
        assert (await notify(api, form))[0] == 200
    returned = (await api.get("/api/v1/callback-cases?status=returned"))["items"]
    assert [(c["id"], c["returned_by"]) for c in returned] == [
        (cases[0]["id"], people["ivan"]["id"])
    ]
    outbound = (await api.get("/api/v1/calls?direction=outbound"))["items"]
    assert [(c["outcome"], c["extension"], c["recording_url"]) for c in outbound] == [
        ("answered", "101", "zadarma:recording:1700000000.123")
    ]
    assert calls[0]["recording_url"] is None  # is_recorded=0


async def test_routing_answers_for_lists_unknown_numbers_and_no_return(api: Api) -> None:
    await _directory(api)
    base = {"call_start": START, "called_did": DID}
    _, answer = await notify(
        api, {"event": "NOTIFY_START", "pbx_call_id": "b", "caller_id": "79990000000", **base}
    )
    assert answer == {"redirect": "blacklist"}
    _, answer = await notify(
        api, {"event": "NOTIFY_START", "pbx_call_id": "u", "caller_id": "79161112233", **base}
    )
    assert answer == {}
    _, answer = await notify(
        api,
        {"event": "NOTIFY_START", "pbx_call_id": "c", "caller_id": CLIENT, **base},
        name="zd2",
    )
    assert answer == {"redirect": "101"}


def _shape(calls: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return shapes(calls, "direction", "status", "outcome", "from", "to", "client_id", "extension")


async def test_retries_and_reordering_give_the_same_calls(api: Api) -> None:
    await _directory(api)
    clean = [*missed_call("m"), *callback("o")]
    for form in clean:
        await notify(api, form)
    messy = [*missed_call("m"), *callback("o")] * 2  # every event twice...
    random.Random(3).shuffle(messy)  # ...in any order
    for form in messy:
        await notify(api, form, name="zd2")
    calls = (await api.get("/api/v1/calls"))["items"]
    by_connector = {
        name: _shape([c for c in calls if c["connector"] == name]) for name in ("zd", "zd2")
    }
    assert by_connector["zd"] == by_connector["zd2"]
    assert len(by_connector["zd"]) == 2


async def test_refused_input_changes_nothing(api: Api) -> None:
    await _directory(api)
    start = missed_call("x")[0]
    status, body = await notify(api, start, signature="bm90IGl0")
    assert status == 401 and body["error"]["code"] == "bad_signature"
    status, body = await notify(api, start, signature="")
    assert status == 401
    broken = {k: v for k, v in missed_call("x")[2].items() if k != "pbx_call_id"}
    status, body = await notify(api, broken)
    assert (status, body["error"]["field"]) == (400, "pbx_call_id")
    status, body = await notify(api, {**missed_call("x")[2], "call_start": "yesterday"})
    assert (status, body["error"]["field"]) == (400, "call_start")
    status, body = await notify(api, {**missed_call("x")[2], "duration": "-5"})
    assert (status, body["error"]["field"]) == (400, "duration")
    status, body = await notify(api, {**missed_call("x")[2], "is_recorded": "yes"})
    assert (status, body["error"]["field"]) == (400, "is_recorded")
    recorded = {**missed_call("x")[2], "is_recorded": "1", "call_id_with_rec": "1/../x"}
    status, body = await notify(api, recorded)
    assert (status, body["error"]["field"]) == (400, "call_id_with_rec")
    status, body = await notify(api, {"event": "NOTIFY_X", "pbx_call_id": "x"})
    assert (status, body) == (200, {})
    assert (await api.get("/api/v1/calls"))["items"] == []


VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "101",
            "+",
            "anonymous",
            "7\x00",
            "x\x00y",
            "2026-13-45 99:99:99",
            "x" * 300,
        ]
    ),
)


@FUZZ
@given(data=st.data())
async def test_mutated_payloads_never_break_the_service(api: Api, data: st.DataObject) -> None:
    form = mutate(data, data.draw(st.sampled_from([*missed_call("f"), *callback("g")])), VALUES)
    try:
        message = signed_string(form) or ""
    except Exception:
        message = ""
    async with api.client.post(
        "/api/v1/hooks/zd", data=form, headers={"Signature": sign(SECRET, message)}
    ) as response:
        assert response.status in (200, 400, 401), await response.text()
