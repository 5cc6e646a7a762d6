"""Rendering a console page: the template, in the console's language, with what every page
shows (the person, the sections, the form token) and the headers every page carries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from hub.bootstrap.console import GUARD
from hub.bootstrap.core import SETTINGS
from hub.console.nav import sections_for
from hub.console.texts import text
from hub.domain.csrf import FIELD
from hub.services.logins.sessions import Person
from notifications.catalogue import Language

FORM_COOKIE = "dozvon_form"
_NEW_FORM_COOKIE = web.RequestKey("console_new_form_cookie", str)

# No page is framed, cached or followed by a Referer with its path (a set-password link is a
# secret in its path); nothing but our own files is loaded — save a call's recording, which our
# recording link may send on to the PBX vendor's own https address (Zadarma's, Mango's).
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; media-src 'self' https:; frame-ancestors 'none'; form-action 'self'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def language(request: web.Request) -> Language:
    return request.app[SETTINGS].telegram.language


def secure_cookies(request: web.Request) -> bool:
    """Cookies only over HTTPS when the service is reached by an https:// public address."""
    public = request.app[SETTINGS].http.public_url
    return bool(public and public.lower().startswith("https://"))


def form_cookie(request: web.Request) -> str:
    """The value of the form cookie this answer's forms are bound to (made when missing)."""
    value = request.cookies.get(FORM_COOKIE)
    if value and len(value) <= 100:
        return value
    if _NEW_FORM_COOKIE not in request:
        request[_NEW_FORM_COOKIE] = request.app[GUARD].new_cookie_value()
    return request[_NEW_FORM_COOKIE]


def render(
    request: web.Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    person: Person | None = None,
    status: int = 200,
) -> web.Response:
    """The page ``template`` for ``person`` (None on the pages before logging in)."""
    lang = language(request)
    session = person.session if person is not None else None
    cookie = None if session else form_cookie(request)
    values: dict[str, Any] = {
        "lang": lang,
        "t": lambda key, **kw: text(key, lang, **kw),
        "person": person,
        "sections": sections_for(person.role) if person is not None else (),
        "csrf_field": FIELD,
        "csrf": request.app[GUARD].token(session=session, cookie=cookie),
        "current": request.path,
    }
    values.update(context or {})
    response = aiohttp_jinja2.render_template(template, request, values, status=status)
    response.headers.update(HEADERS)
    if _NEW_FORM_COOKIE in request:
        response.set_cookie(
            FORM_COOKIE,
            request[_NEW_FORM_COOKIE],
            httponly=True,
            samesite="Lax",
            secure=secure_cookies(request),
            path="/",
        )
    return response


def message(
    request: web.Request, title: str, body: str, *, status: int, person: Person | None = None
) -> web.Response:
    """A page that only says something (a refusal, a link that no longer works)."""
    lang = language(request)
    context = {"title": text(title, lang), "message": text(body, lang)}
    return render(request, "message.html", context, person=person, status=status)
