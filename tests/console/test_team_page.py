"""``/team``: who sees whom (everybody, a supervisor's team, a manager's own team, read only),
what a row says (channel, today's absence and its substitute, working hours), and an admin's
links and absences — audited with his name, a bad one refused with nothing stored."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestServer

from hub.app import create_app
from hub.bootstrap.core import SETTINGS
from tests.support.api import Api
from tests.support.console import Browser, logged_in
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, bot_settings
from tests.support.team import sales_team
from tests.support.telegram_stub import BotApiStub

PASSWORD = "correct horse"


async def _logged_in(api: Api, manager_id: int, login: str) -> Browser:
    return await logged_in(api, manager_id, login, PASSWORD)


async def _with_admin(api: Api) -> tuple[dict[str, Any], Browser]:
    team = await sales_team(api)
    admin = await api.post("/api/v1/managers", {"name": "Админ Анна", "role": "admin"})
    team["admin"] = admin
    return team, await _logged_in(api, admin["id"], "anna")


def _row(text: str, person_id: int) -> str:
    found = re.search(rf'<tr data-person="{person_id}".*?</tr>', text, re.DOTALL)
    assert found is not None, text
    return found.group(0)


def _today(api: Api) -> str:
    """Today in the company's time zone, as the absence form's date fields take it."""
    zone = ZoneInfo(api.app[SETTINGS].company.timezone)
    return api.clock.now().astimezone(zone).date().isoformat()


async def test_an_admin_sees_everybody_with_channel_and_hours(api: Api) -> None:
    team, browser = await _with_admin(api)
    await api.call(
        "PATCH",
        f"/api/v1/managers/{team['ivan']['id']}",
        {
            "working_hours": {"mon": "09:00-18:00", "fri": "09:00-13:00"},
            "timezone": "Europe/Moscow",
        },
        expect=200,
    )
    shown = await browser.get("/team")
    assert shown.status == 200
    ivan = _row(shown.text, team["ivan"]["id"])
    assert "Иван" in ivan and "Ольга" in ivan and "101" in ivan
    assert "Telegram подключён" in ivan and "на месте" in ivan
    assert "пн 09:00-18:00" in ivan and "пт 09:00-13:00" in ivan
    assert "не подключён" in _row(shown.text, team["admin"]["id"])
    assert "Директор" in shown.text and "Пригласить в Telegram" in shown.text


async def test_an_admin_records_an_absence_with_a_substitute(api: Api) -> None:
    team, browser = await _with_admin(api)
    ivan_id = team["ivan"]["id"]
    today = _today(api)
    fields = {
        "starts": today,
        "ends": today,
        "substitute_id": str(team["boss"]["id"]),
        "note": "отпуск",
    }
    saved = await browser.submit(f"/team/{ivan_id}/absence", fields, form="/team")
    assert saved.status == 303 and saved.location is not None
    shown = await browser.get(saved.location)
    assert "Отсутствие записано: Иван" in shown.text
    row = _row(shown.text, ivan_id)
    # Through the day chosen (not "until the next midnight").
    shown_day = ".".join(reversed(today.split("-")))
    assert f"отсутствует по {shown_day}" in row and "замещает Ольга" in row
    [absence] = (await api.get(f"/api/v1/managers/{ivan_id}/absences"))["items"]
    assert (absence["substitute_id"], absence["note"]) == (team["boss"]["id"], "отпуск")
    entries = (await api.get("/api/v1/audit?entity=absence"))["items"]
    assert [e["actor"] for e in entries] == ["Админ Анна"]


async def test_a_bad_absence_is_refused_and_nothing_is_stored(api: Api) -> None:
    team, browser = await _with_admin(api)
    ivan_id = team["ivan"]["id"]
    today = _today(api)
    cases = [
        ({"starts": today, "ends": "2000-01-01"}, "Укажите даты отсутствия"),
        ({"starts": "вчера", "ends": today}, "Укажите даты отсутствия"),
        ({"starts": today, "ends": today, "substitute_id": str(ivan_id)}, "Замещать может"),
        ({"starts": today, "ends": today, "note": "x" * 501}, "Причина — до 500 символов"),
    ]
    for fields, says in cases:
        refused = await browser.submit(f"/team/{ivan_id}/absence", fields, form="/team")
        assert refused.status == 400 and says in refused.text, fields
    assert (await api.get(f"/api/v1/managers/{ivan_id}/absences"))["items"] == []


async def _absence(api: Api, manager_id: int, days: tuple[int, int], note: str) -> Any:
    """An absence of manager ``manager_id`` from ``days[0]`` to ``days[1]`` days from now."""
    now = api.clock.now()
    body = {
        "starts_at": (now + timedelta(days=days[0])).isoformat(),
        "ends_at": (now + timedelta(days=days[1])).isoformat(),
        "note": note,
    }
    return await api.post(f"/api/v1/managers/{manager_id}/absences", body)


async def test_an_admin_cancels_an_absence_today_or_planned(api: Api) -> None:
    team, browser = await _with_admin(api)
    ivan_id = team["ivan"]["id"]
    today = await _absence(api, ivan_id, (-1, 1), "болеет")
    later = await _absence(api, ivan_id, (10, 12), "отпуск")
    shown = await browser.get("/team")
    row = _row(shown.text, ivan_id)
    assert "отсутствует по" in row
    # Both are listed to be cancelled, the one now first.
    assert row.index(f"/team/absences/{today['id']}/cancel") < row.index(
        f"/team/absences/{later['id']}/cancel"
    )
    called_off = await browser.submit(f"/team/absences/{today['id']}/cancel", {}, form="/team")
    assert called_off.status == 303 and called_off.location is not None
    shown = await browser.get(called_off.location)
    assert "Отсутствие отменено: Иван." in shown.text
    row = _row(shown.text, ivan_id)
    assert "на месте" in row and f"/team/absences/{later['id']}/cancel" in row
    left = (await api.get(f"/api/v1/managers/{ivan_id}/absences"))["items"]
    assert [a["id"] for a in left] == [later["id"]]
    # Routing sees him back at once.
    client = (await api.get("/api/v1/clients"))["items"][0]
    routed = await api.get(f"/api/v1/route?from=%2B{client['phones'][0][1:]}")
    assert routed["target"]["manager_id"] == ivan_id
    entries = (await api.get("/api/v1/audit?entity=absence"))["items"]
    mine = {(e["action"], e["actor"]) for e in entries if e["entity_id"] == str(today["id"])}
    assert mine == {("create", "admin"), ("delete", "Админ Анна")}
    # The same form again: nothing to cancel, said so, nothing else changed.
    again = await browser.submit(f"/team/absences/{today['id']}/cancel", {}, form="/team")
    assert again.status == 404 and "его уже отменили" in again.text
    assert len((await api.get(f"/api/v1/managers/{ivan_id}/absences"))["items"]) == 1


async def test_only_an_admin_cancels_an_absence(api: Api) -> None:
    team = await sales_team(api)
    ivan_id = team["ivan"]["id"]
    planned = await _absence(api, ivan_id, (1, 2), "отпуск")
    olga = await _logged_in(api, team["boss"]["id"], "olga")
    shown = await olga.get("/team")
    assert "/cancel" not in shown.text
    posted = await olga.post(f"/team/absences/{planned['id']}/cancel", {"csrf": shown.token})
    assert posted.status == 403
    assert len((await api.get(f"/api/v1/managers/{ivan_id}/absences"))["items"]) == 1


async def test_an_admin_makes_a_password_link_shown_once(api: Api) -> None:
    team, browser = await _with_admin(api)
    ivan_id = team["ivan"]["id"]
    made = await browser.submit(f"/team/{ivan_id}/password-link", {"login": "ivan"}, form="/team")
    assert made.status == 200
    link = re.search(r'id="made-link" readonly value="([^"]+)"', made.text)
    assert link is not None and "/password/" in link.group(1)
    opened = await Browser(api).get("/password/" + html.unescape(link.group(1)).split("/")[-1])
    assert opened.status == 200 and "Иван" in opened.text
    assert "ivan" in _row(made.text, ivan_id)
    [entry] = [
        e
        for e in (await api.get("/api/v1/audit?entity=manager"))["items"]
        if e["action"] == "password_link"
    ]
    assert entry["actor"] == "Админ Анна"
    assert "/password/" not in (await browser.get("/team")).text
    taken = await browser.submit(
        f"/team/{team['boss']['id']}/password-link", {"login": "ivan"}, form="/team"
    )
    assert taken.status == 400 and "не занятый другим сотрудником" in taken.text


@pytest.fixture
async def bot_server() -> AsyncIterator[TestServer]:
    """The stand-in Bot API (requested before the app, so that it outlives it)."""
    server = TestServer(BotApiStub().app())
    await server.start_server()
    yield server
    await server.close()


@pytest.fixture
async def bot_api(bot_server: TestServer, aiohttp_client: Any, db_url: str) -> Api:
    """The app with the staff bot on, talking to the stand-in Bot API."""
    client = await aiohttp_client(create_app(bot_settings(db_url, bot_server)))
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


async def test_an_admin_makes_a_telegram_invite(bot_api: Api) -> None:
    team, browser = await _with_admin(bot_api)
    made = await browser.submit(f"/team/{team['ivan']['id']}/invite", {}, form="/team")
    assert made.status == 200 and "Приглашение для Иван" in made.text
    link = re.search(
        r'id="made-link" readonly value="https://t\.me/dozvon_bot\?start=([^"]+)"', made.text
    )
    assert link is not None
    [entry] = (await bot_api.get("/api/v1/audit?entity=invite"))["items"]
    assert (entry["actor"], entry["after"]["manager_id"]) == ("Админ Анна", team["ivan"]["id"])
    assert link.group(1) not in (await browser.get("/team")).text


async def test_an_invite_needs_the_telegram_bot(api: Api) -> None:
    team, browser = await _with_admin(api)
    refused = await browser.submit(f"/team/{team['ivan']['id']}/invite", {}, form="/team")
    assert refused.status == 400 and "Telegram-бот не настроен" in refused.text
    assert (await api.get("/api/v1/audit?entity=invite"))["items"] == []


async def test_a_supervisor_sees_his_team_read_only(api: Api) -> None:
    team = await sales_team(api)
    await api.post("/api/v1/managers", {"name": "Пётр Чужой", "extension": "202"})
    olga = await _logged_in(api, team["boss"]["id"], "olga")
    shown = await olga.get("/team")
    assert shown.status == 200
    assert "Иван" in shown.text and "Ольга" in shown.text
    assert "Пётр Чужой" not in shown.text and "Директор" not in shown.text
    assert "Изменять состав команды может только администратор" in shown.text
    assert "/absence" not in shown.text and "/invite" not in shown.text
    posted = await olga.post(
        f"/team/{team['ivan']['id']}/absence",
        {"csrf": shown.token, "starts": _today(api), "ends": _today(api)},
    )
    assert posted.status == 403
    assert (await api.get(f"/api/v1/managers/{team['ivan']['id']}/absences"))["items"] == []


async def test_a_manager_sees_the_team_he_belongs_to(api: Api) -> None:
    team = await sales_team(api)
    await api.post(
        "/api/v1/managers",
        {"name": "Мария", "extension": "103", "supervisor_id": team["boss"]["id"]},
    )
    await api.post("/api/v1/managers", {"name": "Пётр Чужой", "extension": "202"})
    ivan = await _logged_in(api, team["ivan"]["id"], "ivan")
    shown = await ivan.get("/team")
    assert shown.status == 200
    for name in ("Иван", "Ольга", "Мария"):
        assert name in shown.text
    assert "Пётр Чужой" not in shown.text and "Директор" not in shown.text
    assert "Пригласить в Telegram" not in shown.text


async def test_a_name_with_markup_shows_as_text(api: Api) -> None:
    _, browser = await _with_admin(api)
    await api.post("/api/v1/managers", {"name": "<script>alert(1)</script>", "extension": "301"})
    shown = await browser.get("/team")
    assert "<script>alert(1)</script>" not in shown.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown.text
