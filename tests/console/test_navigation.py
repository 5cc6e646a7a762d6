"""The menu shows a person only the sections he may open: a manager neither the import nor the
audit, a director the audit, an admin both; every page names its icon and style from our own
files."""

from __future__ import annotations

from tests.support.api import Api
from tests.support.console import Browser, with_password
from tests.support.team import sales_team


async def _menu(api: Api, manager_id: int, login: str) -> str:
    await with_password(api, manager_id, "correct horse", login=login)
    browser = Browser(api)
    browser.forget_cookies()
    await browser.log_in(login, "correct horse")
    page = await browser.get("/")
    assert page.status == 200
    return page.text[page.text.index("<nav") : page.text.index("</nav>")]


async def test_the_menu_holds_the_sections_of_the_persons_role(api: Api) -> None:
    team = await sales_team(api)
    admin = await api.post("/api/v1/managers", {"name": "Админ", "role": "admin"})
    manager = await _menu(api, team["ivan"]["id"], "ivan")
    director = await _menu(api, team["director"]["id"], "boss")
    root = await _menu(api, admin["id"], "root")
    for menu in (manager, director, root):
        assert 'href="/cases"' in menu and 'href="/clients"' in menu and 'href="/tokens"' in menu
    assert 'href="/import"' not in manager and 'href="/audit"' not in manager
    assert 'href="/import"' not in director and 'href="/audit"' in director
    assert 'href="/import"' in root and 'href="/audit"' in root


async def test_the_icon_is_served_from_the_package(api: Api) -> None:
    async with api.client.get("/static/favicon.svg") as answer:
        assert answer.status == 200
        assert "<svg" in await answer.text()


async def test_an_address_with_no_page_is_a_page_for_a_browser_and_json_for_a_program(
    api: Api,
) -> None:
    html = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    async with api.client.get("/nope", headers=html) as answer:
        assert answer.status == 404 and answer.content_type == "text/html"
        assert "Страница не найдена" in await answer.text()
    async with api.client.get("/nope") as answer:
        assert answer.status == 404
        assert (await answer.json())["error"]["code"] == "not_found"
    async with api.client.get("/api/v1/nope", headers=html) as answer:
        assert answer.status == 404 and answer.content_type == "application/json"
