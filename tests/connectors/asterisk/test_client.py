"""The AMI client end to end: recorded AMI streams through a fake AMI server into calls and
callback cases — with the connection dropped mid-call and resumed, a PBX restart, a wrong secret,
a refused listing, and a line no AMI server sends."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest

from connectors.asterisk import AmiClient, CallTracker, format_action, read_message
from connectors.asterisk.ami import MAX_LINE
from hub.bootstrap.pbx import AMI_CLIENTS
from hub.bootstrap.pipeline import FOLDER
from hub.domain.calls import CallUpdate
from hub.domain.phone import Normalizer
from tests.connectors.asterisk.payloads import SECRET, account, recorded, start
from tests.support.api import Api
from tests.support.clock import TestClock
from tests.support.fake_ami import FakeAmi
from tests.support.telegram_stub import until


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
    stream = recorded("b_missed_noanswer")
    rang = 1 + next(i for i, e in enumerate(stream) if e.get("Event") == "DialBegin")
    # The call rings 102; the PBX restarts (connection lost, every call cut); nothing is up after.
    server = FakeAmi(script=stream[:rang], secret=SECRET, drop_after=rang, listings={2: []})
    server.go.set()
    await server.start()
    try:
        api = await start(aiohttp_client, db_url, account(server.port))
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
        config = account(server.port, secret="wrong", channel_prefix="PJSIP/", reconnect_max="0.2s")
        await start(aiohttp_client, db_url, config)
        await until(lambda: len(server.logins) >= 3, seconds=10)
        refusals = [r for r in caplog.records if "login refused" in r.getMessage()]
        assert len(refusals) == 1  # one line per outage, not per attempt
    finally:
        await server.close()


async def test_a_refused_listing_is_explained_in_the_log(
    aiohttp_client: Any, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    server = FakeAmi(script=[], secret=SECRET, listing_refused=True)
    server.go.set()
    await server.start()
    try:
        api = await start(aiohttp_client, db_url, account(server.port))
        await until(lambda: "CoreShowChannels" in server.actions)
        await until(
            lambda: any("refused CoreShowChannels" in r.getMessage() for r in caplog.records)
        )
        assert api.app[AMI_CLIENTS]["ast"].sessions == 1  # still connected, following events
    finally:
        await server.close()


async def test_a_line_longer_than_max_line_drops_the_connection(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No AMI server sends such a line: the client does not buffer it, it hangs up, says so
    once, and connects again (the next connection is a well-behaved one)."""
    connections = 0
    event = {
        "Event": "Newchannel",
        "Channel": "SIP/trunk-in-0001",
        "CallerIDNum": "+79031112233",
        "Exten": "4951234567",
        "Uniqueid": "1.1",
        "Linkedid": "1.1",
    }

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        try:
            writer.write(b"Asterisk Call Manager/9.0.0\r\n")
            login = await read_message(reader)
            assert login is not None
            accepted = {"Response": "Success", "ActionID": login["ActionID"]}
            writer.write(format_action(accepted))
            if connections == 1:
                writer.write(b"Event: Newchannel\r\nChannel: " + b"x" * (MAX_LINE + 1) + b"\r\n")
            writer.write(format_action(event))
            await writer.drain()
            await reader.read()  # until the client hangs up
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    stored: list[CallUpdate] = []

    async def submit(updates: list[CallUpdate]) -> None:
        stored.extend(updates)

    client = AmiClient(
        "ast",
        host="127.0.0.1",
        port=port,
        username="dozvon",
        secret=SECRET,
        tracker=CallTracker("ast", Normalizer("RU", 5)),
        submit=submit,
        clock=TestClock().now,
        reconnect_max=0.2,
    )
    client.start()
    try:
        await until(lambda: client.sessions == 2 and client.events == 1)
        await asyncio.wait_for(client.drained(), 10)
    finally:
        await client.stop()
        server.close()
        await server.wait_closed()
    assert connections == 2
    assert client.events == 1  # the over-long event was not read as an event
    assert [u.call_id for u in stored] == ["1.1"]
    dropped = [r.getMessage() for r in caplog.records if "protocol error" in r.getMessage()]
    assert dropped == [
        f"ast: AMI at 127.0.0.1:{port}: protocol error (a line longer than "
        f"{MAX_LINE} bytes); reconnecting"
    ]
