"""Logging in and out: ``/login`` (a form of username and password) and ``POST /logout``.

A failed login shows the form again with one error whatever was wrong (no such person, a wrong
password, no password yet, an inactive person) and sets no cookie. The eleventh attempt within a
minute, per username or per client address (nginx's ``X-Real-IP`` when nginx on this machine
forwards it), is refused (429) before any password is checked.
"""

from __future__ import annotations

from aiohttp import web

from hub.bootstrap.console import GUARD
from hub.bootstrap.core import CLOCK
from hub.bootstrap.database import SESSIONS
from hub.console.access import (
    LOGIN_PATH,
    SESSION_COOKIE,
    current_person,
    end_session_cookie,
    field,
    form,
    page,
    see_other,
    start_session,
)
from hub.console.render import message, render
from hub.domain.logins import client_address, local_path
from hub.services.logins.accounts import authenticate
from hub.services.logins.sessions import end_session, open_session
from storage.uow import UnitOfWork


async def login_page(request: web.Request) -> web.StreamResponse:
    target = local_path(request.query.get("next"))
    if await current_person(request) is not None:
        return see_other(target)
    return render(request, "login.html", {"next": target, "username": "", "error": False})


async def log_in(request: web.Request) -> web.StreamResponse:
    posted = await request.post()
    username = field(posted, "username")
    password = field(posted, "password")
    target = local_path(field(posted, "next"))
    guard = request.app[GUARD]
    address = client_address(request.remote, request.headers.get("X-Real-IP"))
    if not guard.may_try(username, address):
        return message(request, "too_many_title", "too_many", status=429)
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        found = await authenticate(uow, guard.passwords, username, password)
    if found is None:
        context = {"next": target, "username": username[:200], "error": True}
        return render(request, "login.html", context)
    async with UnitOfWork(request.app[SESSIONS]) as uow:
        token = await open_session(uow, found, now=request.app[CLOCK].now())
        await uow.commit()
    response = see_other(target)
    start_session(request, response, token)
    return response


async def log_out(request: web.Request) -> web.StreamResponse:
    token = request.cookies.get(SESSION_COOKIE, "")
    async with UnitOfWork(request.app[SESSIONS]) as uow:
        await end_session(uow, token)
        await uow.commit()
    response = see_other(LOGIN_PATH)
    end_session_cookie(response)
    return response


ROUTES = [
    web.get(LOGIN_PATH, form(login_page)),
    web.post(LOGIN_PATH, form(log_in)),
    web.post("/logout", page(log_out)),
]
