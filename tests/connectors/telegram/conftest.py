"""The stand-in Bot API on a local port, and the bot's section pointed at it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from connectors.messaging import WebhookRequest
from connectors.telegram import TelegramMessenger, TelegramSettings, client
from tests.support.telegram_stub import BotApiStub

TOKEN = "123456:client-bot-token"
SECRET = "client_webhook-secret"
CLIENT = 5001  # a client's private chat with the bot (his user id as well)


@pytest.fixture
async def stub() -> AsyncIterator[tuple[BotApiStub, TestServer]]:
    fake = BotApiStub(token=TOKEN)
    server = TestServer(fake.app())
    await server.start_server()
    yield fake, server
    await server.close()


@pytest.fixture
def fake(stub: tuple[BotApiStub, TestServer]) -> BotApiStub:
    return stub[0]


def section(server: TestServer | None = None, **values: Any) -> TelegramSettings:
    """The bot's ``[messengers.NAME]`` section (pointed at the stand-in when given)."""
    if server is not None:
        values.setdefault("api_base", str(server.make_url("")).rstrip("/"))
    return TelegramSettings.model_validate({"type": "telegram", "token": TOKEN, **values})


def webhook(**values: Any) -> TelegramSettings:
    return section(mode="webhook", webhook_secret=SECRET, **values)


def post(update: object, headers: dict[str, str] | None = None) -> WebhookRequest:
    """A webhook post of ``update`` as Telegram makes it."""
    body = update if isinstance(update, bytes) else json.dumps(update).encode()
    return WebhookRequest(
        method="POST",
        headers={"Content-Type": "application/json", **(headers or {})},
        query={},
        body=body,
    )


async def started(settings: TelegramSettings) -> AsyncIterator[TelegramMessenger]:
    """The bot of ``settings``, closed afterwards (it keeps its own session: the service's
    shared one is handed over and left alone)."""
    async with aiohttp.ClientSession() as shared:
        messenger = client(settings, shared)
        yield messenger
        await messenger.close()
        assert not shared.closed


@pytest.fixture
async def bot(stub: tuple[BotApiStub, TestServer]) -> AsyncIterator[TelegramMessenger]:
    """The client bot in polling mode, talking to the stand-in."""
    async for messenger in started(section(stub[1], polling_timeout="1s")):
        yield messenger
