"""The contract every connector keeps, run over each with its own recorded payloads.

A missed call from a client reaches `GET /api/v1/calls` as the generic hook's does (inbound,
missed, the client's number in E.164, the connector's name), opens one callback case for the
client's manager, and an answered callback from his extension returns it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from hub.app import create_app
from hub.bootstrap.pbx import AMI_CLIENTS
from hub.bootstrap.pipeline import FOLDER
from tests.connectors.asterisk import payloads as asterisk
from tests.connectors.mango import payloads as mango
from tests.connectors.twilio import payloads as twilio
from tests.connectors.zadarma import payloads as zadarma
from tests.support.api import Api, update
from tests.support.fake_ami import FakeAmi
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.telegram_stub import until

Step = Callable[[Api], Awaitable[None]]
FAKE_AMI = web.AppKey("fake_ami", FakeAmi)


async def _generic_miss(api: Api) -> None:
    await api.hook(
        [
            update("g1", "ringing", caller="+79031112233", extension="101"),
            update("g1", "ended", caller="+79031112233", extension="101", reason="no_answer"),
        ]
    )


async def _generic_callback(api: Api) -> None:
    kw: dict[str, Any] = {"direction": "outbound", "caller": "101", "callee": "+79031112233"}
    await api.hook(
        [
            update("g2", "ringing", extension="101", **kw),
            update("g2", "answered", extension="101", **kw),
        ]
    )


async def _zadarma_miss(api: Api) -> None:
    for form in zadarma.missed_call("z1"):
        await zadarma.notify(api, form)


async def _zadarma_callback(api: Api) -> None:
    for form in zadarma.callback("z2"):
        await zadarma.notify(api, form)


async def _twilio_miss(api: Api) -> None:
    await twilio.missed(api, "CA" + "c" * 32)


async def _twilio_callback(api: Api) -> None:
    await twilio.called_back(api, "CA" + "d" * 32)


async def _mango_miss(api: Api) -> None:
    for path, body in mango.missed_call("M1"):
        await mango.event(api, path, body)


async def _mango_callback(api: Api) -> None:
    for path, body in mango.callback("M2"):
        await mango.event(api, path, body)


async def _asterisk_stream(api: Api, until_sent: int) -> None:
    ami = api.app[FAKE_AMI]
    ami.release(until_sent)
    ami.go.set()
    await until(lambda: ami.sent >= until_sent, seconds=15)
    client = api.app[AMI_CLIENTS]["ast"]
    await until(lambda: client.events >= ami.sent)
    await client.drained()
    await api.app[FOLDER].settle()


async def _asterisk_miss(api: Api) -> None:
    await _asterisk_stream(api, len(_ami_missed()))


async def _asterisk_callback(api: Api) -> None:
    await _asterisk_stream(api, len(_ami_script()))


def _ami_missed() -> asterisk.Stream:
    return asterisk.renamed(asterisk.recorded("b_missed_noanswer"), "+79171234567", "r")


def _ami_script() -> asterisk.Stream:
    return [*_ami_missed(), *asterisk.recorded("e_callback_answered")]


VENDORS: dict[str, tuple[str, str, Step, Step]] = {
    "generic": ("generic", "+79031112233", _generic_miss, _generic_callback),
    "zadarma": ("zd", "+79031112233", _zadarma_miss, _zadarma_callback),
    "twilio": ("tw", "+79031112233", _twilio_miss, _twilio_callback),
    "mango": ("mg", "+79031112233", _mango_miss, _mango_callback),
    "asterisk": ("ast", "+79171234567", _asterisk_miss, _asterisk_callback),
}


@pytest.fixture
async def fake_ami() -> AsyncIterator[FakeAmi]:
    server = FakeAmi(script=_ami_script(), secret="s")
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def api(fake_ami: FakeAmi, aiohttp_client: Any, db_url: str) -> Api:
    connectors = {
        "zd": zadarma.account(),
        "tw": twilio.account(),
        "mg": mango.account(api_url="http://127.0.0.1:9"),
        "ast": asterisk.account(fake_ami.port, secret="s"),
    }
    settings = make_settings(db_url, connectors=connectors)
    app = create_app(settings)
    app[FAKE_AMI] = fake_ami
    client = await aiohttp_client(app)
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


@pytest.mark.parametrize("vendor", sorted(VENDORS))
async def test_missed_call_case_and_return(api: Api, vendor: str) -> None:
    connector, number, miss, call_back = VENDORS[vendor]
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    client = await api.post(
        "/api/v1/clients", {"name": "Ромашка", "manager_id": ivan["id"], "phones": [number]}
    )
    await miss(api)
    calls = (await api.get(f"/api/v1/calls?connector={connector}"))["items"]
    assert [
        (c["direction"], c["outcome"], c["missed"], c["number"], c["client_id"]) for c in calls
    ] == [("inbound", c["outcome"], True, number, client["id"]) for c in calls]
    assert len(calls) == 1 and calls[0]["outcome"] in ("missed", "abandoned")
    cases = (await api.get("/api/v1/callback-cases?status=open"))["items"]
    assert [(c["number"], c["manager_id"], c["missed_count"]) for c in cases] == [
        (number, ivan["id"], 1)
    ]
    await call_back(api)
    returned = (await api.get("/api/v1/callback-cases?status=returned"))["items"]
    assert [(c["id"], c["returned_by"]) for c in returned] == [(cases[0]["id"], ivan["id"])]
    outbound = (await api.get(f"/api/v1/calls?connector={connector}&direction=outbound"))["items"]
    assert [(c["outcome"], c["extension"], c["number"]) for c in outbound] == [
        ("answered", "101", number)
    ]
