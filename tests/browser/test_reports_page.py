"""The reports page in a real headless Chromium: a director logs in, opens the reports, and the
three charts are there and drawn (each image loaded, with a width of its own); a figure clicks
through to its calls."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.support.api import Api
from tests.support.browser import in_browser, log_in, open_chromium, wait_until
from tests.support.console import with_password
from tests.support.team import CALLER, miss, sales_team

LOADED = (
    "return Array.from(document.querySelectorAll('img.chart'))"
    ".filter(i => i.complete && i.naturalWidth > 0).map(i => i.dataset.chart);"
)


def _loaded(browser: WebDriver) -> list[str]:
    found: list[str] = browser.execute_script(LOADED)
    return found if len(found) == 3 else []


async def test_a_director_sees_the_reports_charts(api: Api) -> None:
    team = await sales_team(api)
    await with_password(api, team["director"]["id"], "correct horse", login="director")
    await miss(api, "m1", CALLER)
    base = str(api.client.make_url("/")).rstrip("/")
    browser = await in_browser(open_chromium)
    try:

        def open_reports() -> tuple[list[str], str]:
            log_in(browser, base, "director", "correct horse")
            browser.get(f"{base}/reports")
            charts = wait_until(browser, _loaded)
            # The missed call's figure leads to the call itself.
            browser.find_element(
                By.CSS_SELECTOR, "table[data-table=calls] tfoot a[href*='figure=missed']"
            ).click()
            listed = wait_until(
                browser, lambda b: b.find_elements(By.CSS_SELECTOR, "table[data-table=list] tbody")
            )
            return charts, listed[0].text

        charts, listed = await in_browser(open_reports)
        assert sorted(charts) == ["per-day", "per-manager", "waits"]
        assert CALLER in listed and "ООО Ромашка" in listed
    finally:
        await in_browser(browser.quit)
