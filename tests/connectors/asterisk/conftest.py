"""A fake AMI server replaying recorded calls, and the app following it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.connectors.asterisk.payloads import SECRET, Stream, account, recorded, renamed, start
from tests.support.api import Api
from tests.support.fake_ami import FakeAmi


def script() -> Stream:
    """Two missed calls, a callback and an answered call, one after the other."""
    missed = recorded("b_missed_noanswer")
    answered = recorded("a1_answered_plus7")
    callback = recorded("e_callback_answered")
    return [*missed, *renamed(missed, "+79171234567", "r"), *callback, *answered]


@pytest.fixture
async def fake_ami() -> AsyncIterator[FakeAmi]:
    stream = script()
    # Drop the connection in the middle of the callback, resume 5 events before the drop.
    drop = len(stream) - len(recorded("a1_answered_plus7")) - 10
    server = FakeAmi(script=stream, secret=SECRET, drop_after=drop, overlap=5)
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def api(fake_ami: FakeAmi, aiohttp_client: Any, db_url: str) -> Api:
    return await start(aiohttp_client, db_url, account(fake_ami.port))
