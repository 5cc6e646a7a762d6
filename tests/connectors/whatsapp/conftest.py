"""The Graph API stand-in, a client of its business number, and a receiver of its webhooks."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from connectors.whatsapp import SPEC, WhatsAppClient
from tests.support.messenger_hooks import Receiver
from tests.support.stand_in import serving
from tests.support.whatsapp_api import WhatsAppApi


@pytest.fixture
async def wa() -> AsyncIterator[WhatsAppApi]:
    async for stand_in in serving(WhatsAppApi()):
        yield stand_in


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as opened:
        yield opened


@pytest.fixture
def client(wa: WhatsAppApi, session: aiohttp.ClientSession) -> WhatsAppClient:
    made = SPEC.client(wa.section(template="reopen_chat"), session)
    assert isinstance(made, WhatsAppClient)
    return made


@pytest.fixture
async def hook(wa: WhatsAppApi) -> AsyncIterator[Receiver]:
    async for receiver in serving(Receiver(spec=SPEC, section=wa.section())):
        yield receiver
