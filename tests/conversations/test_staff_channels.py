"""Staff channels beyond Telegram, end to end: a person is told through the first channel of his
order that reaches him, and when one turns out unreachable, through the next — the admin is told
once.

Real aiogram (staff bot stand-in), the MAX staff channel against MAX's stand-in, e-mail through
a stand-in SMTP server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from config.settings import Settings
from hub.bootstrap.database import SESSIONS
from storage.models import Manager
from tests.conversations.conftest import hub_settings, start
from tests.support.api import Api
from tests.support.max_api import MaxApi
from tests.support.smtp import SmtpStandIn
from tests.support.team import miss, sales_team
from tests.support.telegram_stub import BotApiStub, until

Stub = tuple[BotApiStub, TestServer]
ADMIN_CHAT = 5000
IVAN_MAX = 700100


@pytest.fixture
async def smtp() -> AsyncIterator[SmtpStandIn]:
    async with SmtpStandIn() as server:
        yield server


def _settings(db_url: str, staff: TestServer, max_api: MaxApi, smtp: SmtpStandIn) -> Settings:
    return hub_settings(
        db_url, staff, admin_chat_id=ADMIN_CHAT, max=max_api.staff(), email=smtp.settings()
    )


async def _set(api: Api, manager_id: int, **fields: Any) -> None:
    async with api.app[SESSIONS]() as session:
        person = await session.get(Manager, manager_id)
        assert person is not None
        for key, value in fields.items():
            setattr(person, key, value)
        await session.commit()


async def test_a_person_who_prefers_max_gets_his_alert_there(
    staff: Stub, max_api: MaxApi, smtp: SmtpStandIn, aiohttp_client: Any, db_url: str
) -> None:
    staff_bot, staff_server = staff
    api = await start(aiohttp_client, _settings(db_url, staff_server, max_api, smtp))
    team = await sales_team(api)
    await _set(api, team["ivan"]["id"], max_user_id=IVAN_MAX, channels=["max", "telegram"])

    await miss(api, "c1")
    await until(lambda: bool(max_api.sent_to_user(IVAN_MAX)))
    [alert] = max_api.sent_to_user(IVAN_MAX)
    assert alert.startswith("📵 Пропущенный звонок")
    # Buttons travel as MAX's inline keyboard.
    [body] = max_api.messages_to(IVAN_MAX)
    keyboard = next(a for a in body["attachments"] if a["type"] == "inline_keyboard")
    assert keyboard["payload"]["buttons"]
    # Not in his Telegram chat; his supervisor still gets hers in Telegram.
    await staff_bot.nth_to(1000, 0)
    assert staff_bot.sent_to(1001) == []


async def test_a_blocked_telegram_chat_falls_back_to_mail_and_the_admin_hears_once(
    staff: Stub, max_api: MaxApi, smtp: SmtpStandIn, aiohttp_client: Any, db_url: str
) -> None:
    staff_bot, staff_server = staff
    api = await start(aiohttp_client, _settings(db_url, staff_server, max_api, smtp))
    team = await sales_team(api, (("ООО Ромашка", "+79031112233"), ("ИП Сидоров", "+79035550000")))
    await _set(api, team["ivan"]["id"], email="ivan@example.ru")
    staff_bot.block(1001)

    await miss(api, "c1", "+79031112233")
    [mail] = await smtp.wait_for_messages_to("ivan@example.ru")
    assert "Пропущенный звонок" in str(mail["Subject"])
    await until(lambda: bool(staff_bot.sent_to(ADMIN_CHAT)))
    [notice] = staff_bot.sent_to(ADMIN_CHAT)
    assert notice.startswith("Чат Telegram сотрудника Иван недоступен")
    assert "e-mail" in notice

    # The next alert goes straight to mail; the admin is not told again.
    await miss(api, "c2", "+79035550000")
    await smtp.wait_for_messages_to("ivan@example.ru", 2)
    await staff_bot.nth_to(1000, 1)
    assert len(staff_bot.sent_to(ADMIN_CHAT)) == 1
    async with api.app[SESSIONS]() as session:
        ivan = await session.get(Manager, team["ivan"]["id"])
        assert ivan is not None and ivan.chat_unreachable


async def test_an_edit_refused_on_telegram_edits_the_alert_on_max_instead(
    staff: Stub, max_api: MaxApi, smtp: SmtpStandIn, aiohttp_client: Any, db_url: str
) -> None:
    """Ivan's alert reached him on MAX; then he put Telegram first. The repeat miss's edit goes
    to his Telegram chat as a new message, is refused for a while (429), and on its next try
    finds the bot blocked: its copy on MAX edits the alert there rather than clash with it."""
    staff_bot, staff_server = staff
    api = await start(aiohttp_client, _settings(db_url, staff_server, max_api, smtp))
    team = await sales_team(api)
    ivan = team["ivan"]["id"]
    await _set(api, ivan, max_user_id=IVAN_MAX, channels=["max", "telegram"])
    await miss(api, "c1")
    await until(lambda: bool(max_api.sent_to_user(IVAN_MAX)))
    [mid] = [mid for mid, body in max_api.messages.items() if body.get("text", "").startswith("📵")]
    await staff_bot.nth_to(1000, 0)  # his supervisor's, in Telegram: out before the refusal

    await _set(api, ivan, channels=["telegram", "max"])
    staff_bot.fail_method("sendMessage", 429, 1, retry_after=1)
    staff_bot.block(1001)
    await miss(api, "c2")
    await until(lambda: bool(max_api.edits_of(mid)), seconds=20)
    [edit] = max_api.edits_of(mid)
    assert "пропущено: 2" in edit["text"]  # the second miss
    assert len(max_api.sent_to_user(IVAN_MAX)) == 1  # edited, not sent again
    await until(lambda: bool(staff_bot.sent_to(ADMIN_CHAT)))
    assert staff_bot.sent_to(1001) == []
