"""Two stand-in Bot API servers: the staff bot's and the company's client bot's (each bot has
its own token and its own updates)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer

from tests.support.telegram_stub import BotApiStub

CLIENT_TOKEN = "777001:CLIENT-BOT"


@pytest.fixture
async def staff() -> AsyncIterator[tuple[BotApiStub, TestServer]]:
    fake = BotApiStub()
    server = TestServer(fake.app())
    await server.start_server()
    yield fake, server
    await server.close()


@pytest.fixture
async def clients_bot() -> AsyncIterator[tuple[BotApiStub, TestServer]]:
    fake = BotApiStub(token=CLIENT_TOKEN)
    server = TestServer(fake.app())
    await server.start_server()
    yield fake, server
    await server.close()
