"""``POST /api/v1/calls/originate`` without a PBX that can place it, and with input it refuses:
each answer names what is wrong, and nothing is audited."""

from __future__ import annotations

from typing import Any

import pytest

from hub.bootstrap.originate import ORIGINATOR, can_call
from tests.support.api import Api

PATH = "/api/v1/calls/originate"


async def test_without_a_pbx_click_to_call_is_unavailable(api: Api) -> None:
    assert not api.app[ORIGINATOR].available
    assert not can_call(api.app)
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    status, body = await api.call(
        "POST", PATH, {"manager_id": ivan["id"], "number": "+79161234567"}
    )
    assert status == 503, body
    assert body["error"] == {
        "code": "unavailable",
        "message": "no PBX connector is set up for click-to-call",
    }
    assert (await api.get("/api/v1/audit?entity=call"))["items"] == []


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("anonymous", "is empty or a withheld number"),
        ("102", "is an internal extension, not a client's number"),
        ("+7 123", "is not a valid phone number"),
    ],
)
async def test_a_number_that_is_not_a_clients_is_refused(
    api: Api, number: str, problem: str
) -> None:
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    status, body = await api.call("POST", PATH, {"manager_id": ivan["id"], "number": number})
    assert status == 400, body
    assert body["error"]["field"] == "number"
    assert body["error"]["message"] == f"number {number!r} {problem}"


async def test_the_manager_must_exist_and_have_an_extension(api: Api) -> None:
    status, body = await api.call("POST", PATH, {"manager_id": 999, "number": "+79161234567"})
    assert (status, body["error"]["field"]) == (400, "manager_id")
    assert body["error"]["message"] == "manager 999 does not exist"
    olga = await api.post("/api/v1/managers", {"name": "Ольга"})
    status, body = await api.call(
        "POST", PATH, {"manager_id": olga["id"], "number": "+79161234567"}
    )
    assert status == 400, body
    assert body["error"]["field"] == "manager_id"
    assert "has no extension" in body["error"]["message"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"number": "+79161234567"}, "manager_id"),
        ({"manager_id": "1", "number": "+79161234567"}, "manager_id"),
        ({"manager_id": 1}, "number"),
        ({"manager_id": 1, "number": 79161234567}, "number"),
        ({"manager_id": 1, "number": "+79161234567", "extra": 1}, "extra"),
    ],
)
async def test_a_malformed_body_names_the_field(
    api: Api, payload: dict[str, Any], field: str
) -> None:
    status, body = await api.call("POST", PATH, payload)
    assert status == 400, body
    assert body["error"]["field"] == field


async def test_who_may_ask(api: Api) -> None:
    manager = (await api.post("/api/v1/tokens", {"name": "olga", "role": "manager"}))["token"]
    viewer = (await api.post("/api/v1/tokens", {"name": "bi", "role": "viewer"}))["token"]
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    body = {"manager_id": ivan["id"], "number": "+79161234567"}
    assert (await api.call("POST", PATH, body, token=manager))[0] == 503  # allowed; no PBX
    assert (await api.call("POST", PATH, body, token=viewer))[0] == 403
    assert (await api.call("POST", PATH, body, token="nonsense"))[0] == 401


async def test_listed_in_the_openapi_document(api: Api) -> None:
    document = await api.get("/api/v1/openapi.json")
    operation = document["paths"][PATH]["post"]
    assert "202" in operation["responses"]
    assert operation["tags"] == ["calls"]
