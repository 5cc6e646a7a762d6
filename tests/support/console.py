"""A person at the console, as a browser: cookies kept, forms posted with their token, redirects
looked at rather than followed."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import ClientResponse
from yarl import URL

from tests.support.api import Api

_TOKEN = re.compile(r'name="csrf" value="([^"]*)"')
SESSION_COOKIE = "dozvon_session"


class Page:
    def __init__(self, status: int, text: str, response: ClientResponse) -> None:
        self.status = status
        self.text = text
        self.location = response.headers.get("Location")
        self.set_cookies = response.cookies

    @property
    def token(self) -> str:
        found = _TOKEN.search(self.text)
        assert found is not None, self.text
        return found.group(1)


class Browser:
    def __init__(self, api: Api) -> None:
        self.api = api
        self.client = api.client

    async def get(self, path: str) -> Page:
        async with self.client.get(path, allow_redirects=False) as response:
            return Page(response.status, await response.text(), response)

    async def post(
        self,
        path: str,
        fields: dict[str, str],
        *,
        cookies: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Page:
        """Post a form; ``cookies``: sent besides the jar's (a Secure one it keeps off HTTP)."""
        async with self.client.post(
            path, data=fields, cookies=cookies, headers=headers, allow_redirects=False
        ) as response:
            return Page(response.status, await response.text(), response)

    async def submit(self, path: str, fields: dict[str, str], *, form: str | None = None) -> Page:
        """Open ``form`` (``path`` by default) and post ``fields`` to ``path`` with its token."""
        opened = await self.get(form or path)
        return await self.post(path, {"csrf": opened.token, **fields})

    async def log_in(self, username: str, password: str, *, next: str = "") -> Page:
        fields = {"username": username, "password": password}
        if next:
            fields["next"] = next
        return await self.submit("/login", fields)

    async def log_out(self) -> Page:
        home = await self.get("/")
        return await self.post("/logout", {"csrf": home.token})

    def session(self) -> str | None:
        """The session cookie the browser holds, if any."""
        for cookie in self.client.session.cookie_jar:
            if cookie.key == SESSION_COOKIE and cookie.value:
                return cookie.value
        return None

    def forget_cookies(self) -> None:
        self.client.session.cookie_jar.clear()

    def set_session(self, token: str) -> None:
        self.client.session.cookie_jar.update_cookies(
            {SESSION_COOKIE: token}, URL(str(self.client.make_url("/")))
        )


async def person(api: Api, name: str = "Иван Петров", **fields: Any) -> int:
    """A manager record (extension 101 unless given)."""
    body = {"name": name, "extension": "101", **fields}
    made = await api.post("/api/v1/managers", body)
    manager_id: int = made["id"]
    return manager_id


async def link_path(api: Api, manager_id: int, **body: Any) -> str:
    """The path of a fresh set-password link for the manager."""
    made = await api.post(f"/api/v1/managers/{manager_id}/password-link", body)
    link: str = made["link"]
    return URL(link).path


async def with_password(api: Api, manager_id: int, password: str, **body: Any) -> None:
    await api.call(
        "PUT",
        f"/api/v1/managers/{manager_id}/password",
        {"password": password, **body},
        expect=200,
    )


async def logged_in(api: Api, manager_id: int, login: str, password: str) -> Browser:
    """A browser in which the manager, given ``login`` and ``password``, has logged in."""
    await with_password(api, manager_id, password, login=login)
    browser = Browser(api)
    assert (await browser.log_in(login, password)).status == 303
    return browser
