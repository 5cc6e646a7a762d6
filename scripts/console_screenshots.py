"""Screenshots of every console page for the README (``make screenshots`` → ``docs/console/``).

A service on a fresh SQLite database in a temporary directory, on its test clock (a Wednesday
morning), with a sales team, clients, answered, missed and returned calls and unknown callers
made through the public API and the generic hook, as a PBX and an admin would; then a real
headless Chromium logs in as the director (and as the admin for the pages only he has) and saves
each page, at a desktop width and the cases board at a phone's width too.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp.test_utils import TestClient, TestServer
from selenium.webdriver import Chrome as WebDriver

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub.app import create_app  # noqa: E402
from storage.db import create_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.support.api import Api, update  # noqa: E402
from tests.support.browser import chromium, in_browser, log_in, wait_until  # noqa: E402
from tests.support.clock import TestClock  # noqa: E402
from tests.support.console import with_password  # noqa: E402
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings  # noqa: E402
from tests.support.team import missed_call, sales_team  # noqa: E402

OUT = ROOT / "docs" / "console"
MOSCOW = ZoneInfo("Europe/Moscow")
PASSWORD = "пароль для снимков"  # noqa: S105 - a throwaway database
CLIENTS = (
    ("ООО Ромашка", "+79031112233"),
    ("ИП Соколова", "+79161234567"),
    ("АО Северный ветер", "+74957778899"),
    ("Пётр Кузнецов", "+79265554433"),
)


async def _answered(api: Api, call_id: str, caller: str, extension: str, talk: int) -> None:
    await api.hook(
        [
            update(call_id, "ringing", caller=caller, extension=extension),
            update(call_id, "answered", caller=caller, extension=extension),
        ]
    )
    api.clock.advance(timedelta(seconds=talk))  # type: ignore[attr-defined]
    await api.hook(
        [
            update(
                call_id,
                "ended",
                caller=caller,
                extension=extension,
                reason="normal",
                recording_url=f"https://pbx.example/rec/{call_id}.mp3",
            )
        ]
    )


async def _returned(api: Api, call_id: str, number: str, extension: str) -> None:
    """The manager calls the client back and they talk."""
    common = {"direction": "outbound", "caller": "+74950001122", "callee": number}
    await api.hook(
        [
            update(call_id, "ringing", extension=extension, **common),
            update(call_id, "answered", extension=extension, **common),
            update(call_id, "ended", extension=extension, reason="normal", **common),
        ]
    )


async def seed(api: Api) -> dict[str, Any]:
    """A team with calls of every kind; returns the people and the clients."""
    team = await sales_team(api, CLIENTS)
    other_boss = await api.post("/api/v1/managers", {"name": "Сергей", "role": "supervisor"})
    await api.post(
        "/api/v1/managers",
        {"name": "Анна", "extension": "102", "supervisor_id": other_boss["id"]},
    )
    admin = await api.post("/api/v1/managers", {"name": "Админ", "role": "admin"})
    clock: TestClock = api.clock  # type: ignore[assignment]
    today = clock.now().astimezone(MOSCOW).date()
    for day in range(6):
        morning = datetime.combine(today - timedelta(days=6 - day), time(10, 5), MOSCOW)
        clock.set(morning)
        for n, (_, number) in enumerate(CLIENTS):
            if (day + n) % 3 == 0:
                await api.hook(missed_call(f"m{day}-{n}", number, "101"))
                clock.advance(timedelta(minutes=7 + 40 * n))
                if n != 3:
                    await _returned(api, f"r{day}-{n}", number, "101")
            else:
                await _answered(api, f"a{day}-{n}", number, "101", 120 + 30 * n)
            clock.advance(timedelta(minutes=25))
    clock.set(datetime.combine(today, time(9, 40), MOSCOW))
    for n, stranger in enumerate(("+79857770011", "+79031230000", "+78123334455")):
        await _answered(api, f"u{n}", stranger, "101" if n else "102", 60)
    await api.hook(missed_call("last", CLIENTS[1][1], "101"))
    await with_password(api, team["director"]["id"], PASSWORD, login="director")
    await with_password(api, admin["id"], PASSWORD, login="admin")
    return {"team": team, "director": team["director"], "admin": admin}


def _log_in(browser: WebDriver, base: str, name: str) -> None:
    browser.delete_all_cookies()
    log_in(browser, base, name, PASSWORD)


def _shoot(browser: WebDriver, base: str, path: str, name: str, width: int = 1280) -> None:
    browser.set_window_size(width, 900)
    browser.get(f"{base}{path}")
    wait_until(browser, lambda b: b.execute_script("return document.readyState") == "complete")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, min(max(int(height), 600), 2400))
    browser.save_screenshot(str(OUT / f"{name}.png"))
    print(f"docs/console/{name}.png")


async def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as directory:
        settings = make_settings(f"sqlite+aiosqlite:///{directory}/dozvon.db")
        engine = create_engine(settings.database)
        await upgrade(engine)
        await engine.dispose()
        app = create_app(settings, clock=TestClock())
        async with TestClient(TestServer(app)) as client:
            api = Api(client, ADMIN_TOKEN, HOOK_SECRET)
            seeded = await seed(api)
            base = str(client.make_url("/")).rstrip("/")
            client_id = seeded["team"]["client"]["id"]
            pages = [
                ("/cases", "cases"),
                ("/unknown", "unknown"),
                ("/clients", "clients"),
                (f"/clients/{client_id}", "client"),
                ("/team", "team"),
                ("/reports", "reports"),
                ("/audit", "audit"),
            ]

            def shoot_all() -> None:
                with chromium() as browser:
                    browser.get(f"{base}/login")
                    _shoot(browser, base, "/login", "login", 420)
                    _log_in(browser, base, "director")
                    for path, name in pages:
                        _shoot(browser, base, path, name)
                    _shoot(browser, base, "/cases", "cases-phone", 390)
                    _log_in(browser, base, "admin")
                    _shoot(browser, base, "/import", "import")
                    _shoot(browser, base, "/tokens", "tokens")
                    _shoot(browser, base, "/api/docs", "api-docs")

            await in_browser(shoot_all)


if __name__ == "__main__":
    asyncio.run(main())
