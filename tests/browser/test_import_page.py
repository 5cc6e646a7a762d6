"""The import page in a real headless Chromium: an admin uploads a workbook of clients, sees the
progress bar while the import is held back, and once it finishes — without reloading the page
himself — the summary and the rejected rows."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from hub.console import import_work
from hub.services.importer import import_clients
from tests.support.api import Api
from tests.support.browser import in_browser, log_in, open_chromium, wait_until
from tests.support.console import with_password
from tests.support.team import sales_team


def _workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (
        ("Контрагент", "Телефон", "Ответственный"),
        ("ООО Берёзка", 79160000001, "Иван"),  # 2: a phone Excel keeps as a number
        ("ИП Клёнов", "+7 916 000-00-02", ""),
        ("", "+79160000003", ""),  # 4: no name
        ("ООО Неизвестный менеджер", "+79160000004", "Никто"),  # 5: no such manager
    ):
        sheet.append(row)
    book.save(path)
    return path


def _summary(browser: WebDriver) -> dict[str, str]:
    figures = browser.find_elements(By.CSS_SELECTOR, "#import-summary [data-count]")
    return {
        f.get_attribute("data-count") or "": f.find_element(By.TAG_NAME, "dd").text for f in figures
    }


async def test_an_admin_uploads_a_workbook_and_sees_the_rejected_rows(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The import waits until the test has seen its progress bar.
    release = asyncio.Event()

    async def held(*args: Any, **kwargs: Any) -> Any:
        await release.wait()
        return await import_clients(*args, **kwargs)

    monkeypatch.setattr(import_work, "import_clients", held)
    await sales_team(api)
    admin = await api.post("/api/v1/managers", {"name": "Админ", "role": "admin"})
    await with_password(api, admin["id"], "correct horse", login="admin")
    workbook = _workbook(tmp_path / "клиенты.xlsx")
    base = str(api.client.make_url("/")).rstrip("/")
    browser = await in_browser(open_chromium)
    try:

        def upload() -> str:
            log_in(browser, base, "admin", "correct horse", next="/import")
            file_input = wait_until(browser, lambda b: b.find_elements(By.NAME, "file"))[0]
            file_input.send_keys(str(workbook))
            browser.find_element(By.CSS_SELECTOR, "form.import button[type=submit]").click()
            bar = wait_until(browser, lambda b: b.find_elements(By.ID, "import-progress"))[0]
            return bar.get_attribute("max") or ""

        def wait_for_the_summary() -> tuple[dict[str, str], list[list[str]], str]:
            wait_until(browser, lambda b: b.find_elements(By.ID, "import-summary"))
            rows = [
                [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
                for row in browser.find_elements(By.CSS_SELECTOR, "table.rejected tbody tr")
            ]
            link = browser.find_element(By.PARTIAL_LINK_TEXT, "Скачать отклонённые строки")
            return _summary(browser), rows, link.get_attribute("href") or ""

        assert await in_browser(upload) == "4"
        release.set()
        summary, rows, link = await in_browser(wait_for_the_summary)
        assert summary == {"created": "2", "updated": "0", "unchanged": "0", "rejected": "2"}
        assert [row[0] for row in rows] == ["4", "5"]
        assert rows[0][1] == "не указано наименование"
        assert "Никто" in rows[1][1] and "ООО Неизвестный менеджер" in rows[1][2]
        assert link.endswith("/rejected.csv")
        names = sorted(c["name"] for c in (await api.get("/api/v1/clients"))["items"])
        assert names == ["ИП Клёнов", "ООО Берёзка", "ООО Ромашка"]
    finally:
        await in_browser(browser.quit)
