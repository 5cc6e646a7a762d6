"""Telegram settings end to end: the admin's notice of an unreachable chat, the proxy, English.

Real aiogram talks to the stand-in Bot API (through the stand-in proxy where one is set); the
assertions are on what reached them and on the outbox.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from config.settings import EscalationSettings, OutboxSettings, Settings, TelegramSettings
from hub.app import create_app
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.people import ESCALATION_SWEEP, SCHEDULE
from storage.models import Manager, OutboxMessage
from tests.support.api import Api, update
from tests.support.clock import TestClock
from tests.support.http_proxy import HttpProxyStub
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.team import sales_team
from tests.support.telegram_stub import BotApiStub, until, until_true

CALLER = "+79031112233"
OTHER = "+79035550000"
TWO = (("ООО Ромашка", CALLER), ("ИП Сидоров", OTHER))
ADMIN_CHAT = 5000
Stub = tuple[BotApiStub, TestServer]


def _settings(db_url: str, server: TestServer, **telegram: Any) -> Settings:
    return make_settings(
        db_url,
        telegram=TelegramSettings(
            token="123456:TEST-TOKEN",
            api_base=str(server.make_url("")).rstrip("/"),
            polling_timeout="1s",
            **telegram,
        ),
        escalation=EscalationSettings(after=timedelta(hours=2), sweep_interval=timedelta(hours=1)),
        outbox=OutboxSettings(per_chat_interval="0s", poll_interval="50ms"),
    )


async def _start(aiohttp_client: Any, settings: Settings, clock: TestClock | None = None) -> Api:
    client = await aiohttp_client(create_app(settings, clock=clock or TestClock()))
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


def _missed(call_id: str, caller: str = CALLER) -> list[dict[str, Any]]:
    return [
        update(call_id, "ringing", caller=caller, extension="101"),
        update(call_id, "ended", caller=caller, extension="101", reason="no_answer"),
    ]


def _called_back(call_id: str) -> list[dict[str, Any]]:
    leg = {"direction": "outbound", "caller": "101", "callee": CALLER, "extension": "101"}
    return [update(call_id, "ringing", **leg), update(call_id, "answered", **leg)]


async def _settled(api: Api) -> dict[str, int]:
    """Wait until nothing in the outbox is pending; its counts by status then."""

    async def done() -> bool:
        return "pending" not in (await api.get("/api/v1/outbox"))["counts"]

    await until_true(done)
    counts: dict[str, int] = (await api.get("/api/v1/outbox"))["counts"]
    return counts


async def _rows(api: Api, chat_id: int) -> list[OutboxMessage]:
    async with api.app[SESSIONS]() as session:
        query = select(OutboxMessage).where(OutboxMessage.chat_id == chat_id)
        return list((await session.scalars(query.order_by(OutboxMessage.id))).all())


async def test_an_unreachable_chat_is_told_to_the_admin_once(
    stub: Stub, aiohttp_client: Any, db_url: str
) -> None:
    fake, server = stub
    api = await _start(aiohttp_client, _settings(db_url, server, admin_chat_id=ADMIN_CHAT))
    team = await sales_team(api, TWO)
    fake.block(1001)  # Иван blocked the bot: his chat answers 403
    await api.hook(_missed("m1"))
    assert await _settled(api) == {"sent": 2, "unreachable": 1}  # Ольга's alert, the notice
    [alert] = await _rows(api, 1001)
    assert (alert.kind, alert.status) == ("missed", "unreachable")
    assert "Forbidden" in (alert.last_error or "")
    notice = "Чат Telegram сотрудника Иван недоступен (бот заблокирован): сообщения ему не доходят."
    assert fake.sent_to(ADMIN_CHAT) == [notice]
    async with api.app[SESSIONS]() as session:
        ivan = await session.get(Manager, team["ivan"]["id"])
        assert ivan is not None and ivan.chat_unreachable

    # Another message for him is not tried in the blocked chat again (with no other channel it
    # goes to the log), and the admin hears nothing more.
    await api.hook(_missed("m2", caller=OTHER))
    assert await _settled(api) == {"sent": 4, "unreachable": 1}
    assert [r.status for r in await _rows(api, 1001)] == ["unreachable"]
    assert fake.sent_to(1001) == []
    assert fake.sent_to(ADMIN_CHAT) == [notice]
    assert [r.kind for r in await _rows(api, ADMIN_CHAT)] == ["notice"]
    assert len(fake.sent_to(1000)) == 2  # the supervisor still got both alerts


@pytest.fixture
async def proxy() -> AsyncIterator[HttpProxyStub]:
    """The stand-in proxy, started before the app (so it outlives it)."""
    fake = HttpProxyStub()
    await fake.start()
    yield fake
    await fake.close()


async def test_alerts_go_through_the_proxy(
    stub: Stub,
    proxy: HttpProxyStub,
    aiohttp_client: Any,
    db_url: str,
) -> None:
    fake, server = stub
    api = await _start(aiohttp_client, _settings(db_url, server, proxy=proxy.url))
    await sales_team(api, TWO)
    await api.hook(_missed("m1"))
    assert await _settled(api) == {"sent": 2}
    sends = fake.calls("sendMessage")
    assert sorted(int(r.params["chat_id"]) for r in sends) == [1000, 1001]
    # Every tunnel the proxy opened led to the stand-in Bot API, and every request the stand-in
    # received (the sends, and the staff bot's polling) came through one of them.
    assert proxy.tunnels and proxy.refused == []
    assert {(t.host, t.port) for t in proxy.tunnels} == {(server.host, server.port)}
    assert fake.requests and all(r.peer in proxy.sources() for r in fake.requests)


async def test_english_alerts_escalation_and_help(
    stub: Stub, aiohttp_client: Any, db_url: str
) -> None:
    fake, server = stub
    clock = TestClock()
    api = await _start(aiohttp_client, _settings(db_url, server, language="en"), clock)
    await sales_team(api, TWO)
    await api.hook(_missed("m1"))
    await until(lambda: len(fake.calls("sendMessage")) == 2)
    alert = next(r for r in fake.calls("sendMessage") if int(r.params["chat_id"]) == 1001)
    lines = alert.params["text"].split("\n")
    assert lines[:3] == ["📵 Missed call", "ООО Ромашка", CALLER]
    assert lines[3].endswith(" · missed: 1")
    assert lines[4] == "👤 Иван · personal manager"
    rows = alert.params["reply_markup"]["inline_keyboard"]
    assert [[b["text"] for b in row] for row in rows] == [["WhatsApp", "Card"], ["Called back"]]
    assert await _settled(api) == {"sent": 2}

    clock.advance(timedelta(hours=2, minutes=1))
    assert await api.app[SCHEDULE].job(ESCALATION_SWEEP).run(clock.now()) == 1
    await until(lambda: len(fake.calls("sendMessage")) == 4)
    escalations = [r.params for r in fake.calls("sendMessage")[2:]]
    assert sorted(int(p["chat_id"]) for p in escalations) == [1000, 9000]
    for params in escalations:
        text = params["text"].split("\n")
        assert text[0] == "⚠️ Nobody called back within 2 h"
        assert text[3].startswith("first call: ") and text[3].endswith(", calls: 1")
        assert text[4] == "responsible: Иван"

    await api.hook(_called_back("o1"))
    await until(lambda: len(fake.calls("editMessageText")) == 2)
    for edit in fake.calls("editMessageText"):
        text = edit.params["text"].split("\n")
        assert text[:3] == ["✅ Called back", "ООО Ромашка", CALLER]
        assert text[3].startswith("Иван called back after 2 h 1 min")

    fake.message(1001, "/help")
    await until(lambda: len(fake.sent_to(1001)) == 2)
    answer = fake.sent_to(1001)[1].split("\n")
    assert answer[:2] == ["Commands:", "/missed — my clients waiting for a callback (oldest first)"]
