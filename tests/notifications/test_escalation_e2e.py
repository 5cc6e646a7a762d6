"""Escalation end to end: deadlines in the database, one escalation whatever happens."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp.test_utils import TestServer

from config.settings import EscalationSettings, OutboxSettings, Settings, TelegramSettings
from hub.app import create_app
from tests.support.api import Api, update
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.telegram_stub import BotApiStub, until


def _settings(db_url: str, server: TestServer) -> Settings:
    return make_settings(
        db_url,
        telegram=TelegramSettings(
            token="123456:TEST-TOKEN", api_base=str(server.make_url("")).rstrip("/")
        ),
        escalation=EscalationSettings(after="2s", sweep_interval="200ms"),
        outbox=OutboxSettings(per_chat_interval="0s", poll_interval="50ms"),
    )


async def _team(api: Api) -> None:
    boss = await api.post(
        "/api/v1/managers", {"name": "Ольга", "role": "supervisor", "telegram_chat_id": 1000}
    )
    await api.post(
        "/api/v1/managers", {"name": "Директор", "role": "director", "telegram_chat_id": 9000}
    )
    ivan = await api.post(
        "/api/v1/managers",
        {"name": "Иван", "extension": "101", "supervisor_id": boss["id"], "telegram_chat_id": 1001},
    )
    await api.post(
        "/api/v1/clients",
        {"name": "ООО Ромашка", "manager_id": ivan["id"], "phones": ["+79031112233"]},
    )


MISSED = [
    update("m1", "ringing", extension="101"),
    update("m1", "ended", extension="101", reason="no_answer"),
]


def _escalations(fake: BotApiStub) -> list[int]:
    return sorted(
        int(r.params["chat_id"])
        for r in fake.calls("sendMessage")
        if r.params["text"].startswith("⚠️")
    )


async def _escalated(fake: BotApiStub) -> None:
    """Wait for the two escalations, then a while longer for any that should not come."""
    await until(lambda: len(_escalations(fake)) >= 2, seconds=30)
    await asyncio.sleep(1.5)


async def test_no_callback_escalates_exactly_once(
    stub: Any, aiohttp_client: Any, db_url: str
) -> None:
    fake, server = stub
    client = await aiohttp_client(create_app(_settings(db_url, server)))
    api = Api(client, ADMIN_TOKEN, HOOK_SECRET)
    await _team(api)
    await api.hook(MISSED)
    await _escalated(fake)
    assert _escalations(fake) == [1000, 9000]
    case = (await api.get("/api/v1/callback-cases"))["items"][0]
    assert case["status"] == "escalated"


async def test_restart_between_miss_and_deadline(
    stub: Any, aiohttp_client: Any, db_url: str
) -> None:
    fake, server = stub
    first = await aiohttp_client(create_app(_settings(db_url, server)))
    api = Api(first, ADMIN_TOKEN, HOOK_SECRET)
    await _team(api)
    await api.hook(MISSED)
    await first.close()  # the service stops before the deadline ...
    assert _escalations(fake) == []
    await asyncio.sleep(2.5)  # ... and the deadline passes while it is down
    second = await aiohttp_client(create_app(_settings(db_url, server)))
    await _escalated(fake)
    assert _escalations(fake) == [1000, 9000]
    await second.close()


async def test_two_instances_escalate_once(stub: Any, aiohttp_client: Any, db_url: str) -> None:
    fake, server = stub
    one = await aiohttp_client(create_app(_settings(db_url, server)))
    two = await aiohttp_client(create_app(_settings(db_url, server)))
    api = Api(one, ADMIN_TOKEN, HOOK_SECRET)
    await _team(api)
    await api.hook(MISSED)
    await _escalated(fake)
    assert _escalations(fake) == [1000, 9000]
    assert len(fake.calls("sendMessage")) == 4  # two alerts, two escalations, nothing twice
    del two
