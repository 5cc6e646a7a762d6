"""The unknown numbers page in a real headless Chromium: a supervisor logs in, opens /unknown,
moves a number to a list from the page, and the number leaves the queue for the list."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from tests.support.api import Api
from tests.support.browser import in_browser, log_in, open_chromium, wait_until
from tests.support.console import with_password
from tests.support.team import miss, sales_team

STRANGER = "+79165550177"
ROW = f'#unknown-rows tr[data-number="{STRANGER}"]'


def _numbers(browser: WebDriver) -> list[str]:
    rows = browser.find_elements(By.CSS_SELECTOR, "#unknown-rows tr[data-number]")
    return [row.get_attribute("data-number") or "" for row in rows]


async def test_a_supervisor_moves_a_number_to_a_list_from_the_page(api: Api) -> None:
    team = await sales_team(api)
    await with_password(api, team["boss"]["id"], "correct horse", login="olga")
    await miss(api, "s1", STRANGER, "101")
    base = str(api.client.make_url("/")).rstrip("/")
    browser = await in_browser(open_chromium)
    try:

        def log_in_and_triage() -> tuple[list[str], str, list[str]]:
            log_in(browser, base, "olga", "correct horse", next="/unknown")
            seen = wait_until(browser, _numbers)
            row = browser.find_element(By.CSS_SELECTOR, ROW)
            managers = row.find_elements(By.TAG_NAME, "td")[3].text
            form = row.find_element(By.CSS_SELECTOR, "form.to-list")
            Select(form.find_element(By.NAME, "list")).select_by_value("suppliers")
            form.find_element(By.NAME, "note").send_keys("поставщик бумаги")
            form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            wait_until(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".notice"))
            return seen, managers, _numbers(browser)

        seen, managers, after = await in_browser(log_in_and_triage)
        assert seen == [STRANGER]
        assert managers == "Иван"
        assert after == []
        entries = await api.get("/api/v1/lists/suppliers/entries")
        assert [(e["number"], e["note"]) for e in entries["items"]] == [
            (STRANGER, "поставщик бумаги")
        ]
        queue = await api.get("/api/v1/unknown-numbers?status=all")
        assert [(u["number"], u["status"], u["resolved_by"]) for u in queue["items"]] == [
            (STRANGER, "resolved", "Ольга")
        ]
    finally:
        await in_browser(browser.quit)
