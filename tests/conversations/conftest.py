"""The channels' stand-ins: two Bot API servers (the staff bot's and the company's client bot's:
each bot has its own token and its own updates), MAX's, VK's and WhatsApp's APIs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer

from tests.support.max_api import MaxApi
from tests.support.stand_in import serving
from tests.support.telegram_stub import BotApiStub
from tests.support.vk_api import VkApi
from tests.support.whatsapp_api import WhatsAppApi

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


@pytest.fixture
async def max_api() -> AsyncIterator[MaxApi]:
    async for served in serving(MaxApi()):
        yield served


@pytest.fixture
async def vk_api() -> AsyncIterator[VkApi]:
    async for served in serving(VkApi()):
        yield served


@pytest.fixture
async def wa_api() -> AsyncIterator[WhatsAppApi]:
    async for served in serving(WhatsAppApi()):
        yield served
