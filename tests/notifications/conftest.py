"""The stand-in Bot API server, started per test (request it before the app, so it outlives it)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer

from tests.support.telegram_stub import BotApiStub


@pytest.fixture
async def stub() -> AsyncIterator[tuple[BotApiStub, TestServer]]:
    fake = BotApiStub()
    server = TestServer(fake.app())
    await server.start_server()
    yield fake, server
    await server.close()
