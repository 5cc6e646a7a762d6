"""The stand-in Mango API for the Mango tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.connectors.mango.stand_in import MangoApi


@pytest.fixture
async def mango_api() -> AsyncIterator[MangoApi]:
    stand_in = MangoApi()
    await stand_in.start()
    yield stand_in
    await stand_in.close()
