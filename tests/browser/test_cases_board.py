"""The cases board in a real headless Chromium: a supervisor logs in, sees an open case with the
client's and the manager's names, closes it with a reason and sees it go; a new missed call
appears on the board without a reload."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.support.api import Api
from tests.support.browser import in_browser, log_in, open_chromium, wait_until
from tests.support.console import with_password
from tests.support.team import CALLER, miss, sales_team

STRANGER = "+79165550177"


def _rows(browser: WebDriver) -> list[str]:
    return [row.text for row in browser.find_elements(By.CSS_SELECTOR, "#case-rows tr[data-case]")]


async def test_a_supervisor_closes_a_case_and_sees_a_new_miss_arrive(api: Api) -> None:
    team = await sales_team(api)
    await with_password(api, team["boss"]["id"], "correct horse", login="olga")
    await miss(api, "m1", CALLER)
    base = str(api.client.make_url("/")).rstrip("/")
    browser = await in_browser(open_chromium)
    try:

        def log_in_and_close() -> list[str]:
            log_in(browser, base, "olga", "correct horse")
            browser.get(f"{base}/cases")
            seen = wait_until(browser, _rows)
            row = browser.find_element(By.CSS_SELECTOR, "#case-rows tr[data-case]")
            row.find_element(By.NAME, "reason").send_keys("дозвонились с мобильного")
            row.find_element(By.CSS_SELECTOR, "form.close button").click()
            wait_until(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#case-rows tr.empty"))
            return seen

        seen = await in_browser(log_in_and_close)
        assert len(seen) == 1
        assert "ООО Ромашка" in seen[0] and "Иван" in seen[0]
        [case] = (await api.get("/api/v1/callback-cases?status=all"))["items"]
        assert (case["status"], case["close_reason"], case["closed_by"]) == (
            "closed",
            "дозвонились с мобильного",
            "Ольга",
        )
        # A new miss reaches the open board by itself.
        await miss(api, "m2", STRANGER)
        arrived = await in_browser(
            lambda: wait_until(browser, lambda b: [r for r in _rows(b) if STRANGER in r])
        )
        assert len(arrived) == 1
    finally:
        await in_browser(browser.quit)
