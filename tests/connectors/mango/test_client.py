"""Mango's ``commands/route`` sender against a stand-in API: signed, once per call, retried on a
5xx, final on anything else, and nothing left running once it is closed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from connectors.mango import RouteCommands, sign
from tests.connectors.mango.payloads import KEY, SALT, account
from tests.connectors.mango.stand_in import MangoApi
from tests.support.telegram_stub import until


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as opened:
        yield opened


def _sender(mango_api: MangoApi, session: aiohttp.ClientSession) -> RouteCommands:
    return RouteCommands(account(api_url=mango_api.url, route_calls=True), session)


async def test_a_call_is_routed_once_with_a_signed_command(
    mango_api: MangoApi, session: aiohttp.ClientSession
) -> None:
    sender = _sender(mango_api, session)
    sender.submit("E1", "L1", "101")
    sender.submit("E1", "L1", "101")  # the call's events repeat: it is not routed again
    await until(lambda: len(mango_api.received) == 1)
    command = mango_api.received[0]
    assert (command["command"]["call_id"], command["command"]["to_number"]) == ("L1", "101")
    assert command["vpbx_api_key"] == KEY
    assert command["sign"] == sign(KEY, str(command["json"]), SALT)
    await sender.close()
    assert len(mango_api.received) == 1


async def test_a_server_error_is_tried_again_and_a_refusal_is_final(
    mango_api: MangoApi, session: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    mango_api.statuses = [503, 400]
    sender = _sender(mango_api, session)
    sender.submit("E1", "L1", "101")
    await until(lambda: any("refused" in r.getMessage() for r in caplog.records))
    first, second = mango_api.received
    assert first["command"] == second["command"]  # the same command, sent again
    sender.submit("E2", "L2", "102")
    await until(lambda: len(mango_api.received) == 3)
    await sender.close()


async def test_closing_cancels_a_command_between_attempts(
    mango_api: MangoApi, session: aiohttp.ClientSession
) -> None:
    mango_api.statuses = [500, 500, 500]
    sender = _sender(mango_api, session)
    sender.submit("E1", "L1", "101")
    await until(lambda: len(mango_api.received) == 1)
    await sender.close()
    running = [t for t in asyncio.all_tasks() if t.get_name().startswith("mango-route-")]
    assert running == []  # nothing is left that could try again
    assert len(mango_api.received) == 1
