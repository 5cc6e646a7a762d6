"""The VK stand-in, a client of its community, and a receiver of its Callback API events."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from connectors.vk import SPEC, VkClient
from tests.support.messenger_hooks import Receiver
from tests.support.stand_in import serving
from tests.support.vk_api import VkApi


@pytest.fixture
async def vk() -> AsyncIterator[VkApi]:
    async for stand_in in serving(VkApi()):
        yield stand_in


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as opened:
        yield opened


@pytest.fixture
def client(vk: VkApi, session: aiohttp.ClientSession) -> VkClient:
    made = SPEC.client(vk.section(), session)
    assert isinstance(made, VkClient)
    return made


@pytest.fixture
async def hook(vk: VkApi) -> AsyncIterator[Receiver]:
    async for receiver in serving(Receiver(spec=SPEC, section=vk.section())):
        yield receiver
