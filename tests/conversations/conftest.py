"""The channels' stand-ins: two Bot API servers (the staff bot's and the company's client bot's:
each bot has its own token and its own updates), MAX's, VK's and WhatsApp's APIs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from config.settings import OutboxSettings, Settings, TelegramSettings
from hub.app import create_app
from tests.support.api import Api
from tests.support.clock import TestClock
from tests.support.max_api import MaxApi
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
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


def hub_settings(
    db_url: str, staff: TestServer, *, admin_chat_id: int | None = None, **overrides: Any
) -> Settings:
    """The service's settings with the staff bot on the stand-in at ``staff`` (messages go out
    at once) and ``overrides`` (messengers, staff channels...)."""
    values: dict[str, Any] = {
        "telegram": TelegramSettings(
            token="123456:STAFF-BOT",
            api_base=str(staff.make_url("")).rstrip("/"),
            polling_timeout="1s",
            admin_chat_id=admin_chat_id,
        ),
        "outbox": OutboxSettings(per_chat_interval="0s", poll_interval="50ms"),
    }
    return make_settings(db_url, **(values | overrides))


async def start(aiohttp_client: Any, settings: Settings, clock: TestClock | None = None) -> Api:
    """The service, in this process, on the test's loop."""
    client = await aiohttp_client(create_app(settings, clock=clock or TestClock()))
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)
