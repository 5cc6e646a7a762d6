"""Click-to-call on Mango: ``POST /api/v1/calls/originate`` sends a signed ``commands/callback``
to the stand-in Mango API; the call Mango then places — the manager's extension rung first, the
client dialled once he answers, every event carrying our ``command_id`` — is the manager's
outbound call to the client and returns the client's open case."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.connectors.mango.payloads import (
    CLIENT,
    KEY,
    LINE,
    SALT,
    T0,
    Event,
    account,
    event,
    missed_call,
)
from tests.connectors.mango.payloads import leg as mango_leg
from tests.connectors.mango.stand_in import MangoApi
from tests.connectors.service import service, shapes
from tests.support.api import Api


@pytest.fixture
async def api(mango_api: MangoApi, aiohttp_client: Any, db_url: str) -> Api:
    mango_api.key, mango_api.salt = KEY, SALT
    config = account(api_url=mango_api.url, callback_line_number=LINE)
    return await service(aiohttp_client, db_url, mg=config)


def callback_call(entry: str, command_id: str) -> list[Event]:
    """What Mango reports of a ``commands/callback``: leg M rings 101's phone (from the company
    line) and is picked up; leg C dials the client, who answers; then the summary."""
    mark = {"command_id": command_id}
    manager = {"from": {"number": LINE}, "to": {"extension": "101", "number": "sip:101@acme"}}
    client = {"from": {"extension": "101", "number": LINE}, "to": {"number": CLIENT}}
    return [
        mango_leg(entry, "M", 1, "Appeared", **manager, **mark, timestamp=T0 + 100),
        mango_leg(entry, "M", 2, "Connected", **manager, **mark, timestamp=T0 + 104),
        mango_leg(entry, "C", 1, "Appeared", **client, **mark, timestamp=T0 + 104),
        mango_leg(entry, "C", 2, "Connected", **client, **mark, timestamp=T0 + 110),
        mango_leg(entry, "C", 3, "Disconnected", **client, **mark, timestamp=T0 + 150),
        mango_leg(entry, "M", 3, "Disconnected", **manager, **mark, timestamp=T0 + 150),
        (
            "events/summary",
            {
                "entry_id": entry,
                "call_direction": 2,
                **client,
                "line_number": LINE,
                "create_time": T0 + 100,
                "forward_time": T0 + 104,
                "talk_time": T0 + 110,
                "end_time": T0 + 150,
                "entry_result": 1,
            },
        ),
    ]


async def test_callback_command_and_the_call_it_places(api: Api, mango_api: MangoApi) -> None:
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    card = {"name": "Ромашка", "manager_id": ivan["id"], "phones": [f"+{CLIENT}"]}
    await api.post("/api/v1/clients", card)
    for path, body in missed_call("in-1"):
        assert (await event(api, path, body))[0] == 200
    opened = (await api.get("/api/v1/callback-cases?status=open"))["items"]
    assert [c["number"] for c in opened] == [f"+{CLIENT}"]

    status, result = await api.call(
        "POST", "/api/v1/calls/originate", {"manager_id": ivan["id"], "number": f"8{CLIENT[1:]}"}
    )
    assert status == 202, result
    command_id = result["request_id"]
    assert result == {
        "connector": "mg",
        "manager_id": ivan["id"],
        "number": f"+{CLIENT}",
        "request_id": command_id,
    }
    assert mango_api.callbacks == [
        {
            "command_id": command_id,
            "from": {"extension": "101"},
            "to_number": CLIENT,
            "line_number": LINE,
        }
    ]
    result_form = {"command_id": command_id, "result": 1000}
    assert (await event(api, "result/callback", result_form))[0] == 200

    for path, body in callback_call("cb-1", command_id):
        assert (await event(api, path, body))[0] == 200
    calls = (await api.get("/api/v1/calls?connector=mg"))["items"]
    assert shapes(calls, "direction", "outcome", "number", "extension") == [
        ("inbound", "abandoned", f"+{CLIENT}", None),  # the caller gave up while it rang
        ("outbound", "answered", f"+{CLIENT}", "101"),  # not an inbound call to 101
    ]
    [outbound] = [c for c in calls if c["direction"] == "outbound"]
    # Answered when the client did, not when 101 picked up his own phone.
    assert outbound["answered_at"] == datetime.fromtimestamp(T0 + 110, UTC).isoformat()
    returned = (await api.get("/api/v1/callback-cases?status=returned"))["items"]
    assert [(c["id"], c["returned_by"]) for c in returned] == [(opened[0]["id"], ivan["id"])]


async def test_the_manager_not_answering_is_no_missed_call(api: Api, mango_api: MangoApi) -> None:
    """Leg M rings 101 and nobody picks up: an unanswered outbound call, no case."""
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    status, result = await api.call(
        "POST", "/api/v1/calls/originate", {"manager_id": ivan["id"], "number": f"+{CLIENT}"}
    )
    assert status == 202, result
    mark = {"command_id": result["request_id"]}
    manager = {"from": {"number": LINE}, "to": {"extension": "101", "number": "sip:101@acme"}}
    for path, body in (
        mango_leg("cb-2", "M", 1, "Appeared", **manager, **mark, timestamp=T0 + 200),
        mango_leg("cb-2", "M", 2, "Disconnected", **manager, **mark, timestamp=T0 + 230),
    ):
        assert (await event(api, path, body))[0] == 200
    calls = (await api.get("/api/v1/calls?connector=mg"))["items"]
    assert shapes(calls, "direction", "outcome", "missed") == [("outbound", "unanswered", False)]
    assert (await api.get("/api/v1/callback-cases?status=open"))["items"] == []
