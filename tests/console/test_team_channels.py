"""The team page's staff channels: each person's channels in the order tried, an unreachable one
marked, and the admin's form that sets an e-mail address, a MAX id and the order — saved as the
API saves it (audited with the admin's name), a bad one refused with nothing stored, others
seeing the channels read only; in English by setting."""

from __future__ import annotations

import re
from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy import update

from config.settings import TelegramSettings
from hub.app import create_app
from hub.bootstrap.database import SESSIONS
from storage.models import Manager
from tests.support.api import Api
from tests.support.clock import TestClock
from tests.support.console import Browser, logged_in
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.team import sales_team

PASSWORD = "correct horse"


async def _with_admin(api: Api) -> tuple[dict[str, Any], Browser]:
    team = await sales_team(api)
    team["admin"] = await api.post("/api/v1/managers", {"name": "Админ Анна", "role": "admin"})
    return team, await logged_in(api, team["admin"]["id"], "anna", PASSWORD)


def _row(text: str, person_id: int) -> str:
    found = re.search(rf'<tr data-person="{person_id}".*?</tr>', text, re.DOTALL)
    assert found is not None, text
    return found.group(0)


def _channels_shown(row: str) -> list[str]:
    """The row's channels as listed, in order, their markup stripped."""
    listed = re.search(r'<ol class="channels">(.*?)</ol>', row, re.DOTALL)
    assert listed is not None, row
    items = re.findall(r"<li>(.*?)</li>", listed.group(1), re.DOTALL)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


async def _found_unreachable(api: Api, manager_id: int, *channels: str) -> None:
    """What the sender records when a channel turns out not to reach the person."""
    async with api.app[SESSIONS]() as session:
        await session.execute(
            update(Manager)
            .where(Manager.id == manager_id)
            .values(
                unreachable=[c for c in channels if c != "telegram"],
                chat_unreachable="telegram" in channels,
            )
        )
        await session.commit()


async def _manager(api: Api, manager_id: int) -> dict[str, Any]:
    found: dict[str, Any] = await api.get(f"/api/v1/managers/{manager_id}")
    return found


async def test_each_person_shows_his_channels_in_order_unreachable_marked(api: Api) -> None:
    team, browser = await _with_admin(api)
    ivan_id = team["ivan"]["id"]
    await api.call(
        "PATCH",
        f"/api/v1/managers/{ivan_id}",
        {"email": "ivan@example.ru", "max_user_id": 70, "channels": ["email", "max", "telegram"]},
        expect=200,
    )
    await _found_unreachable(api, ivan_id, "max")
    shown = await browser.get("/team")
    assert shown.status == 200
    assert _channels_shown(_row(shown.text, ivan_id)) == [
        "e-mail ivan@example.ru",
        "MAX, id 70 (недоступен)",
        "Telegram подключён",
    ]
    # Ольга has only her Telegram chat, which has stopped reaching her.
    await _found_unreachable(api, team["boss"]["id"], "telegram")
    boss = _row((await browser.get("/team")).text, team["boss"]["id"])
    assert _channels_shown(boss) == ["Telegram подключён (недоступен)"]
    assert '<span class="warn">' in boss
    assert "не подключён" in _row(shown.text, team["admin"]["id"])  # nothing reaches her


async def test_an_admin_sets_a_persons_channels(api: Api) -> None:
    team, browser = await _with_admin(api)
    ivan_id = team["ivan"]["id"]
    fields = {
        "email": " Ivan@Example.RU ",
        "max_user_id": "5000000001",
        "order_1": "max",
        "order_2": "email",
        "order_3": "",
    }
    saved = await browser.submit(f"/team/{ivan_id}/channels", fields, form="/team")
    assert (saved.status, saved.location) == (303, f"/team?channels={ivan_id}")
    shown = await browser.get(saved.location or "")
    assert "Каналы сохранены: Иван." in shown.text
    row = _row(shown.text, ivan_id)
    assert _channels_shown(row) == ["MAX, id 5000000001", "e-mail Ivan@example.ru"]
    assert "не в порядке каналов: Telegram" in row  # his chat is bound, but not chosen
    # The form shows what is stored, his own order chosen.
    assert 'name="email" maxlength="254" value="Ivan@example.ru"' in row
    assert 'name="max_user_id" maxlength="19" value="5000000001"' in row
    chosen = re.findall(r'<option value="(\w+)" selected>', row)
    assert chosen == ["max", "email"]
    person = await _manager(api, ivan_id)
    assert (person["email"], person["max_user_id"], person["channels"]) == (
        "Ivan@example.ru",
        5_000_000_001,
        ["max", "email"],
    )
    [entry, *_] = (await api.get("/api/v1/audit?entity=manager"))["items"]
    assert (entry["action"], entry["actor"], entry["entity_id"]) == (
        "update",
        "Админ Анна",
        str(ivan_id),
    )
    assert (entry["before"]["email"], entry["after"]["email"]) == (None, "Ivan@example.ru")
    # Nothing chosen and the fields emptied: no address, the company's order.
    cleared = await browser.submit(
        f"/team/{ivan_id}/channels", {"email": "", "max_user_id": ""}, form="/team"
    )
    assert cleared.status == 303
    person = await _manager(api, ivan_id)
    assert (person["email"], person["max_user_id"], person["channels"]) == (
        None,
        None,
        ["telegram", "max", "email"],
    )
    after = _row((await browser.get("/team")).text, ivan_id)
    assert _channels_shown(after) == ["Telegram подключён"]
    assert "не в порядке каналов" not in after
    assert re.findall(r'<option value="(\w+)" selected>', after) == []


async def test_a_new_address_on_the_form_clears_its_unreachable_mark(api: Api) -> None:
    team, browser = await _with_admin(api)
    ivan_id = team["ivan"]["id"]
    await api.call("PATCH", f"/api/v1/managers/{ivan_id}", {"email": "old@example.ru"}, expect=200)
    await _found_unreachable(api, ivan_id, "email")
    same = {"email": "old@example.ru", "max_user_id": ""}
    assert (await browser.submit(f"/team/{ivan_id}/channels", same, form="/team")).status == 303
    assert (await _manager(api, ivan_id))["unreachable"] == ["email"]
    new = {"email": "new@example.ru", "max_user_id": ""}
    assert (await browser.submit(f"/team/{ivan_id}/channels", new, form="/team")).status == 303
    assert (await _manager(api, ivan_id))["unreachable"] == []


async def test_a_bad_form_is_refused_and_nothing_is_stored(api: Api) -> None:
    team, browser = await _with_admin(api)
    ivan_id = team["ivan"]["id"]
    await api.call(
        "PATCH", f"/api/v1/managers/{team['boss']['id']}", {"max_user_id": 555}, expect=200
    )
    before = await _manager(api, ivan_id)
    cases = [
        ({"email": "ivan@example.ru\r\nBcc: all@example.ru"}, "E-mail — один адрес вида"),
        ({"email": "Иван <ivan@example.ru>"}, "E-mail — один адрес вида"),
        ({"email": "ivan.example.ru"}, "E-mail — один адрес вида"),
        ({"max_user_id": "abc"}, "ID в MAX — целое положительное число."),
        ({"max_user_id": "0"}, "ID в MAX — целое положительное число."),
        ({"max_user_id": "555"}, "ID 555 в MAX уже указан у сотрудника Ольга."),
        ({"order_1": "max", "order_2": "max"}, "каждый не больше одного раза"),
        ({"order_1": "sms"}, "каждый не больше одного раза"),
    ]
    for fields, says in cases:
        refused = await browser.submit(f"/team/{ivan_id}/channels", fields, form="/team")
        assert refused.status == 400 and says in refused.text, fields
    assert await _manager(api, ivan_id) == before
    missing = await browser.submit("/team/99999/channels", {"email": "x@example.ru"}, form="/team")
    assert missing.status == 400 and "Такого сотрудника нет." in missing.text
    updates = [
        e
        for e in (await api.get("/api/v1/audit?entity=manager"))["items"]
        if e["entity_id"] == str(ivan_id) and e["action"] == "update"
    ]
    assert updates == []


async def test_others_see_the_channels_read_only(api: Api) -> None:
    team = await sales_team(api)
    await api.call(
        "PATCH", f"/api/v1/managers/{team['ivan']['id']}", {"email": "ivan@example.ru"}, expect=200
    )
    olga = await logged_in(api, team["boss"]["id"], "olga", PASSWORD)
    shown = await olga.get("/team")
    row = _row(shown.text, team["ivan"]["id"])
    assert _channels_shown(row) == ["Telegram подключён", "e-mail ivan@example.ru"]
    assert "/channels" not in shown.text
    posted = await olga.post(
        f"/team/{team['ivan']['id']}/channels",
        {"csrf": shown.token, "email": "olga@example.ru"},
    )
    assert posted.status == 403
    assert (await _manager(api, team["ivan"]["id"]))["email"] == "ivan@example.ru"


async def test_in_english_by_setting(aiohttp_client: Any, db_url: str, clock: TestClock) -> None:
    settings = make_settings(db_url, telegram=TelegramSettings(language="en"))
    client: TestClient[Any, Any] = await aiohttp_client(create_app(settings, clock=clock))
    api = Api(client, ADMIN_TOKEN, HOOK_SECRET)
    team, browser = await _with_admin(api)
    ivan_id = team["ivan"]["id"]
    await api.call(
        "PATCH", f"/api/v1/managers/{ivan_id}", {"max_user_id": 70, "channels": ["max"]}, expect=200
    )
    await _found_unreachable(api, ivan_id, "max")
    shown = await browser.get("/team")
    row = _row(shown.text, ivan_id)
    assert _channels_shown(row) == ["MAX, id 70 (unreachable)"]
    assert "Channels for alerts" in row and "Save the channels" in row
    refused = await browser.submit(f"/team/{ivan_id}/channels", {"email": "x"}, form="/team")
    assert refused.status == 400 and "The e-mail is one address" in refused.text
