"""FastAGI routing: ``AGI(agi://host:port/route)`` gets ``SET VARIABLE DOZVON_TARGET``."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from connectors.asterisk.ami import MAX_LINE
from tests.connectors.asterisk.payloads import account, start


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_fastagi_sets_the_target(aiohttp_client: Any, db_url: str) -> None:
    config = account(1, username="u", secret="s", channel_prefix="PJSIP/", agi_port=_free_port())
    api = await start(aiohttp_client, db_url, config)
    ivan = await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    card = {"name": "Ромашка", "manager_id": ivan["id"], "phones": ["+79171234567"]}
    await api.post("/api/v1/clients", card)
    assert config.agi_port is not None
    reader, writer = await asyncio.open_connection("127.0.0.1", config.agi_port)
    headers = "agi_network: yes\nagi_callerid: 89171234567\nagi_dnid: 4951234567\n\n"
    writer.write(headers.encode())
    command = (await reader.readline()).decode().strip()
    writer.write(b"200 result=1\n")
    writer.close()
    assert command == 'SET VARIABLE DOZVON_TARGET "PJSIP/101"'

    # A line longer than the limit ends that request with nothing set; the next one is served.
    reader, writer = await asyncio.open_connection("127.0.0.1", config.agi_port)
    writer.write(b"agi_callerid: " + b"7" * (MAX_LINE + 10) + b"\n\n")
    try:
        leftover = await reader.read()
    except ConnectionResetError:  # closed with our overlong line still unread
        leftover = b""
    assert leftover == b""  # no command for it
    writer.close()
    reader, writer = await asyncio.open_connection("127.0.0.1", config.agi_port)
    writer.write(headers.encode())
    assert (await reader.readline()).decode().strip() == command
    writer.write(b"200 result=1\n")
    assert await reader.read() == b""  # the server is done with it
    writer.close()
    await writer.wait_closed()
