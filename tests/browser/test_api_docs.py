"""The API documentation page in a real headless Chromium, from a real ``dozvon serve``: Swagger UI
runs from the service's own files and lists the endpoints of the OpenAPI document."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By

from tests.support.browser import chromium, in_browser, wait_until
from tests.support.service import serving


async def test_the_api_docs_render_the_endpoints(tmp_path: Path) -> None:
    async with serving(tmp_path, {"DOZVON_ADMIN__TOKEN": "t"}) as base:

        def read_the_page() -> list[str]:
            with chromium() as browser:
                browser.get(f"{base}/api/docs")
                wait_until(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".opblock-summary"))
                paths = browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
                return [p.get_attribute("data-path") or p.text for p in paths]

        paths = await in_browser(read_the_page)
    assert "/api/v1/clients" in paths
    assert "/api/v1/calendar" in paths
