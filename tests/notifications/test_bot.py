"""The staff bot end to end: real aiogram polling (or a webhook) against the stand-in Bot API.

People act the way they do in Telegram — open an invite link, type commands, press buttons,
reply — through updates the stand-in hands out; the assertions are on what reached the stand-in
and on the service's own API.
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from config.settings import Settings
from hub.app import create_app
from tests.support.api import Api
from tests.support.clock import MachineClock
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, bot_settings, make_settings
from tests.support.team import miss
from tests.support.telegram_stub import BotApiStub, until

CALLER = "+79031112233"
STRANGER = 777
Stub = tuple[BotApiStub, TestServer]


@pytest.fixture
async def api(stub: Stub, aiohttp_client: Any, db_url: str) -> Api:
    client = await aiohttp_client(create_app(bot_settings(db_url, stub[1])))
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


async def _team(api: Api) -> dict[str, Any]:
    boss = await api.post(
        "/api/v1/managers", {"name": "Ольга", "role": "supervisor", "telegram_chat_id": 1000}
    )
    ivan = await api.post(
        "/api/v1/managers",
        {"name": "Иван", "extension": "101", "supervisor_id": boss["id"], "telegram_chat_id": 1001},
    )
    petr = await api.post(
        "/api/v1/managers", {"name": "Пётр", "extension": "102", "telegram_chat_id": 1002}
    )
    client = await api.post(
        "/api/v1/clients", {"name": "ООО Ромашка", "manager_id": ivan["id"], "phones": [CALLER]}
    )
    return {"boss": boss, "ivan": ivan, "petr": petr, "client": client}


async def test_invite_binds_the_chat_once(api: Api, stub: Stub) -> None:
    fake = stub[0]
    people = await _team(api)
    petr = people["petr"]
    await api.call("PATCH", f"/api/v1/managers/{petr['id']}", {"telegram_chat_id": None})
    invite = await api.post(f"/api/v1/managers/{petr['id']}/invite", None)
    assert invite["link"] == f"https://t.me/dozvon_bot?start={invite['code']}"
    assert invite["manager_id"] == petr["id"]

    fake.message(5000, f"/start {invite['code']}")
    welcome = await fake.nth_to(5000, 0)
    assert welcome.startswith("Добро пожаловать, Пётр!")
    assert (await api.get(f"/api/v1/managers/{petr['id']}"))["telegram_chat_id"] == 5000

    # The same link from someone else: refused; the chat stays Пётр's.
    fake.message(6000, f"/start {invite['code']}")
    assert "уже использовано" in await fake.nth_to(6000, 0)
    assert (await api.get(f"/api/v1/managers/{petr['id']}"))["telegram_chat_id"] == 5000
    # A made-up code is a stranger's /start.
    fake.message(6001, "/start not-a-real-code")
    assert (await fake.nth_to(6001, 0)).startswith("Здравствуйте! Этот бот работает только")
    # Пётр can use his commands now.
    fake.message(5000, "/missed")
    assert await fake.nth_to(5000, 1) == "✅ Открытых случаев нет: всем перезвонили."
    audit = await api.get("/api/v1/audit?entity=manager")
    assert any(e["action"] == "bind_telegram" for e in audit["items"])


async def test_strangers_get_one_polite_refusal_and_nothing_else(api: Api, stub: Stub) -> None:
    fake = stub[0]
    await _team(api)
    await miss(api, "m1")
    for text in ("/missed", "/team", "/help", "hello", "/start"):
        fake.message(STRANGER, text)
    fake.press(STRANGER, "card:1")
    last = fake.press(STRANGER, "close:1")["update_id"]
    await until(lambda: fake.confirmed >= last)  # every update taken (handled side by side)
    await until(lambda: len(fake.calls("answerCallbackQuery")) == 2)
    await until(lambda: len(fake.sent_to(STRANGER)) >= 5)
    # An update is confirmed (by the next poll) only after it was handled: every answer is out.
    replies = fake.sent_to(STRANGER)
    assert len(replies) == 5
    assert all(r.startswith("Здравствуйте! Этот бот работает только") for r in replies)
    answers = fake.calls("answerCallbackQuery")
    assert all(a.params["text"].startswith("Здравствуйте!") for a in answers)
    # Nothing about the case or the client leaked, and nothing changed.
    assert all(CALLER not in r for r in replies)
    assert (await api.get("/api/v1/callback-cases?status=open"))["items"]


async def test_missed_team_and_help(api: Api, stub: Stub) -> None:
    fake = stub[0]
    people = await _team(api)
    await api.post(
        "/api/v1/clients",
        {"name": "ИП Сидоров", "manager_id": people["ivan"]["id"], "phones": ["+79035550000"]},
    )
    first = await miss(api, "m1")
    second = await miss(api, "m2", caller="+79035550000")
    fake.message(1001, "/missed")
    await until(lambda: any(t.startswith("📋") for t in fake.sent_to(1001)))
    mine = next(t for t in fake.sent_to(1001) if t.startswith("📋"))
    assert mine.splitlines()[0] == "📋 Ждут перезвона: 2"
    assert mine.index("ООО Ромашка · +79031112233") < mine.index("ИП Сидоров · +79035550000")
    request = next(r for r in fake.calls("sendMessage") if r.params["text"] == mine)
    buttons = [row[0]["callback_data"] for row in request.params["reply_markup"]["inline_keyboard"]]
    assert buttons == [f"close:{first['id']}", f"close:{second['id']}"]

    fake.message(1000, "/team")
    await until(lambda: any(t.startswith("👥") for t in fake.sent_to(1000)))
    team = next(t for t in fake.sent_to(1000) if t.startswith("👥"))
    assert team.splitlines()[0] == "👥 Открытые случаи команды: 2"
    assert team.count("ответственный: Иван") == 2

    fake.message(1002, "/team")
    assert await fake.nth_to(1002, 0) == "У вас нет подчинённых. Ваши случаи — /missed."
    fake.message(1002, "/help")
    assert (await fake.nth_to(1002, 1)).startswith("Команды:\n/missed")


async def test_called_back_button_closes_with_a_reason(api: Api, stub: Stub) -> None:
    fake = stub[0]
    await _team(api)
    case = await miss(api, "m1")
    await until(lambda: len(fake.calls("sendMessage")) == 2)  # the alerts

    # Пётр is not responsible and not the supervisor: refused, the case stays open.
    fake.press(1002, f"close:{case['id']}")
    await until(lambda: len(fake.calls("answerCallbackQuery")) == 1)
    refusal = fake.calls("answerCallbackQuery")[0].params
    assert refusal["text"].startswith("Этот случай закрывают ответственный менеджер")

    fake.press(1001, f"close:{case['id']}")
    question = await fake.nth_to(1001, 1)
    assert question == f"Почему закрываем случай #{case['id']} ({CALLER})?"
    asked = next(r for r in fake.calls("sendMessage") if r.params["text"] == question)
    choices = [row[0]["text"] for row in asked.params["reply_markup"]["inline_keyboard"]]
    assert choices == [
        "Перезвонил с мобильного",
        "Связался в мессенджере",
        "Перезвон не нужен",
        "Другая причина…",
        "Отмена",
    ]
    fake.press(1001, f"reason:{case['id']}:mobile")
    await until(lambda: len(fake.calls("editMessageText")) == 3)
    closed = (await api.get("/api/v1/callback-cases?status=closed"))["items"]
    assert [(c["id"], c["close_reason"], c["closed_by"]) for c in closed] == [
        (case["id"], "Перезвонил с мобильного", "Иван")
    ]
    edits = [e.params["text"] for e in fake.calls("editMessageText")]
    assert f"Случай #{case['id']} закрыт: Перезвонил с мобильного" in edits
    assert sum(t.startswith("☑️ Закрыто вручную\nООО Ромашка") for t in edits) == 2
    assert any(t.endswith("Иван: Перезвонил с мобильного") for t in edits)

    # Pressing again: the case is already closed, nothing changes.
    again = fake.press(1001, f"reason:{case['id']}:messenger")["update_id"]
    await until(lambda: fake.confirmed >= again)  # handled, whatever it sent
    assert len(fake.calls("answerCallbackQuery")) == 4
    assert "уже закрыт" in fake.calls("answerCallbackQuery")[-1].params["text"]
    assert len(fake.calls("editMessageText")) == 4  # only the question was edited again


async def test_another_reason_is_written_as_a_reply(api: Api, stub: Stub) -> None:
    fake = stub[0]
    await _team(api)
    case = await miss(api, "m1")
    # The supervisor closes it for his manager.
    fake.press(1000, f"reason:{case['id']}:other")
    prompt_text = f"Случай #{case['id']}: напишите причину ответом на это сообщение."
    await until(lambda: prompt_text in fake.sent_to(1000))
    prompt = next(r for r in fake.calls("sendMessage") if r.params["text"] == prompt_text)
    assert prompt.params["reply_markup"]["force_reply"] is True
    fake.message(
        1000,
        "Клиент написал на почту, вопрос решён",
        reply_to={
            "message_id": 555,
            "date": 0,
            "chat": {"id": 1000, "type": "private"},
            "from": {"id": 42, "is_bot": True, "first_name": "Dozvon"},
            "text": prompt_text,
        },
    )
    done = f"Случай #{case['id']} закрыт: Клиент написал на почту, вопрос решён"
    await until(lambda: done in fake.sent_to(1000))
    closed = (await api.get("/api/v1/callback-cases?status=closed"))["items"]
    assert closed[0]["close_reason"] == "Клиент написал на почту, вопрос решён"
    assert closed[0]["closed_by"] == "Ольга"


async def test_card_button_shows_the_client(api: Api, stub: Stub) -> None:
    fake = stub[0]
    people = await _team(api)
    await miss(api, "m1")
    fake.press(1001, f"card:{people['client']['id']}")
    await until(lambda: any(t.startswith("🗂") for t in fake.sent_to(1001)))
    card = next(t for t in fake.sent_to(1001) if t.startswith("🗂")).splitlines()
    assert card[0] == "🗂 ООО Ромашка"
    assert card[1].endswith("менеджер: Иван")
    assert card[2] == f"телефоны: {CALLER}"
    assert card[3] == "последние звонки:"
    assert card[4].endswith("входящий — пропущен")
    assert card[5].startswith("⚠️ не перезвонили: пропущено 1")
    fake.press(1001, "card:999999")
    await until(lambda: len(fake.calls("answerCallbackQuery")) == 2)
    assert "не найдена" in fake.calls("answerCallbackQuery")[-1].params["text"]


async def test_webhook_mode_checks_the_secret(stub: Stub, aiohttp_client: Any, db_url: str) -> None:
    fake, server = stub
    settings = _webhook_settings(db_url, server)
    client = await aiohttp_client(create_app(settings))
    await until(lambda: len(fake.calls("setWebhook")) == 1)
    registered = fake.calls("setWebhook")[0].params
    assert registered["url"] == "https://dozvon.example.com/telegram/webhook"
    assert registered["secret_token"] == "s3cret-token"
    assert not fake.calls("getUpdates")

    body = fake.as_update(STRANGER, "/missed")
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
        response = await client.post("/telegram/webhook", json=body, headers=headers)
        assert response.status == 401
    response = await client.post("/telegram/webhook", data=b"{not json", headers=_secret())
    assert response.status == 400
    assert fake.sent_to(STRANGER) == []
    response = await client.post("/telegram/webhook", json=body, headers=_secret())
    assert response.status == 200
    # Answered only after handling: the refusal is already out.
    assert len(fake.sent_to(STRANGER)) == 1
    # Telegram retrying the same update changes nothing.
    response = await client.post("/telegram/webhook", json=body, headers=_secret())
    assert response.status == 200
    assert len(fake.sent_to(STRANGER)) == 1


def _secret() -> dict[str, str]:
    return {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}


def _webhook_settings(db_url: str, server: TestServer) -> Settings:
    return bot_settings(
        db_url,
        server,
        mode="webhook",
        webhook_url="https://dozvon.example.com/telegram/webhook",
        webhook_secret="s3cret-token",
    )


async def test_webhook_behind_several_instances_handles_an_update_once(
    stub: Stub, aiohttp_client: Any, db_url: str
) -> None:
    fake, server = stub
    settings = _webhook_settings(db_url, server)
    first = await aiohttp_client(create_app(settings))
    second = await aiohttp_client(create_app(settings))  # another instance, the same database

    async def post(client: Any, body: dict[str, Any]) -> int:
        response = await client.post("/telegram/webhook", json=body, headers=_secret())
        return int(response.status)

    body = fake.as_update(STRANGER, "/help")
    # Telegram posts it again (a late answer) — to the other instance, and at the same moment.
    statuses = await asyncio.gather(post(first, body), post(second, body))
    assert list(statuses) == [200, 200]
    assert await post(second, body) == 200
    assert len(fake.sent_to(STRANGER)) == 1

    # Handling that fails (Telegram refuses the answer) gives the update back: the retry, at
    # the other instance, is handled; after that it is done everywhere.
    fake.fail(500, 1)
    again = fake.as_update(STRANGER, "/missed")
    assert await post(first, again) == 500
    assert len(fake.sent_to(STRANGER)) == 1
    assert await post(second, again) == 200
    assert len(fake.sent_to(STRANGER)) == 2
    assert [await post(c, again) for c in (first, second)] == [200, 200]
    assert len(fake.sent_to(STRANGER)) == 2


async def test_polling_mode_has_no_webhook_endpoint(api: Api) -> None:
    response = await api.client.post("/telegram/webhook", json={"update_id": 1})
    assert response.status == 404


async def test_invite_without_a_bot_is_a_clear_error(aiohttp_client: Any, db_url: str) -> None:
    client = await aiohttp_client(create_app(make_settings(db_url)))
    api = Api(client, ADMIN_TOKEN, HOOK_SECRET)
    manager = await api.post("/api/v1/managers", {"name": "Иван"})
    status, body = await api.call("POST", f"/api/v1/managers/{manager['id']}/invite")
    assert status == 503
    assert "telegram.token" in body["error"]["message"]
    status, body = await api.call("POST", "/api/v1/managers/999/invite")
    assert status in (404, 503)


async def test_cli_prints_an_invite_link(stub: Stub, aiohttp_client: Any, db_url: str) -> None:
    fake, server = stub
    # The CLI issues the invite in a process of its own, on the machine's clock.
    client = await aiohttp_client(create_app(bot_settings(db_url, server), clock=MachineClock()))
    api = Api(client, ADMIN_TOKEN, HOOK_SECRET)
    await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    env = {
        **os.environ,
        "DOZVON_DATABASE__URL": db_url,
        "DOZVON_TELEGRAM__TOKEN": "123456:TEST-TOKEN",
        "DOZVON_TELEGRAM__API_BASE": str(server.make_url("")).rstrip("/"),
    }
    code, out, err = await _cli(env, "managers", "invite", "101")
    assert code == 0, err
    name, link = out.strip().split(": ")
    assert name == "Иван"
    assert link.startswith("https://t.me/dozvon_bot?start=")
    fake.message(5100, f"/start {link.rsplit('=', 1)[1]}")
    assert (await fake.nth_to(5100, 0)).startswith("Добро пожаловать, Иван!")

    code, _, err = await _cli(env, "managers", "invite", "nobody")
    assert code == 2
    assert "no manager with extension, id or name 'nobody'" in err


async def _cli(env: dict[str, str], *args: str) -> tuple[int | None, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "hub.cli",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    return process.returncode, out.decode(), err.decode()
