"""The month-end report and the Monday lists end to end: the app's clock is moved to the moment,
the job runs the way the service runs it, and what reaches the stand-in Bot API is read back —
the messages, and the CSV and XLSX documents row by row."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestServer
from openpyxl import load_workbook

from config.settings import (
    DigestSettings,
    OutboxSettings,
    ReportsSettings,
    Settings,
    TelegramSettings,
)
from hub.app import create_app
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.people import DAILY_DIGEST, SCHEDULE
from hub.bootstrap.reports import FORGOTTEN_CLIENTS, MONTH_END_REPORT
from hub.domain.forgotten import ForgottenClient
from hub.services.reports.forgotten_list import forgotten_message
from tests.support.api import Api
from tests.support.clock import MOSCOW, TestClock
from tests.support.report_month import CHATS, DIRECTOR, IVAN, OLGA, PETR, seed_month
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.team import outbox
from tests.support.telegram_stub import BotApiStub, until, until_true

# November 2026 ends on a Monday: its last working day is the 30th.
EARLY = datetime(2026, 11, 30, 8, 0, tzinfo=MOSCOW)
REPORT_TIME = datetime(2026, 11, 30, 10, 0, tzinfo=MOSCOW)
HEADER = ["Номер", "ID менеджера", "Менеджер", "Звонков", "Первый звонок", "Последний звонок"]


def _settings(db_url: str, server: TestServer) -> Settings:
    return make_settings(
        db_url,
        telegram=TelegramSettings(
            token="123456:TEST-TOKEN", api_base=str(server.make_url("")).rstrip("/")
        ),
        digest=DigestSettings(enabled=True, time="09:00"),
        reports=ReportsSettings(enabled=True),
        outbox=OutboxSettings(per_chat_interval="0s", poll_interval="50ms"),
    )


async def _app(aiohttp_client: Any, db_url: str, server: TestServer, clock: TestClock) -> Api:
    client = await aiohttp_client(create_app(_settings(db_url, server), clock=clock))
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _xlsx(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _wall(day: int) -> datetime:
    """10:00 on a November day in Moscow, as a spreadsheet (which knows no zones) shows it."""
    return datetime(2026, 11, day, 10, 0, tzinfo=MOSCOW).replace(tzinfo=None)


def _reports(fake: BotApiStub, chat: int) -> list[str]:
    return [t for t in fake.sent_to(chat) if t.startswith(("📋", "✅", "📈"))]


async def _delivered(fake: BotApiStub) -> None:
    """Every report message and document reached the stand-in."""
    await until(lambda: len(fake.calls("sendDocument")) >= 6)
    await until(lambda: sum(len(_reports(fake, chat)) for chat in CHATS.values()) >= 4)


def _check_reports(fake: BotApiStub) -> None:
    assert len(fake.calls("sendDocument")) == 6
    assert {chat: len(_reports(fake, chat)) for chat in CHATS.values()} == {
        1000: 1,
        1001: 1,
        1002: 1,
        9000: 1,
    }
    # Иван's own numbers: the summary, then the CSV and the XLSX with the same rows.
    assert _reports(fake, CHATS[IVAN])[0].startswith(
        "📋 Незарегистрированные номера за 2026-11: 2 (звонков: 3)"
    )
    files = fake.documents_to(CHATS[IVAN])
    assert [name for name, _ in files] == [
        f"unregistered-2026-11-{IVAN}.csv",
        f"unregistered-2026-11-{IVAN}.xlsx",
    ]
    rows = _csv(files[0][1])
    assert rows[0][:6] == HEADER
    assert rows[1:] == [
        [
            "+79161000001",
            "2",
            "Иван",
            "2",
            "2026-11-03 10:00",
            "2026-11-05 10:00",
            "/api/v1/calls/1/recording",
        ],
        ["+79161000003", "2", "Иван", "1", "2026-11-12 10:00", "2026-11-12 10:00", ""],
    ]
    sheet = _xlsx(files[1][1])
    assert sheet[0][:6] == HEADER
    assert [(r[0], r[1], r[3], r[4]) for r in sheet[1:]] == [
        ("+79161000001", 2, 2, _wall(3)),
        ("+79161000003", 2, 1, _wall(12)),
    ]
    assert [r[0] for r in _csv(fake.documents_to(CHATS[PETR])[0][1])[1:]] == [
        "+79161000001",
        "+79161000002",
    ]
    # Ольга: her team's numbers and the team's KPI.
    team = _reports(fake, CHATS[OLGA])[0].split("\n")
    assert team[:3] == [
        "📋 Команда Ольга: незарегистрированные номера за 2026-11: 4 (звонков: 5)",
        "· Иван: 2",
        "· Пётр: 2",
    ]
    assert "Иван: 4 — разобрано номеров 1, карточек 1, телефонов 2" in team
    assert "Пётр: 2 — разобрано номеров 2, карточек 0, телефонов 0" in team
    team_files = fake.documents_to(CHATS[OLGA])
    assert [name for name, _ in team_files] == [
        f"unregistered-2026-11-team-{OLGA}.csv",
        f"unregistered-2026-11-team-{OLGA}.xlsx",
    ]
    assert len(_csv(team_files[0][1])) == 5 and len(_xlsx(team_files[1][1])) == 5
    # The director: the whole company's KPI table, no files.
    assert _reports(fake, CHATS[DIRECTOR])[0].split("\n") == [
        "📈 Контакты уточнены за 2026-11, вся компания",
        "Ольга: 0 — разобрано номеров 0, карточек 0, телефонов 0",
        "Иван: 4 — разобрано номеров 1, карточек 1, телефонов 2",
        "Пётр: 2 — разобрано номеров 2, карточек 0, телефонов 0",
        "итого: 6",
    ]
    assert fake.documents_to(CHATS[DIRECTOR]) == []


async def test_month_end_report_goes_out_once(stub: Any, aiohttp_client: Any, db_url: str) -> None:
    fake, server = stub
    clock = TestClock(EARLY)
    api = await _app(aiohttp_client, db_url, server, clock)
    await seed_month(api.app[SESSIONS])
    schedule = api.app[SCHEDULE]
    report = schedule.job(MONTH_END_REPORT).run
    assert await report(REPORT_TIME - timedelta(minutes=1)) == 0  # 09:59: not yet
    assert await report(REPORT_TIME - timedelta(days=3)) == 0  # Friday: not the last one
    # One document fails once on the way: it is sent again, and nothing else twice.
    fake.fail_documents(500, 1)

    clock.set(REPORT_TIME)  # 10:00 on the last working day: the trigger wakes the job
    schedule.wake(MONTH_END_REPORT)
    await schedule.settle(MONTH_END_REPORT)
    rows = [r for r in await outbox(api) if r.kind == "report"]
    assert sorted(r.dedup_key for r in rows) == sorted(
        [
            f"report:unregistered:2026-11:{IVAN}:{IVAN}",
            f"report:unregistered:2026-11:{PETR}:{PETR}",
            f"report:unregistered:2026-11:team-{OLGA}:{OLGA}",
            f"report:kpi:2026-11:company:{DIRECTOR}",
        ]
    )
    # Woken again, run later that day or that month: nothing more.
    schedule.wake(MONTH_END_REPORT)
    await schedule.settle(MONTH_END_REPORT)
    assert await report(REPORT_TIME + timedelta(hours=13, minutes=59)) == 0

    await _delivered(fake)
    _check_reports(fake)
    assert len(fake.document_failures) == 0


async def test_two_instances_send_once(stub: Any, aiohttp_client: Any, db_url: str) -> None:
    fake, server = stub
    clock = TestClock(EARLY)
    one = await _app(aiohttp_client, db_url, server, clock)
    two = await _app(aiohttp_client, db_url, server, clock)
    await seed_month(one.app[SESSIONS])
    clock.set(REPORT_TIME)
    # Both instances run the job at the same moment: one writes the reports, the other none.
    runs = [api.app[SCHEDULE].job(MONTH_END_REPORT).run for api in (one, two)]
    counts = await asyncio.gather(*(run(clock.now()) for run in runs))
    assert sorted(counts) == [0, 4]
    for api in (one, two):
        api.app[SCHEDULE].wake(MONTH_END_REPORT)
    await asyncio.gather(*(api.app[SCHEDULE].settle(MONTH_END_REPORT) for api in (one, two)))

    await _delivered(fake)  # both senders deliver from the one outbox: nothing twice

    async def all_sent() -> bool:
        return all(r.status == "sent" for r in await outbox(two) if r.kind == "report")

    await until_true(all_sent)
    _check_reports(fake)
    assert len([r for r in await outbox(one) if r.kind == "report"]) == 4


async def test_forgotten_clients_on_monday(stub: Any, aiohttp_client: Any, db_url: str) -> None:
    fake, server = stub
    clock = TestClock(EARLY)
    api = await _app(aiohttp_client, db_url, server, clock)
    await seed_month(api.app[SESSIONS])
    lists = api.app[SCHEDULE].job(FORGOTTEN_CLIENTS).run
    nine = EARLY + timedelta(hours=1)
    assert await lists(nine - timedelta(minutes=1)) == 0
    assert await lists(nine - timedelta(days=1)) == 0  # Sunday
    clock.set(nine)
    assert await lists(nine) == 2  # Иван and Пётр
    assert await lists(nine + timedelta(hours=5)) == 0
    assert await lists(nine + timedelta(days=1)) == 0  # Tuesday

    await until(lambda: bool(fake.sent_to(CHATS[IVAN])) and bool(fake.sent_to(CHATS[PETR])))
    days = {"feb": (nine - datetime(2026, 2, 1, 10, 0, 10, tzinfo=MOSCOW)).days}
    days["jun"] = (nine - datetime(2026, 6, 1, 10, 0, 10, tzinfo=MOSCOW)).days
    days["mar"] = (nine - datetime(2026, 3, 1, 10, 0, tzinfo=MOSCOW)).days
    assert fake.sent_to(CHATS[IVAN])[0].split("\n") == [
        "🕰 Забытые клиенты: 2",
        "С ними не разговаривали 90 дн. и больше (сначала самые давние):",
        f"1. ИП Забытов — последний разговор 01.02.2026, {days['feb']} дн. назад",
        f"2. АО Давнее — последний разговор 01.06.2026, {days['jun']} дн. назад",
    ]
    markup = next(
        r.params["reply_markup"]
        for r in fake.calls("sendMessage")
        if int(r.params["chat_id"]) == CHATS[IVAN]
    )
    # No PBX here can place calls: WhatsApp only («📞 Позвонить» beside it when one can).
    assert markup["inline_keyboard"] == [
        [{"text": "1. ИП Забытов · WhatsApp", "url": "https://wa.me/79035550005"}],
        [{"text": "2. АО Давнее · WhatsApp", "url": "https://wa.me/79032220000"}],
    ]
    client = ForgottenClient(
        client_id=5, name="ИП Забытов", manager_id=1, last_contact=None, days=99
    )
    _, with_calls = forgotten_message(
        [client], {5: "+79035550005"}, timedelta(days=90), MOSCOW, "ru", can_call=True
    )
    assert with_calls[0][1] == {"text": "📞 Позвонить", "callback_data": "call:+79035550005"}
    assert fake.sent_to(CHATS[PETR])[0].split("\n")[2] == (
        f"1. ООО Тишина — разговоров не было, карточке {days['mar']} дн."
    )

    # Ольга's daily digest counts her team's forgotten clients.
    assert await api.app[SCHEDULE].job(DAILY_DIGEST).run(nine) == 1
    digest = next(r for r in await outbox(api) if r.kind == "digest")
    assert digest.text.split("\n")[-1] == "забытых клиентов (без разговора 90 дн.): 3"
