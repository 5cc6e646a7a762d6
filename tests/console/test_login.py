"""Logging in to the console: a set-password link, the one generic refusal, the count of
attempts, the form tokens, logging out, the way to the login page, escaping."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp import web

from config.settings import HttpSettings, Settings, TelegramSettings
from hub.app import create_app
from hub.console.access import page
from hub.console.access import person as person_of
from hub.domain.people import Role
from tests.support.api import Api
from tests.support.clock import TestClock
from tests.support.console import Browser, link_path, person, with_password
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings

GENERIC = "Неверное имя или пароль"


async def test_a_link_sets_the_password_and_logs_in(api: Api) -> None:
    browser = Browser(api)
    manager_id = await person(api, "Иван Петров", role="supervisor")
    made = await api.post(f"/api/v1/managers/{manager_id}/password-link", {"login": "Ivan"})
    assert made["link"].startswith(str(api.client.make_url("/password/")))
    path = await link_path(api, manager_id)
    opened = await browser.get(path)
    assert opened.status == 200
    assert "Иван Петров" in opened.text and "ivan" in opened.text
    # Two passwords that differ, or one too short: the form again, the link not spent.
    differ = await browser.post(
        path, {"csrf": opened.token, "password": "long enough", "password2": "long enougH"}
    )
    assert differ.status == 200 and "Пароли не совпадают" in differ.text
    short = await browser.post(
        path, {"csrf": opened.token, "password": "short", "password2": "short"}
    )
    assert short.status == 200 and "не короче 8 символов" in short.text
    done = await browser.post(
        path, {"csrf": opened.token, "password": "correct horse", "password2": "correct horse"}
    )
    assert (done.status, done.location) == (303, "/")
    assert browser.session() is not None
    home = await browser.get("/")
    assert home.status == 200
    assert "Иван Петров" in home.text and "руководитель" in home.text
    for section in ("/cases", "/unknown", "/clients", "/team", "/reports"):
        assert f'href="{section}"' in home.text
    # Not the sections of directors and admins.
    assert 'href="/import"' not in home.text and 'href="/audit"' not in home.text
    assert 'href="/api/docs"' in home.text
    # The link works once.
    assert (await browser.get(path)).status == 404
    # He logs in again with his login (in any case) or his extension.
    assert (await browser.log_out()).location == "/login"
    assert (await browser.log_in("IVAN", "correct horse")).location == "/"
    assert (await browser.log_out()).status == 303
    assert (await browser.log_in("101", "correct horse")).location == "/"
    # The audit log says the password was set, and keeps no hash.
    entries = await api.get("/api/v1/audit?entity=manager")
    actions = [e["action"] for e in entries["items"]]
    assert "set_password" in actions and "password_link" in actions
    assert "argon2" not in str(entries)


async def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(api: Api) -> None:
    browser = Browser(api)
    manager_id = await person(api)
    await with_password(api, manager_id, "correct horse", login="ivan")
    wrong = await browser.log_in("ivan", "wrong horse")
    unknown = await browser.log_in("nobody", "correct horse")
    no_password = await person(api, "Пётр", extension="102")
    never_set = await browser.log_in("102", "correct horse")
    for answer in (wrong, unknown, never_set):
        assert answer.status == 200
        assert answer.text.count(GENERIC) == 1
        assert "dozvon_session" not in answer.set_cookies
    assert browser.session() is None
    assert no_password
    # The pages differ only in the name typed back into the form.
    assert wrong.text.replace('value="ivan"', "") == unknown.text.replace('value="nobody"', "")


async def test_the_eleventh_attempt_within_a_minute_is_refused(api: Api, clock: TestClock) -> None:
    browser = Browser(api)
    manager_id = await person(api)
    await with_password(api, manager_id, "correct horse", login="ivan")
    for _ in range(10):
        assert (await browser.log_in("ivan", "wrong horse")).status == 200
    refused = await browser.log_in("ivan", "correct horse")
    assert refused.status == 429
    assert "Подождите минуту" in refused.text
    assert browser.session() is None
    clock.advance(timedelta(minutes=1, seconds=1))
    assert (await browser.log_in("ivan", "correct horse")).location == "/"
    await browser.log_out()
    # Per address too: ten names tried from one address, the eleventh is refused.
    clock.advance(timedelta(minutes=1, seconds=1))
    for n in range(10):
        assert (await browser.log_in(f"guess{n}", "wrong horse")).status == 200
    assert (await browser.log_in("guess10", "wrong horse")).status == 429


async def test_behind_nginx_each_client_address_counts_apart(api: Api) -> None:
    browser = Browser(api)
    token = (await browser.get("/login")).token

    async def attempt(name: str, address: str) -> int:
        fields = {"csrf": token, "username": name, "password": "wrong horse"}
        return (await browser.post("/login", fields, headers={"X-Real-IP": address})).status

    assert [await attempt(f"guess{n}", "203.0.113.7") for n in range(10)] == [200] * 10
    assert await attempt("guess10", "203.0.113.7") == 429
    assert await attempt("guess10", "203.0.113.8") == 200


async def test_a_post_without_the_form_token_is_refused(api: Api) -> None:
    browser = Browser(api)
    manager_id = await person(api)
    await with_password(api, manager_id, "correct horse", login="ivan")
    await browser.get("/login")
    bare = await browser.post("/login", {"username": "ivan", "password": "correct horse"})
    assert bare.status == 403
    forged = await browser.post(
        "/login", {"csrf": "0" * 64, "username": "ivan", "password": "correct horse"}
    )
    assert forged.status == 403
    assert browser.session() is None
    assert (await browser.log_in("ivan", "correct horse")).location == "/"
    assert (await browser.post("/logout", {})).status == 403
    assert (await browser.get("/")).status == 200  # still logged in
    path = await link_path(api, manager_id)
    spent = await browser.post(path, {"password": "new password", "password2": "new password"})
    assert spent.status == 403
    assert (await browser.get(path)).status == 200  # the link is not spent


async def test_logging_out_ends_the_session(api: Api) -> None:
    browser = Browser(api)
    manager_id = await person(api)
    await with_password(api, manager_id, "correct horse", login="ivan")
    await browser.log_in("ivan", "correct horse")
    token = browser.session()
    assert token is not None
    out = await browser.log_out()
    assert (out.status, out.location) == (303, "/login")
    assert browser.session() is None
    browser.set_session(token)
    again = await browser.get("/")
    assert (again.status, again.location) == (303, "/login?next=/")
    # A new password ends every session of the person.
    await browser.log_in("ivan", "correct horse")
    assert (await browser.get("/")).status == 200
    await with_password(api, manager_id, "another horse")
    assert (await browser.get("/")).status == 303


async def test_a_page_without_a_session_leads_to_the_login_page_and_back(api: Api) -> None:
    browser = Browser(api)
    manager_id = await person(api)
    await with_password(api, manager_id, "correct horse", login="ivan")
    home = await browser.get("/")
    assert (home.status, home.location) == (303, "/login?next=/")
    opened = await browser.get("/login?next=/cases%3Fstatus%3Dopen")
    assert 'name="next" value="/cases?status=open"' in opened.text
    back = await browser.log_in("ivan", "correct horse", next="/cases?status=open")
    assert back.location == "/cases?status=open"
    # Already logged in: the login page sends him on.
    assert (await browser.get("/login?next=/team")).location == "/team"
    # Never to another site.
    await browser.log_out()
    for elsewhere in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        assert (await browser.log_in("ivan", "correct horse", next=elsewhere)).location == "/"
        await browser.log_out()


async def test_a_name_is_shown_escaped(api: Api) -> None:
    browser = Browser(api)
    manager_id = await person(api, "<script>alert(1)</script> Ольга")
    path = await link_path(api, manager_id, login="olga")
    opened = await browser.get(path)
    assert "<script>" not in opened.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ольга" in opened.text
    await browser.post(
        path, {"csrf": opened.token, "password": "correct horse", "password2": "correct horse"}
    )
    home = await browser.get("/")
    assert home.status == 200
    assert "<script>" not in home.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ольга" in home.text


async def test_the_admin_api_sets_a_password(api: Api) -> None:
    browser = Browser(api)
    manager_id = await person(api, "Ольга", extension=None)
    url = f"/api/v1/managers/{manager_id}/password"
    status, body = await api.call("PUT", url, {"password": "short"})
    assert status == 400 and body["error"]["field"] == "password"
    # Without an extension she needs a login to log in with.
    status, body = await api.call("PUT", url, {"password": "correct horse"})
    assert status == 400 and body["error"]["field"] == "login"
    status, body = await api.call("PUT", url, {"password": "correct horse", "login": "12"})
    assert status == 400 and body["error"]["field"] == "login"
    done = await api.call("PUT", url, {"password": "correct horse", "login": "Olga.S"}, expect=200)
    assert done[1] == {"id": manager_id, "login": "olga.s", "extension": None}
    other = await person(api, "Пётр", extension="102")
    status, body = await api.call(
        "PUT", f"/api/v1/managers/{other}/password", {"password": "x" * 8, "login": "olga.s"}
    )
    assert status == 409
    status, _ = await api.call("PUT", url, {"password": "correct horse"}, token="not-a-token")
    assert status == 401
    assert (await api.call("PUT", "/api/v1/managers/999/password", {"password": "x" * 8}))[0] == 404
    assert (await browser.log_in("olga.s", "correct horse")).location == "/"


async def test_english_and_secure_cookies_by_settings(
    aiohttp_client: Any, db_url: str, clock: TestClock
) -> None:
    settings = make_settings(
        db_url,
        telegram=TelegramSettings(language="en"),
        http=HttpSettings(public_url="https://dozvon.example.com"),
    )
    api = Api(await aiohttp_client(create_app(settings, clock=clock)), ADMIN_TOKEN, HOOK_SECRET)
    browser = Browser(api)
    opened = await browser.get("/login")
    assert '<html lang="en">' in opened.text and "Log in" in opened.text
    assert opened.set_cookies["dozvon_form"]["secure"]
    assert opened.set_cookies["dozvon_form"]["httponly"]
    assert opened.set_cookies["dozvon_form"]["samesite"] == "Lax"
    manager_id = await person(api)
    made = await api.post(f"/api/v1/managers/{manager_id}/password-link", {})
    assert made["link"].startswith("https://dozvon.example.com/password/")
    await with_password(api, manager_id, "correct horse")
    # A Secure cookie does not come back over plain HTTP, so only the answer is read here.
    form = {"dozvon_form": opened.set_cookies["dozvon_form"].value}
    answer = await browser.post(
        "/login",
        {"csrf": opened.token, "username": "101", "password": "correct horse"},
        cookies=form,
    )
    assert answer.location == "/"
    cookie = answer.set_cookies["dozvon_session"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    wrong = await browser.post(
        "/login",
        {"csrf": opened.token, "username": "101", "password": "wrong horse"},
        cookies=form,
    )
    assert "Wrong name or password" in wrong.text


async def test_static_files_come_from_the_package(api: Api) -> None:
    async with api.client.get("/static/console.css") as response:
        assert response.status == 200
        assert "text/css" in response.headers["Content-Type"]


async def test_a_page_for_some_roles_refuses_the_others(
    aiohttp_client: Any, settings: Settings, clock: TestClock
) -> None:
    async def only_admins(request: web.Request) -> web.StreamResponse:
        return web.Response(text=f"admin {person_of(request).name}")

    app = create_app(settings, clock=clock)
    app.router.add_get("/only-admins", page(only_admins, roles=frozenset({Role.ADMIN})))
    api = Api(await aiohttp_client(app), ADMIN_TOKEN, HOOK_SECRET)
    browser = Browser(api)
    assert (await browser.get("/only-admins")).location == "/login?next=/only-admins"
    manager_id = await person(api)
    await with_password(api, manager_id, "correct horse")
    admin_id = await person(api, "Анна", role="admin", extension="100")
    await with_password(api, admin_id, "correct horse")
    await browser.log_in("101", "correct horse")
    refused = await browser.get("/only-admins")
    assert refused.status == 403 and "Нет доступа" in refused.text
    await browser.log_out()
    await browser.log_in("100", "correct horse")
    assert (await browser.get("/only-admins")).text == "admin Анна"
