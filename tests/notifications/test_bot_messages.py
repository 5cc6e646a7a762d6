"""The staff bot with clients' messages: a client's card shows his latest messages beside his
calls (who wrote, on which channel, the first line, how far ours got) and whether a message of
his waits for an answer; /missed and /team mark a message nobody answered with ✉️ among the
missed calls."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from hub.app import create_app
from hub.bootstrap.database import SESSIONS
from tests.support.api import Api
from tests.support.conversations import (
    conversation,
    message_case,
    open_overdue_cases,
    said_in,
    said_out,
)
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, bot_settings
from tests.support.team import CALLER, miss, sales_team
from tests.support.telegram_stub import BotApiStub, until

OTHER = "+79035550000"
MIN = timedelta(minutes=1)
Stub = tuple[BotApiStub, TestServer]


@pytest.fixture
async def api(stub: Stub, aiohttp_client: Any, db_url: str) -> Api:
    client = await aiohttp_client(create_app(bot_settings(db_url, stub[1])))
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


async def _answer(fake: BotApiStub, chat: int, starts: str) -> str:
    """The bot's message to ``chat`` that starts with ``starts``, once it has come."""
    await until(lambda: any(t.startswith(starts) for t in fake.sent_to(chat)))
    return next(t for t in fake.sent_to(chat) if t.startswith(starts))


async def test_the_card_shows_the_latest_messages_and_the_wait(api: Api, stub: Stub) -> None:
    fake = stub[0]
    team = await sales_team(api)
    client_id, ivan = team["client"]["id"], team["ivan"]["id"]
    await conversation(
        api.app[SESSIONS],
        channel="tg",
        contact="5001",
        name="Анна",
        client_id=client_id,
        manager_id=ivan,
        now=api.clock.now(),
        awaiting=5 * MIN,
        overdue=MIN,
        messages=[
            said_in("Самое старое: на карточке его уже нет", 60 * MIN),
            said_in("Здравствуйте!\nПришлите счёт, пожалуйста", 50 * MIN),
            said_out("Добрый день", 40 * MIN, "read", by=ivan),
            said_out("Вы тут? " + "очень " * 20 + "длинно", 30 * MIN, "failed", by=ivan),
            said_out("", 20 * MIN, "pending", by=ivan, attachments=[{"kind": "template"}]),
            said_in("", 5 * MIN, attachments=[{"kind": "photo", "name": "счёт.jpg"}]),
        ],
    )
    assert await open_overdue_cases(api.app) == 1
    fake.press(1001, f"card:{client_id}")
    card = (await _answer(fake, 1001, "🗂")).splitlines()
    assert card[0] == "🗂 ООО Ромашка"
    assert card[3:6] == ["последние звонки:", "не было", "последние сообщения:"]
    lines = card[6:11]
    assert lines[0].endswith(" ← Анна (tg): 📎 счёт.jpg")
    assert lines[1].endswith(" → Иван (tg): 📨 шаблон WhatsApp ⏳")
    assert " → Иван (tg): Вы тут? очень" in lines[2] and lines[2].endswith("… ❗")
    assert len(lines[2].split(": ", 1)[1]) <= 80 + len(" ❗")
    assert lines[3].endswith(" → Иван (tg): Добрый день ✓✓")
    assert lines[4].endswith(" ← Анна (tg): Здравствуйте!")
    assert not any("Самое старое" in line for line in card)
    assert card[11].startswith("⚠️ не ответили на сообщение: ждёт с ")
    assert len(card) == 12


async def test_a_card_without_messages_is_as_before(api: Api, stub: Stub) -> None:
    fake = stub[0]
    team = await sales_team(api)
    await miss(api, "m1")
    fake.press(1001, f"card:{team['client']['id']}")
    card = (await _answer(fake, 1001, "🗂")).splitlines()
    assert "последние сообщения:" not in card
    assert card[4].endswith("входящий — пропущен")
    assert card[5].startswith("⚠️ не перезвонили: пропущено 1")


async def test_missed_and_team_mark_a_message_case(api: Api, stub: Stub) -> None:
    fake = stub[0]
    team = await sales_team(api, (("ООО Ромашка", CALLER), ("ИП Лютик", OTHER)))
    ivan = team["ivan"]["id"]
    now = api.clock.now()
    await conversation(
        api.app[SESSIONS],
        channel="tg",
        contact="5001",
        name="Лютик",
        client_id=team["clients"][1]["id"],
        manager_id=ivan,
        now=now,
        awaiting=30 * MIN,
        overdue=MIN,
        messages=[said_in("Вы работаете в субботу?", 30 * MIN)],
    )
    assert await open_overdue_cases(api.app) == 1
    stranger = await conversation(
        api.app[SESSIONS],
        channel="max",
        contact="7002",
        name="Пётр",
        manager_id=ivan,
        now=now,
        awaiting=20 * MIN,
        messages=[said_in("Здравствуйте", 20 * MIN)],
    )
    await message_case(
        api.app[SESSIONS], stranger, number="max:7002", manager_id=ivan, since=now - 20 * MIN
    )
    await miss(api, "m1", CALLER)

    fake.message(1001, "/missed")
    mine = (await _answer(fake, 1001, "📋")).splitlines()
    assert mine[0] == "📋 Ждут перезвона: 3"
    assert mine[1] == f"1. ✉️ ИП Лютик · {OTHER}"
    assert mine[2].startswith("   сообщение без ответа с ")
    assert mine[3] == "2. ✉️ Пётр · max:7002"
    assert mine[5] == f"3. ООО Ромашка · {CALLER}"
    assert mine[6].startswith("   пропущено: 1, первый звонок ")
    assert sum("✉️" in line for line in mine) == 2

    fake.message(1000, "/team")
    theirs = (await _answer(fake, 1000, "👥")).splitlines()
    assert theirs[0] == "👥 Открытые случаи команды: 3"
    assert theirs[1] == f"1. ✉️ ИП Лютик · {OTHER}"
    assert theirs[3] == "   ответственный: Иван"
    assert theirs[4] == "2. ✉️ Пётр · max:7002"
    assert theirs[7] == f"3. ООО Ромашка · {CALLER}"
