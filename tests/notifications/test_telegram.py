"""Alerts through real aiogram to the stand-in Bot API server, with 429, 5xx and 403."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from config.settings import OutboxSettings, Settings, TelegramSettings
from hub.app import create_app
from tests.support.api import Api, update
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.telegram_stub import BotApiStub, until, until_true

CALLER = "+79031112233"


@pytest.fixture
async def api(stub: Any, aiohttp_client: Any, db_url: str) -> Api:
    _, server = stub
    settings: Settings = make_settings(
        db_url,
        telegram=TelegramSettings(
            token="123456:TEST-TOKEN",
            api_base=str(server.make_url("")).rstrip("/"),
        ),
        outbox=OutboxSettings(
            per_chat_interval="0.2s",
            poll_interval="50ms",
            max_backoff="1s",
        ),
    )
    client = await aiohttp_client(create_app(settings))
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


async def _team(api: Api) -> None:
    boss = await api.post(
        "/api/v1/managers", {"name": "Ольга", "role": "supervisor", "telegram_chat_id": 1000}
    )
    ivan = await api.post(
        "/api/v1/managers",
        {"name": "Иван", "extension": "101", "supervisor_id": boss["id"], "telegram_chat_id": 1001},
    )
    await api.post(
        "/api/v1/clients", {"name": "ООО Ромашка", "manager_id": ivan["id"], "phones": [CALLER]}
    )


def _missed(call_id: str) -> list[dict[str, Any]]:
    return [
        update(call_id, "ringing", extension="101"),
        update(call_id, "ended", extension="101", reason="no_answer"),
    ]


async def test_missed_repeat_and_callback_reach_telegram(api: Api, stub: Any) -> None:
    fake: BotApiStub = stub[0]
    await _team(api)
    await api.hook(_missed("m1"))
    await until(lambda: len(fake.calls("sendMessage")) == 2)
    sent = {int(r.params["chat_id"]): r for r in fake.calls("sendMessage")}
    assert set(sent) == {1000, 1001}
    text = sent[1001].params["text"]
    assert text.startswith("📵 Пропущенный звонок\nООО Ромашка\n+79031112233\n")
    assert text.endswith("· пропущено: 1\n👤 Иван · персональный менеджер")
    rows = sent[1001].params["reply_markup"]["inline_keyboard"]
    assert [[b["text"] for b in row] for row in rows] == [["WhatsApp", "Карточка"], ["Перезвонил"]]
    assert rows[0][0]["url"] == "https://wa.me/79031112233"

    await api.hook(_missed("m2"))
    await until(lambda: len(fake.calls("editMessageText")) == 2)
    assert len(fake.calls("sendMessage")) == 2  # a repeat miss edits, it does not send
    assert all("· пропущено: 2\n" in e.params["text"] for e in fake.calls("editMessageText"))

    await api.hook(
        [
            update(
                "o1", "ringing", direction="outbound", caller="101", callee=CALLER, extension="101"
            ),
            update(
                "o1", "answered", direction="outbound", caller="101", callee=CALLER, extension="101"
            ),
        ]
    )
    await until(lambda: len(fake.calls("editMessageText")) == 4)
    final = fake.calls("editMessageText")[-2:]
    assert all(e.params["text"].startswith("✅ Перезвонили\nООО Ромашка") for e in final)
    # WhatsApp and the card stay under the edited message; «Перезвонил» goes.
    for edit in final:
        rows = edit.params["reply_markup"]["inline_keyboard"]
        assert [[b["text"] for b in row] for row in rows] == [["WhatsApp", "Карточка"]]
    # The stand-in numbers messages from 100: the edits target the two original messages.
    assert {int(e.params["message_id"]) for e in fake.calls("editMessageText")} == {100, 101}
    await until_true(_all_sent(api))  # nothing is left to go out
    assert len(fake.calls("sendMessage")) == 2 and len(fake.calls("editMessageText")) == 4


def _all_sent(api: Api) -> Callable[[], Awaitable[bool]]:
    """A check that every outbox message is marked sent (none pending, none dead)."""

    async def check() -> bool:
        counts = (await api.get("/api/v1/outbox"))["counts"]
        return set(counts) == {"sent"}

    return check


async def test_429_and_500_delay_but_never_lose_or_repeat(api: Api, stub: Any) -> None:
    fake: BotApiStub = stub[0]
    await _team(api)
    fake.fail(429, 1, retry_after=1)
    fake.fail(500, 2)
    started = asyncio.get_running_loop().time()
    await api.hook(_missed("m1"))
    await until(lambda: len(fake.calls("sendMessage")) == 2)
    assert asyncio.get_running_loop().time() - started >= 1.0  # retry_after was honoured

    await until_true(_all_sent(api))
    assert len(fake.calls("sendMessage")) == 2  # nothing sent twice


async def test_blocked_chat_is_marked_unreachable(api: Api, stub: Any) -> None:
    fake: BotApiStub = stub[0]
    await _team(api)
    fake.block(1001)
    await api.hook(_missed("m1"))
    await until(lambda: len(fake.calls("sendMessage")) == 1)

    async def settled() -> bool:
        counts = (await api.get("/api/v1/outbox"))["counts"]
        return bool(counts == {"sent": 1, "unreachable": 1})

    await until_true(settled, seconds=10)
    assert int(fake.calls("sendMessage")[0].params["chat_id"]) == 1000


async def test_screen_pop_as_the_call_is_routed(api: Api, stub: Any) -> None:
    fake: BotApiStub = stub[0]
    await _team(api)
    await api.hook(_missed("m1"))
    await until(lambda: len(fake.calls("sendMessage")) == 2)
    decision = await api.get("/api/v1/route?from=89031112233&to=74950001122&call_id=c2")
    assert decision["target"]["extension"] == "101"
    await until(lambda: len(fake.calls("sendMessage")) == 3)
    pop = fake.calls("sendMessage")[-1]
    assert int(pop.params["chat_id"]) == 1001
    lines = pop.params["text"].split("\n")
    assert lines[0] == "📞 Звонит ООО Ромашка"
    assert lines[1] == CALLER
    assert lines[2] == "статус: potential · менеджер: Иван"
    assert lines[3].startswith("последний контакт: ") and lines[3].endswith(", пропущен")
    assert lines[4].startswith("⚠️ не перезвонили: пропущено 1")
