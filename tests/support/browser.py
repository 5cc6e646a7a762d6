"""A real headless Chromium driven through its WebDriver (Debian's ``chromium`` and
``chromium-driver``, which ``make test`` installs when missing): the console and the pages are
tested as a person's browser runs them, scripts included.

The driver is synchronous; a test calls it through :func:`in_browser` so that the event loop (and
the service in the same process, if any) keeps running. Waits are for conditions, never fixed.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

T = TypeVar("T")

# How long a page may take to show what a test waits for, on a loaded machine.
PATIENCE = 30.0


def _executable(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError(f"none of {', '.join(names)} found: run `bash scripts/ensure-chromium.sh`")


def open_chromium() -> webdriver.Chrome:
    """A headless Chromium; the caller quits it."""
    options = webdriver.ChromeOptions()
    options.binary_location = _executable("chromium", "chromium-browser")
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
        "--lang=ru",
    ):
        options.add_argument(argument)
    service = Service(executable_path=_executable("chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(PATIENCE)
    return driver


@contextmanager
def chromium() -> Iterator[webdriver.Chrome]:
    """A headless Chromium, closed at the end."""
    driver = open_chromium()
    try:
        yield driver
    finally:
        driver.quit()


def wait_until(driver: webdriver.Chrome, condition: Callable[[webdriver.Chrome], T]) -> T:
    """What ``condition`` returns once it is truthy (a TimeoutException after PATIENCE)."""
    result: T = WebDriverWait(driver, PATIENCE, poll_frequency=0.1).until(condition)
    return result


async def in_browser(step: Callable[[], T]) -> T:
    """Run a synchronous browser ``step`` off the event loop."""
    return await asyncio.to_thread(step)


def log_in(
    driver: webdriver.Chrome, base: str, username: str, password: str, *, next: str = ""
) -> None:
    """Log in through the login form as a person types it (then on to ``next``, if given)."""
    driver.get(f"{base}/login" + (f"?next={next}" if next else ""))
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_until(driver, lambda b: b.find_elements(By.CSS_SELECTOR, "form.logout"))
