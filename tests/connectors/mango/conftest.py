"""The stand-in Mango API for the Mango tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.connectors.mango.stand_in import MangoApi
from tests.support.stand_in import serving


@pytest.fixture
async def mango_api() -> AsyncIterator[MangoApi]:
    async for stand_in in serving(MangoApi()):
        yield stand_in
