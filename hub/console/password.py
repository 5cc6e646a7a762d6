"""``/password/{code}``: a one-time link sets a person's console password and logs him in.

The form asks for the new password twice; a refused one (too short, the two differ) shows the
form again and spends nothing. A used, expired or unknown link, or one of a person made
inactive, says only that the link does not work.
"""

from __future__ import annotations

from aiohttp import web

from hub.bootstrap.console import GUARD
from hub.bootstrap.core import CLOCK
from hub.bootstrap.database import SESSIONS
from hub.console.access import field, form, see_other, start_session
from hub.console.render import language, message, render
from hub.console.texts import text
from hub.domain.logins import PASSWORD_MAX, PASSWORD_MIN, PASSWORD_PATH, password_problem
from hub.services.logins.links import link_holder, use_link
from hub.services.logins.sessions import open_session
from storage.models import Manager
from storage.uow import UnitOfWork


def _gone(request: web.Request) -> web.Response:
    return message(request, "link_gone_title", "link_gone", status=404)


def _form(request: web.Request, manager: Manager, error: str | None) -> web.Response:
    context = {
        "name": manager.name,
        "login": manager.login,
        "extension": manager.extension,
        "minimum": PASSWORD_MIN,
        "error": error,
    }
    return render(request, "password.html", context)


def _problem(request: web.Request, first: str, second: str) -> str | None:
    lang = language(request)
    problem = password_problem(first)
    if problem is not None:
        if len(first) < PASSWORD_MIN:
            return text("password_short", lang, min=PASSWORD_MIN)
        if len(first) > PASSWORD_MAX:
            return text("password_long", lang, max=PASSWORD_MAX)
        return text("password_blank", lang)
    if first != second:
        return text("password_mismatch", lang)
    return None


async def password_page(request: web.Request) -> web.StreamResponse:
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        manager = await link_holder(uow, request.match_info["code"], now=request.app[CLOCK].now())
    if manager is None:
        return _gone(request)
    return _form(request, manager, None)


async def set_password(request: web.Request) -> web.StreamResponse:
    code = request.match_info["code"]
    posted = await request.post()
    first, second = field(posted, "password"), field(posted, "password2")
    now = request.app[CLOCK].now()
    async with UnitOfWork(request.app[SESSIONS]) as uow:
        manager = await link_holder(uow, code, now=now)
        if manager is None:
            return _gone(request)
        problem = _problem(request, first, second)
        if problem is not None:
            return _form(request, manager, problem)
        done = await use_link(uow, request.app[GUARD].passwords, code, first, now=now)
        if done is None:
            return _gone(request)
        token = await open_session(uow, done, now=now)
        await uow.commit()
    response = see_other("/")
    start_session(request, response, token)
    return response


ROUTES = [
    web.get(PASSWORD_PATH + "{code}", form(password_page)),
    web.post(PASSWORD_PATH + "{code}", form(set_password)),
]
