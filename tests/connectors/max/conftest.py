"""MAX's side of a connector test: the bot's section, the stand-in API, a client talking to it
through a real aiohttp session."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from connectors.max import MaxClient, MaxSettings
from connectors.messaging import WebhookRequest
from tests.support.max_api import SECRET, TOKEN, MaxApi
from tests.support.stand_in import serving


def section(**overrides: Any) -> MaxSettings:
    values: dict[str, Any] = {"type": "max", "token": TOKEN, "webhook_secret": SECRET}
    return MaxSettings(**(values | overrides))


def posted(update: dict[str, Any] | bytes, *, secret: str | None = SECRET) -> WebhookRequest:
    """A webhook post of ``update`` as MAX makes it."""
    body = update if isinstance(update, bytes) else json.dumps(update).encode()
    headers = {"X-Max-Bot-Api-Secret": secret} if secret is not None else {}
    return WebhookRequest(method="POST", headers=headers, query={}, body=body)


@pytest.fixture
async def max_api() -> AsyncIterator[MaxApi]:
    async for stand_in in serving(MaxApi()):
        yield stand_in


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def client(max_api: MaxApi, http: aiohttp.ClientSession) -> MaxClient:
    # The waits for a file MAX is still processing, made short for the test.
    return MaxClient(max_api.section(), http, ready_waits=(0.01, 0.01))
