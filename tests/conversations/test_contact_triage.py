"""A messenger contact without a phone waits in the triage queue as ``<messenger>:<chat>``, and
triage ties his chat to a card: a new client (no phone added), an existing one, or a list (he
only leaves the queue)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestServer

from hub.bootstrap.people import ESCALATION_SWEEP, SCHEDULE
from tests.conversations.conftest import hub_settings, start
from tests.support.clock import TestClock
from tests.support.team import sales_team
from tests.support.telegram_stub import BotApiStub
from tests.support.vk_api import VkApi

Stub = tuple[BotApiStub, TestServer]


async def test_a_chat_is_triaged_to_a_new_client_and_another_to_a_list(
    staff: Stub, vk_api: VkApi, aiohttp_client: Any, db_url: str
) -> None:
    staff_bot, staff_server = staff
    settings = hub_settings(db_url, staff_server, messengers={"vk": vk_api.section()})
    api = await start(aiohttp_client, settings)
    team = await sales_team(api)
    url = str(api.client.make_url("/api/v1/messengers/vk/webhook"))
    assert (await vk_api.post(url, vk_api.message_new(3001, "Хочу заказать"))).status == 200
    assert (await vk_api.post(url, vk_api.message_new(3002, "Купите рекламу"))).status == 200
    queue = (await api.get("/api/v1/unknown-numbers"))["items"]
    assert sorted(u["number"] for u in queue) == ["vk:3001", "vk:3002"]

    made = await api.post(
        "/api/v1/unknown-numbers/vk:3001/triage",
        {"action": "new_client", "name": "ИП Ветров", "manager_id": team["ivan"]["id"]},
        expect=200,
    )
    assert made["resolution"].startswith("client:")
    client_id = int(made["resolution"].removeprefix("client:"))
    assert (await api.get(f"/api/v1/clients/{client_id}"))["phones"] == []
    [conversation] = (await api.get(f"/api/v1/conversations?client_id={client_id}"))["items"]
    assert conversation["contact"] == "3001"

    # His next message goes to his manager, under his card's name.
    assert (await vk_api.post(url, vk_api.message_new(3001, "Жду счёт"))).status == 200
    relay = await staff_bot.nth_to(1001, 0)
    assert relay.startswith("👤 ИП Ветров · VK")

    listed = await api.post(
        "/api/v1/unknown-numbers/vk:3002/triage", {"action": "list", "list": "spam"}, expect=200
    )
    assert listed["resolution"] == "list:spam"
    assert (await api.get("/api/v1/unknown-numbers"))["items"] == []
    # A chat is no number for a list's routing: nothing was put on the list.
    entries = (await api.get("/api/v1/lists/spam/entries"))["items"]
    assert entries == []


async def test_an_unanswered_contact_without_a_phone_opens_a_case(
    staff: Stub, vk_api: VkApi, aiohttp_client: Any, db_url: str
) -> None:
    staff_bot, staff_server = staff
    settings = hub_settings(db_url, staff_server, messengers={"vk": vk_api.section()})
    clock = TestClock()
    api = await start(aiohttp_client, settings, clock)
    await sales_team(api)
    url = str(api.client.make_url("/api/v1/messengers/vk/webhook"))
    assert (await vk_api.post(url, vk_api.message_new(3001, "Алло?"))).status == 200
    await staff_bot.nth_to(1000, 0)

    clock.advance(timedelta(minutes=16))
    schedule = api.app[SCHEDULE]
    schedule.wake(ESCALATION_SWEEP)
    await schedule.settle(ESCALATION_SWEEP)
    [case] = (await api.get("/api/v1/callback-cases"))["items"]
    assert (case["kind"], case["number"], case["client_id"]) == ("message", "vk:3001", None)
    alert = await staff_bot.nth_to(1000, 1)
    assert alert.startswith("✉️ Сообщение без ответа")
