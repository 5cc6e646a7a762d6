"""``/audit``: directors and admins read who changed what and when, newest first and a page at a
time, filtered by kind of record, its id, who and a period; values as ``before → after``,
escaped; a change made through the console names the person; others get the 403 page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import pytest

from hub.console import audit
from hub.console.audit_view import Words, actor_name, changes
from tests.support.api import Api
from tests.support.console import Browser, Page, with_password
from tests.support.team import CALLER, miss, sales_team

STRANGER = "+79165550177"


def _entries(page: Page) -> list[str]:
    """Each entry's row as text, newest first."""
    rows = re.findall(r'<tr data-entry="\d+">(.*?)</tr>', page.text, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


async def _reader(api: Api, login: str, role: str) -> Browser:
    made = await api.post("/api/v1/managers", {"name": f"Читатель {login}", "role": role})
    await with_password(api, made["id"], "correct horse", login=login)
    browser = Browser(api)
    browser.forget_cookies()
    assert (await browser.log_in(login, "correct horse")).status == 303
    return browser


async def test_a_change_through_the_console_shows_with_the_persons_name(api: Api) -> None:
    team = await sales_team(api)
    await miss(api, "s1", STRANGER, "101")
    await with_password(api, team["boss"]["id"], "correct horse", login="olga")
    olga = Browser(api)
    await olga.log_in("olga", "correct horse")
    queue = await olga.get("/unknown")
    moved = await olga.post(
        f"/unknown/{quote(STRANGER)}/triage",
        {"csrf": queue.token, "action": "list", "list": "spam", "note": "<b>реклама</b>"},
    )
    assert moved.status == 303
    director = await _reader(api, "boss", "director")
    mine = await director.get("/audit?" + urlencode({"actor": "Ольга"}))
    assert mine.status == 200
    rows = _entries(mine)
    assert len(rows) == 3 and all(" Ольга " in row for row in rows)
    # Newest first: the case the spam list closed, the triage, the list entry it made.
    assert "закрытие пропущенный" in rows[0] and "close_reason : — → list:spam" in rows[0]
    assert "разбор номера неизвестный номер " + STRANGER in rows[1]
    assert "статус : открыт → разобран" in rows[1] and "кто разобрал : — → Ольга" in rows[1]
    assert "создание номер в списке " + STRANGER in rows[2]
    assert "&lt;b&gt;реклама&lt;/b&gt;" in mine.text and "<b>реклама" not in mine.text
    everything = _entries(await director.get("/audit"))
    assert len(everything) > 2 and any(" admin " in row for row in everything)


async def test_filters_by_kind_id_and_period_return_only_matching_entries(api: Api) -> None:
    team = await sales_team(api)
    client = team["client"]
    await api.call(
        "PATCH", f"/api/v1/clients/{client['id']}", {"name": "<script>x</script>"}, expect=200
    )
    browser = await _reader(api, "root", "admin")
    shown = await browser.get(
        "/audit?" + urlencode({"entity": "client", "entity_id": client["id"]})
    )
    by_client = _entries(shown)
    assert len(by_client) == 2
    assert "изменение клиент" in by_client[0] and "создание клиент" in by_client[1]
    assert "имя : ООО Ромашка → &lt;script&gt;x&lt;/script&gt;" in by_client[0]
    assert "<script>x" not in shown.text
    assert "менеджер : Иван" in by_client[1]
    assert "телефоны : " + CALLER in by_client[1]
    managers = _entries(await browser.get("/audit?entity=manager"))
    assert managers and all(" сотрудник " in row for row in managers)
    today = datetime.now(ZoneInfo("Europe/Moscow")).date()
    period = {"since": str(today - timedelta(days=1)), "until": str(today + timedelta(days=1))}
    assert len(_entries(await browser.get("/audit?" + urlencode(period)))) >= 6
    gone = await browser.get("/audit?since=2001-01-01&until=2001-01-31")
    assert (_entries(gone), "Записей не найдено." in gone.text) == ([], True)


async def test_bad_filters_say_what_is_wrong_and_show_nothing(api: Api) -> None:
    await sales_team(api)
    browser = await _reader(api, "root", "admin")
    for query, says in (
        ("since=25.11.2026", "Дата «С» не распознана"),
        ("since=2026-11-25&until=2026-11-01", "Дата «По» раньше даты «С»."),
        ("entity=nothing", "Неизвестный вид записи."),
        ("until=9999-12-31", "Дата «По» не распознана"),
        ("since=0001-01-01", "Дата «С» не распознана"),
        ("before=²", "Неверная ссылка на страницу."),
        ("before=99999999999", "Неверная ссылка на страницу."),
    ):
        answer = await browser.get("/audit?" + query)
        assert (answer.status, says in answer.text, _entries(answer)) == (200, True, []), query


async def test_pages_go_back_in_time(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "PER_PAGE", 2)
    await sales_team(api)
    browser = await _reader(api, "root", "admin")
    first = await browser.get("/audit?entity=manager")
    ids = [int(i) for i in re.findall(r'<tr data-entry="(\d+)">', first.text)]
    assert len(ids) == 2 and ids[0] > ids[1]
    older = re.search(r'href="([^"]+)" rel="next"', first.text)
    assert older is not None
    second = await browser.get(older.group(1).replace("&amp;", "&"))
    more = [int(i) for i in re.findall(r'<tr data-entry="(\d+)">', second.text)]
    assert more and max(more) < ids[1]
    assert all(" сотрудник " in row for row in _entries(second))


async def test_managers_and_supervisors_get_the_not_for_your_role_page(api: Api) -> None:
    team = await sales_team(api)
    await with_password(api, team["ivan"]["id"], "correct horse", login="ivan")
    await with_password(api, team["boss"]["id"], "correct horse", login="olga")
    browser = Browser(api)
    for login in ("ivan", "olga"):
        browser.forget_cookies()
        await browser.log_in(login, "correct horse")
        refused = await browser.get("/audit")
        assert refused.status == 403 and "Этот раздел не для вашей роли." in refused.text


def test_values_read_as_words_people_and_moments() -> None:
    names = {3: "Иван", 5: "Ольга"}
    words = Words("да", "нет", ZoneInfo("Europe/Moscow"), {"role": {"manager": "менеджер"}})
    found = changes(
        {"active": False, "supervisor_id": 5, "link_expires_at": None, "role": "admin"},
        {
            "active": True,
            "supervisor_id": 3,
            "link_expires_at": "2026-12-02T14:55:32.467759+00:00",
            "role": "manager",
        },
        names,
        words,
    )
    assert [(c.field, c.before, c.after) for c in found] == [
        ("active", "нет", "да"),
        ("link_expires_at", "—", "02.12.2026 17:55"),
        ("role", "admin", "менеджер"),  # a value without its word stays as it is
        ("supervisor_id", "Ольга", "Иван"),
    ]
    assert actor_name("manager:3", names) == "Иван"
    assert actor_name("manager:9", names) == "manager:9"
    assert actor_name("token:ci", names) == "token:ci"
