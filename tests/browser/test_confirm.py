"""In a real headless Chromium, a form that undoes something asks first: revoking an API token
dismissed changes nothing, accepted revokes it."""

from __future__ import annotations

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.alert import Alert
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.support.api import Api
from tests.support.browser import in_browser, log_in, open_chromium, wait_until
from tests.support.console import with_password
from tests.support.team import sales_team

REVOKE = "form[action$='/revoke'] button"


def _alert(browser: WebDriver) -> Alert | None:
    try:
        alert = browser.switch_to.alert
        alert.text  # noqa: B018 - raises while no dialog is open
    except NoAlertPresentException:
        return None
    return alert


async def test_revoking_a_token_asks_first(api: Api) -> None:
    team = await sales_team(api)
    await with_password(api, team["ivan"]["id"], "correct horse", login="ivan")
    await api.post(
        "/api/v1/tokens", {"name": "crm", "role": "viewer", "manager_id": team["ivan"]["id"]}
    )
    base = str(api.client.make_url("/")).rstrip("/")
    browser = await in_browser(open_chromium)
    try:

        def dismiss_then_accept() -> tuple[str, int, int]:
            log_in(browser, base, "ivan", "correct horse", next="/tokens")
            browser.find_element(By.CSS_SELECTOR, REVOKE).click()
            asked = wait_until(browser, _alert)
            assert asked is not None
            question = asked.text
            asked.dismiss()
            still = len(browser.find_elements(By.CSS_SELECTOR, REVOKE))
            browser.find_element(By.CSS_SELECTOR, REVOKE).click()
            accepted = wait_until(browser, _alert)
            assert accepted is not None
            accepted.accept()
            wait_until(browser, lambda b: not b.find_elements(By.CSS_SELECTOR, REVOKE))
            return question, still, len(browser.find_elements(By.CSS_SELECTOR, REVOKE))

        question, still, after = await in_browser(dismiss_then_accept)
    finally:
        await in_browser(browser.quit)
    assert "crm" in question and "Отозвать" in question
    assert (still, after) == (1, 0)
    [token] = [t for t in (await api.get("/api/v1/tokens"))["items"] if t["name"] == "crm"]
    assert token["revoked_at"] is not None
