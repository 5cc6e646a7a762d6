"""``/login`` in the staff bot: a one-time link to set a console password, for staff only."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestServer
from yarl import URL

from config.settings import HttpSettings
from hub.app import create_app
from tests.support.api import Api
from tests.support.console import Browser
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, bot_settings
from tests.support.telegram_stub import BotApiStub

Stub = tuple[BotApiStub, TestServer]
PUBLIC = "https://dozvon.example.com"


async def _app(aiohttp_client: Any, db_url: str, server: TestServer, public: str | None) -> Api:
    settings = bot_settings(db_url, server).model_copy(
        update={"http": HttpSettings(public_url=public)}
    )
    return Api(await aiohttp_client(create_app(settings)), ADMIN_TOKEN, HOOK_SECRET)


async def test_login_sends_a_password_link(aiohttp_client: Any, db_url: str, stub: Stub) -> None:
    fake, server = stub
    api = await _app(aiohttp_client, db_url, server, PUBLIC)
    await api.post(
        "/api/v1/managers", {"name": "Иван", "extension": "101", "telegram_chat_id": 1001}
    )
    await api.post("/api/v1/managers", {"name": "Анна", "telegram_chat_id": 1002})
    fake.message(1001, "/login")
    sent = await fake.nth_to(1001, 0)
    assert sent.startswith("🔑 Ссылка, чтобы задать пароль")
    assert sent.endswith("Имя для входа: 101")
    link = next(word for word in sent.split() if word.startswith(PUBLIC + "/password/"))
    # The link works in the console (opened here over the test server, not the public address).
    page = await Browser(api).get(URL(link).path)
    assert page.status == 200 and "Иван" in page.text
    # Without a login or an extension there is nothing to log in with.
    fake.message(1002, "/login")
    assert (await fake.nth_to(1002, 0)).startswith("У вас нет ни логина")
    # A stranger gets the polite refusal.
    fake.message(777, "/login")
    assert (await fake.nth_to(777, 0)).startswith("Здравствуйте! Этот бот работает только")


async def test_without_a_public_address_there_is_no_link(
    aiohttp_client: Any, db_url: str, stub: Stub
) -> None:
    fake, server = stub
    api = await _app(aiohttp_client, db_url, server, None)
    await api.post(
        "/api/v1/managers", {"name": "Иван", "extension": "101", "telegram_chat_id": 1001}
    )
    fake.message(1001, "/login")
    assert (await fake.nth_to(1001, 0)).startswith("Вход в консоль по ссылке недоступен")
