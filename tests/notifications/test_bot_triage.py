"""Every number ends in a card or a list: triage from the staff bot, end to end — real aiogram
polling against the stand-in Bot API, a real service, people pressing the buttons under alerts."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from hub.app import create_app
from tests.support.api import Api, update
from tests.support.clock import TestClock
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, bot_settings
from tests.support.team import miss, outbox, sales_team
from tests.support.telegram_stub import BotApiStub, until, until_true

STRANGER = "+79167770011"
Stub = tuple[BotApiStub, TestServer]
IVAN_CHAT, BOSS_CHAT = 1001, 1000


@pytest.fixture
async def api(stub: Stub, aiohttp_client: Any, db_url: str, clock: TestClock) -> Api:
    client = await aiohttp_client(create_app(bot_settings(db_url, stub[1]), clock=clock))
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


def _edits(fake: BotApiStub, chat_id: int) -> list[str]:
    return [
        r.params["text"]
        for r in fake.calls("editMessageText")
        if int(r.params["chat_id"]) == chat_id
    ]


def _buttons(fake: BotApiStub, chat_id: int, index: int) -> list[dict[str, Any]]:
    sent = [r for r in fake.calls("sendMessage") if int(r.params["chat_id"]) == chat_id][index]
    markup = sent.params.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [b for row in markup.get("inline_keyboard", []) for b in row]


async def test_to_a_list_closes_the_case_edits_the_alert_and_routes_the_next_call(
    api: Api, stub: Stub
) -> None:
    fake = stub[0]
    await sales_team(api)
    case = await miss(api, "m1", STRANGER)
    alert = await fake.nth_to(IVAN_CHAT, 0)
    assert alert.startswith("📵 Пропущенный звонок\nнеизвестный номер")

    fake.press(IVAN_CHAT, f"tri:list:{STRANGER}:0")
    question = await fake.nth_to(IVAN_CHAT, 1)
    assert question == f"В какой список внести {STRANGER}?"
    seekers = next(b for b in _buttons(fake, IVAN_CHAT, 1) if b["text"] == "Соискатели")
    fake.press(IVAN_CHAT, seekers["callback_data"])

    async def closed() -> bool:
        found = await api.get(f"/api/v1/callback-cases/{case['id']}")
        return bool(found["status"] == "closed")

    await until_true(closed)
    done = await api.get(f"/api/v1/callback-cases/{case['id']}")
    assert (done["close_reason"], done["closed_by"]) == ("list:job_seekers", "Иван")
    # The alert is edited in both chats that had it: closed, buttons kept (no triage any more).
    await until(lambda: any("Закрыто вручную" in t for t in _edits(fake, BOSS_CHAT)))
    assert any("Закрыто вручную" in t and "list:job_seekers" in t for t in _edits(fake, IVAN_CHAT))
    decision = await api.get(f"/api/v1/route?from=%2B{STRANGER[1:]}")
    assert decision["reason_code"].startswith("list")
    audit = await api.get("/api/v1/audit?entity=unknown_number")
    assert [(e["action"], e["actor"]) for e in audit["items"]] == [("triage", "Иван")]


async def test_client_search_links_the_number_and_the_case_gets_his_manager(
    api: Api, stub: Stub
) -> None:
    fake = stub[0]
    team = await sales_team(
        api, clients=(("ООО Ромашка", "+79031112233"), ("ИП Васильков", "+79035550000"))
    )
    petr = await api.post(
        "/api/v1/managers", {"name": "Пётр", "extension": "102", "telegram_chat_id": 1002}
    )
    await api.call(
        "PATCH", f"/api/v1/clients/{team['clients'][1]['id']}", {"manager_id": petr["id"]}
    )
    case = await miss(api, "m1", STRANGER)
    await fake.nth_to(IVAN_CHAT, 0)
    fake.press(IVAN_CHAT, f"tri:find:{STRANGER}:0")
    assert "Напишите часть названия" in await fake.nth_to(IVAN_CHAT, 1)
    fake.message(IVAN_CHAT, "нет такого")
    assert "Не нашёл клиентов" in await fake.nth_to(IVAN_CHAT, 2)
    fake.message(IVAN_CHAT, "васИЛЬ")  # any case, Cyrillic
    assert await fake.nth_to(IVAN_CHAT, 3) == f"Выберите клиента для {STRANGER}:"
    choice = [b for b in _buttons(fake, IVAN_CHAT, 3) if b["text"] == "ИП Васильков"]
    assert len(choice) == 1
    fake.press(IVAN_CHAT, choice[0]["callback_data"])

    async def linked() -> bool:
        found = await api.get(f"/api/v1/callback-cases/{case['id']}")
        return bool(found["client_id"] == team["clients"][1]["id"])

    await until_true(linked)
    found = await api.get(f"/api/v1/callback-cases/{case['id']}")
    assert (found["manager_id"], found["status"]) == (petr["id"], "open")
    card = await api.get(f"/api/v1/clients/{team['clients'][1]['id']}")
    assert STRANGER in card["phones"]
    # The client's manager is told (a message of his own), the alert names the client now.
    assert "ИП Васильков" in await fake.nth_to(1002, 0)
    await until(lambda: any("ИП Васильков" in t for t in _edits(fake, IVAN_CHAT)))


async def test_new_client_asks_the_name_and_the_card_is_the_pressing_managers(
    api: Api, stub: Stub
) -> None:
    fake = stub[0]
    team = await sales_team(api)
    # An answered call: the manager who talked is asked who it was.
    await api.hook(
        [
            update("a1", "ringing", caller=STRANGER, extension="101"),
            update("a1", "answered", caller=STRANGER, extension="101"),
            update("a1", "ended", caller=STRANGER, extension="101"),
        ]
    )
    ask = await fake.nth_to(IVAN_CHAT, 0)
    assert ask.startswith(f"❓ Кто это был?\n{STRANGER}")
    assert [r.kind for r in await outbox(api)] == ["triage"]
    fake.message(IVAN_CHAT, "/unknown")
    assert (await fake.nth_to(IVAN_CHAT, 1)).startswith("❓ Ваши неразобранные номера")
    assert (await fake.nth_to(IVAN_CHAT, 2)).startswith(STRANGER)

    fake.press(IVAN_CHAT, f"tri:new:{STRANGER}:0")
    assert "Как назвать нового клиента" in await fake.nth_to(IVAN_CHAT, 3)
    fake.message(IVAN_CHAT, "ООО Новые Горизонты")
    answer = await fake.nth_to(IVAN_CHAT, 4)
    assert answer == f"✅ {STRANGER}: новый клиент «ООО Новые Горизонты» (ваш)"
    clients = await api.get("/api/v1/clients?name=Горизонты")
    assert [(c["name"], c["manager_id"]) for c in clients["items"]] == [
        ("ООО Новые Горизонты", team["ivan"]["id"])
    ]
    queue = await api.get("/api/v1/unknown-numbers")
    assert queue["items"] == []
    fake.message(IVAN_CHAT, "/unknown")
    assert await fake.nth_to(IVAN_CHAT, 5) == "Неразобранных номеров у вас нет 👍"


async def test_words_typed_for_something_else_never_become_a_card(
    api: Api, stub: Stub, clock: TestClock
) -> None:
    fake = stub[0]
    await sales_team(api)
    case = await miss(api, "m1", STRANGER)
    await fake.nth_to(IVAN_CHAT, 0)
    # «Новый клиент» asked for a name; Иван turns to closing the case instead.
    fake.press(IVAN_CHAT, f"tri:new:{STRANGER}:0")
    assert "Как назвать нового клиента" in await fake.nth_to(IVAN_CHAT, 1)
    fake.press(IVAN_CHAT, f"reason:{case['id']}:other")
    assert "напишите причину" in await fake.nth_to(IVAN_CHAT, 2)
    fake.message(IVAN_CHAT, "не дозвонился, написал на почту")
    assert "закрыт" in await fake.nth_to(IVAN_CHAT, 3)
    closed = await api.get(f"/api/v1/callback-cases/{case['id']}")
    assert closed["close_reason"] == "не дозвонился, написал на почту"
    assert (await api.get("/api/v1/clients?name=дозвонился"))["items"] == []

    # A question left unanswered for long is not answered by what comes much later.
    await miss(api, "m2", "+79167770022")
    fake.press(IVAN_CHAT, "tri:new:+79167770022:0")
    await until(lambda: len(fake.sent_to(IVAN_CHAT)) >= 6)
    clock.advance(timedelta(hours=1))
    fake.message(IVAN_CHAT, "ООО Запоздалое")
    assert (await fake.nth_to(IVAN_CHAT, 6)).startswith("Команды:")
    assert (await api.get("/api/v1/clients?name=Запоздалое"))["items"] == []


async def test_a_manager_triages_only_his_own_numbers(api: Api, stub: Stub) -> None:
    fake = stub[0]
    await sales_team(api)
    await api.post(
        "/api/v1/managers", {"name": "Пётр", "extension": "102", "telegram_chat_id": 1002}
    )
    await miss(api, "m1", STRANGER)  # rang Иван's phone: Иван's number, Ольга's team
    fake.press(1002, f"tri:to:{STRANGER}:1")  # the pressed message is edited with the answer
    await until(lambda: bool(_edits(fake, 1002)))
    assert _edits(fake, 1002) == [
        f"Номер {STRANGER} разбирает другой менеджер или его руководитель."
    ]
    assert (await api.get("/api/v1/unknown-numbers"))["items"][0]["status"] == "open"
    # His supervisor may.
    fake.press(BOSS_CHAT, f"tri:to:{STRANGER}:1")
    await until(
        lambda: any(t.startswith(f"✅ {STRANGER}: в списке") for t in _edits(fake, BOSS_CHAT))
    )
    assert (await api.get("/api/v1/unknown-numbers"))["items"] == []
