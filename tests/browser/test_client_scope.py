"""A manager's clients in a real headless Chromium: he logs in, searches, sees his own client,
does not see another team's client in the list, and that client's address shows the not-found
page."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.support.api import Api
from tests.support.browser import in_browser, log_in, open_chromium, wait_until
from tests.support.console import with_password
from tests.support.team import sales_team


def _listed(browser: WebDriver) -> list[str]:
    return [row.text for row in browser.find_elements(By.CSS_SELECTOR, "tr[data-client]")]


async def test_a_manager_sees_his_client_and_not_another_teams(api: Api) -> None:
    team = await sales_team(api)
    other = await api.post("/api/v1/managers", {"name": "Пётр Чужой", "extension": "202"})
    theirs = await api.post(
        "/api/v1/clients",
        {"name": "ООО Ромашка Чужая", "manager_id": other["id"], "phones": ["+79165550199"]},
    )
    await with_password(api, team["ivan"]["id"], "correct horse", login="ivan")
    base = str(api.client.make_url("/")).rstrip("/")
    browser = await in_browser(open_chromium)
    try:

        def search_and_open() -> tuple[list[str], str, str]:
            log_in(browser, base, "ivan", "correct horse")
            browser.get(f"{base}/clients")
            box = wait_until(browser, lambda b: b.find_element(By.NAME, "q"))
            box.send_keys("ромашка")
            browser.find_element(By.CSS_SELECTOR, "form.search button").click()
            wait_until(browser, lambda b: "q=" in b.current_url)
            listed = wait_until(browser, _listed)
            browser.find_element(By.LINK_TEXT, "ООО Ромашка").click()
            name = wait_until(browser, lambda b: b.find_element(By.ID, "client-name")).text
            browser.get(f"{base}/clients/{theirs['id']}")
            shown = wait_until(browser, lambda b: b.find_element(By.TAG_NAME, "main")).text
            return listed, name, shown

        listed, name, shown = await in_browser(search_and_open)
        assert len(listed) == 1 and "ООО Ромашка" in listed[0]
        assert all("Чужая" not in row for row in listed)
        assert name == "ООО Ромашка"
        assert "Не найдено" in shown and "Чужая" not in shown
    finally:
        await in_browser(browser.quit)
