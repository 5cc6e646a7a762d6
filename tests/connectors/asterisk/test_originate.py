"""Click-to-call on Asterisk: ``POST /api/v1/calls/originate`` sends an AMI ``Originate`` to a fake
AMI server, which answers as Asterisk does and then plays the call it makes (the recorded
callback, under the channel id the action asked for). The call is the manager's outbound call to
the client, and it returns the client's open case."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest

from hub.bootstrap.originate import ORIGINATOR
from hub.bootstrap.pbx import AMI_CLIENTS
from hub.bootstrap.pipeline import FOLDER
from tests.connectors.asterisk.payloads import SECRET, account, recorded, renamed, start
from tests.connectors.service import shapes
from tests.support.api import Api
from tests.support.fake_ami import FakeAmi
from tests.support.telegram_stub import until

CLIENT = "+79171234567"
RECORDED_CALL = "1795439608.12"  # the recorded callback's Linkedid (manager 101's channel)


def originated_call(action: Mapping[str, str]) -> list[Mapping[str, str]]:
    """The call Asterisk makes of our Originate: the recorded callback of 101 to the client, its
    first channel under the ``ChannelId`` asked for. An originated channel appears before the
    dialplan runs (``Exten: s``) and shows the ``CallerID`` given (the client's number)."""
    mark = action["ChannelId"]
    events: list[Mapping[str, str]] = []
    for event in recorded("e_callback_answered"):
        changed = {
            key: mark
            if value == RECORDED_CALL and key.endswith(("Uniqueid", "Linkedid"))
            else value
            for key, value in event.items()
        }
        if changed.get("Event") == "Newchannel" and changed.get("Uniqueid") == mark:
            changed.update({"Exten": "s", "CallerIDNum": action["CallerID"]})
        events.append(changed)
    return events


@pytest.fixture
async def fake_ami() -> AsyncIterator[FakeAmi]:
    missed = renamed(recorded("b_missed_noanswer"), CLIENT, "r")
    server = FakeAmi(script=missed, secret=SECRET, on_originate=originated_call)
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def api(fake_ami: FakeAmi, aiohttp_client: Any, db_url: str) -> Api:
    config = account(
        fake_ami.port, originate_channel="PJSIP/{extension}", originate_exten="8{national}"
    )
    return await start(aiohttp_client, db_url, config)


async def _stored(api: Api, fake_ami: FakeAmi, events: int) -> None:
    """Wait until the AMI client has read ``events`` events, handed them over, and they are
    folded into calls."""
    client = api.app[AMI_CLIENTS]["ast"]
    await until(lambda: client.events >= events, seconds=20)
    await asyncio.wait_for(client.drained(), 10)
    await asyncio.wait_for(api.app[FOLDER].settle(), 10)


async def test_originate_rings_the_manager_and_returns_the_case(
    api: Api, fake_ami: FakeAmi
) -> None:
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    card = {"name": "Ромашка", "manager_id": ivan["id"], "phones": [CLIENT]}
    await api.post("/api/v1/clients", card)
    fake_ami.go.set()
    await _stored(api, fake_ami, len(fake_ami.script))
    opened = (await api.get("/api/v1/callback-cases?status=open"))["items"]
    assert [(c["number"], c["manager_id"]) for c in opened] == [(CLIENT, ivan["id"])]
    assert api.app[ORIGINATOR].available

    status, result = await api.call(
        "POST", "/api/v1/calls/originate", {"manager_id": ivan["id"], "number": "8 917 123-45-67"}
    )
    assert status == 202, result
    mark = result["request_id"]
    assert result == {
        "connector": "ast",
        "manager_id": ivan["id"],
        "number": CLIENT,
        "request_id": mark,
    }
    [action] = fake_ami.originated
    assert {k: v for k, v in action.items() if k != "ActionID"} == {
        "Action": "Originate",
        "Channel": "PJSIP/101",
        "Context": "from-internal",
        "Exten": "89171234567",
        "Priority": "1",
        "CallerID": CLIENT,
        "Timeout": "30000",
        "ChannelId": mark,
        "Async": "true",
    }

    await _stored(api, fake_ami, len(fake_ami.script) + len(originated_call(action)))
    calls = (await api.get("/api/v1/calls?connector=ast"))["items"]
    assert shapes(calls, "direction", "outcome", "number", "extension") == [
        ("inbound", "missed", CLIENT, None),
        ("outbound", "answered", CLIENT, "101"),  # not an inbound call to 101
    ]
    returned = (await api.get("/api/v1/callback-cases?status=returned"))["items"]
    assert [(c["id"], c["status"], c["returned_by"]) for c in returned] == [
        (opened[0]["id"], "returned", ivan["id"])
    ]
    audit = (await api.get("/api/v1/audit?entity=call"))["items"]
    assert [(a["actor"], a["action"], a["entity_id"]) for a in audit] == [
        ("admin", "originate", mark)
    ]


async def test_a_refused_originate_is_unavailable(api: Api, fake_ami: FakeAmi) -> None:
    fake_ami.originate_refusal = "Permission denied"
    fake_ami.go.set()
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    await until(lambda: api.app[AMI_CLIENTS]["ast"].connected.is_set())
    status, body = await api.call(
        "POST", "/api/v1/calls/originate", {"manager_id": ivan["id"], "number": CLIENT}
    )
    assert status == 503, body
    assert "Permission denied" in body["error"]["message"]
    assert "write = originate" in body["error"]["message"]
