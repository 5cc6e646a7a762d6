"""Asterisk end to end: the dialplan's CURL() routing, and recorded AMI streams through a fake AMI
server into calls and callback cases — with the connection dropped mid-call and resumed."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest

from config.settings import AsteriskConnector
from hub.app import create_app
from hub.bootstrap.pbx import AMI_CLIENTS
from hub.bootstrap.pipeline import FOLDER
from tests.support.ami_transcripts import events
from tests.support.api import Api
from tests.support.fake_ami import FakeAmi
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.telegram_stub import until

SECRET = "ami-secret"


def _renamed(stream: list[dict[str, str]], caller: str, prefix: str) -> list[Mapping[str, str]]:
    """The same recorded call from another number, under other channel ids."""
    return [
        {
            key: (
                value.replace("+79990000102", caller)
                if key in ("CallerIDNum", "ConnectedLineNum")
                else prefix + value
                if key in ("Uniqueid", "Linkedid", "DestUniqueid", "DestLinkedid")
                else value
            )
            for key, value in event.items()
        }
        for event in stream
    ]


def _script() -> list[Mapping[str, str]]:
    missed = [e for _, e in events("b_missed_noanswer")]
    callback = [e for _, e in events("e_callback_answered")]
    answered = [e for _, e in events("a1_answered_plus7")]
    return [*missed, *_renamed(missed, "+79171234567", "r"), *callback, *answered]


@pytest.fixture
async def fake_ami() -> AsyncIterator[FakeAmi]:
    script = _script()
    # Drop the connection in the middle of the callback, resume 5 events before the drop.
    drop = len(script) - len([e for _, e in events("a1_answered_plus7")]) - 10
    server = FakeAmi(script=script, secret=SECRET, drop_after=drop, overlap=5)
    await server.start()
    yield server
    await server.close()


async def _app(aiohttp_client: Any, db_url: str, port: int) -> Api:
    settings = make_settings(
        db_url,
        connectors={
            "ast": AsteriskConnector(
                type="asterisk",
                host="127.0.0.1",
                port=port,
                username="dozvon",
                secret=SECRET,
                channel_prefix="SIP/",
                reconnect_max="1s",
            )
        },
    )
    client = await aiohttp_client(create_app(settings))
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


@pytest.fixture
async def api(fake_ami: FakeAmi, aiohttp_client: Any, db_url: str) -> Api:
    return await _app(aiohttp_client, db_url, fake_ami.port)


async def test_route_for_curl(api: Api) -> None:
    petr = await api.post("/api/v1/managers", {"name": "Пётр", "extension": "102"})
    card = {"name": "Сидоров", "manager_id": petr["id"], "phones": ["+79990000102"]}
    await api.post("/api/v1/clients", card)
    await api.post("/api/v1/lists/blacklist/entries", {"number": "+79995550000"})
    # Exactly what Asterisk's CURL() sent in the recording: the '+' not encoded.
    async with api.client.get("/api/v1/hooks/ast/route?from=+79990000102&to=4951234567") as r:
        assert (r.status, r.content_type, await r.text()) == (200, "text/plain", "SIP/102")
    async with api.client.get("/api/v1/hooks/ast/route?from=89995550000&to=4951234567") as r:
        assert await r.text() == "HANGUP"
    async with api.client.get("/api/v1/hooks/ast/route?from=anonymous&to=4951234567") as r:
        assert (r.status, await r.text()) == (200, "")


async def test_recorded_calls_through_a_dropped_connection(api: Api, fake_ami: FakeAmi) -> None:
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    petr = await api.post("/api/v1/managers", {"name": "Пётр", "extension": "102"})
    for name, owner, phone in (
        ("Сидоров", petr, "+79990000102"),
        ("Ромашка", ivan, "+79171234567"),
    ):
        await api.post(
            "/api/v1/clients", {"name": name, "manager_id": owner["id"], "phones": [phone]}
        )
    client = api.app[AMI_CLIENTS]["ast"]
    fake_ami.go.set()  # the directory is ready: let the PBX talk
    await until(lambda: fake_ami.sent >= len(fake_ami.script) + fake_ami.overlap, seconds=20)
    await until(lambda: client.events >= fake_ami.sent)  # everything sent was read...
    assert client.sessions == 2  # the first connection dropped mid-call; it came back
    await asyncio.wait_for(client.drained(), 10)  # ...and handed over
    await asyncio.wait_for(api.app[FOLDER].settle(), 10)
    calls = (await api.get("/api/v1/calls?connector=ast"))["items"]
    shapes = sorted((c["direction"], c["outcome"], c["number"], c["extension"]) for c in calls)
    assert shapes == [
        ("inbound", "answered", "+79171234567", "101"),
        ("inbound", "missed", "+79171234567", None),
        ("inbound", "missed", "+79990000102", None),
        ("outbound", "answered", "+79171234567", "101"),
    ]
    open_cases = (await api.get("/api/v1/callback-cases?status=open"))["items"]
    assert [(c["number"], c["manager_id"]) for c in open_cases] == [("+79990000102", petr["id"])]
    returned = (await api.get("/api/v1/callback-cases?status=returned"))["items"]
    assert [(c["number"], c["returned_by"]) for c in returned] == [("+79171234567", ivan["id"])]
    assert fake_ami.logins == [SECRET, SECRET]
    await until(lambda: len(fake_ami.actions) >= 2)  # the PBX reads them on its own time
    assert fake_ami.actions == ["CoreShowChannels", "CoreShowChannels"]  # after every login


async def test_a_pbx_restart_that_cuts_a_ringing_call_leaves_a_missed_call(
    aiohttp_client: Any, db_url: str
) -> None:
    recorded: list[Mapping[str, str]] = [e for _, e in events("b_missed_noanswer")]
    rang = 1 + next(i for i, e in enumerate(recorded) if e.get("Event") == "DialBegin")
    # The call rings 102; the PBX restarts (connection lost, every call cut); nothing is up after.
    server = FakeAmi(script=recorded[:rang], secret=SECRET, drop_after=rang, listings={2: []})
    server.go.set()
    await server.start()
    try:
        api = await _app(aiohttp_client, db_url, server.port)
        petr = await api.post("/api/v1/managers", {"name": "Пётр", "extension": "102"})
        card = {"name": "Сидоров", "manager_id": petr["id"], "phones": ["+79990000102"]}
        await api.post("/api/v1/clients", card)
        client = api.app[AMI_CLIENTS]["ast"]
        await until(lambda: client.sessions == 2)

        async def ended() -> list[dict[str, Any]]:
            while True:
                await asyncio.wait_for(client.drained(), 10)
                await asyncio.wait_for(api.app[FOLDER].settle(), 10)
                calls = (await api.get("/api/v1/calls?connector=ast"))["items"]
                if calls and calls[0]["outcome"] != "ringing":
                    return list(calls)
                await asyncio.sleep(0.05)

        calls = await asyncio.wait_for(ended(), 15)
        assert [(c["outcome"], c["number"]) for c in calls] == [("missed", "+79990000102")]
        cases = (await api.get("/api/v1/callback-cases?status=open"))["items"]
        assert [(c["number"], c["manager_id"]) for c in cases] == [("+79990000102", petr["id"])]
    finally:
        await server.close()


async def test_wrong_secret_keeps_retrying_quietly(
    aiohttp_client: Any, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    server = FakeAmi(script=[], secret="right")
    server.go.set()
    await server.start()
    try:
        settings = make_settings(
            db_url,
            connectors={
                "ast": AsteriskConnector(
                    type="asterisk",
                    port=server.port,
                    username="dozvon",
                    secret="wrong",
                    reconnect_max="0.2s",
                )
            },
        )
        await aiohttp_client(create_app(settings))
        await until(lambda: len(server.logins) >= 3, seconds=10)
        refusals = [r for r in caplog.records if "login refused" in r.getMessage()]
        assert len(refusals) == 1  # one line per outage, not per attempt
    finally:
        await server.close()


async def test_fastagi_sets_the_target(aiohttp_client: Any, db_url: str) -> None:
    settings = make_settings(
        db_url,
        connectors={
            "ast": AsteriskConnector(
                type="asterisk", port=1, username="u", secret="s", agi_port=_free_port()
            )
        },
    )
    client = await aiohttp_client(create_app(settings))
    api = Api(client, ADMIN_TOKEN, HOOK_SECRET)
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    card = {"name": "Ромашка", "manager_id": ivan["id"], "phones": ["+79171234567"]}
    await api.post("/api/v1/clients", card)
    config = settings.connectors["ast"]
    assert isinstance(config, AsteriskConnector) and config.agi_port is not None
    reader, writer = await asyncio.open_connection("127.0.0.1", config.agi_port)
    headers = "agi_network: yes\nagi_callerid: 89171234567\nagi_dnid: 4951234567\n\n"
    writer.write(headers.encode())
    command = (await reader.readline()).decode().strip()
    writer.write(b"200 result=1\n")
    writer.close()
    assert command == 'SET VARIABLE DOZVON_TARGET "PJSIP/101"'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_a_refused_listing_is_explained_in_the_log(
    aiohttp_client: Any, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    server = FakeAmi(script=[], secret=SECRET, listing_refused=True)
    server.go.set()
    await server.start()
    try:
        api = await _app(aiohttp_client, db_url, server.port)
        await until(lambda: "CoreShowChannels" in server.actions)
        await until(
            lambda: any("refused CoreShowChannels" in r.getMessage() for r in caplog.records)
        )
        assert api.app[AMI_CLIENTS]["ast"].sessions == 1  # still connected, following events
    finally:
        await server.close()
