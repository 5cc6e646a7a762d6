"""Who is at the console: the session cookie, the person it opens, and the wrappers every
console handler goes through.

* :func:`page` — a page for people logged in (of some roles only, if it says): without a
  session a GET is sent to ``/login?next=<this page>``; the person is then ``person(request)``.
* :func:`form` — a public page with a form (logging in, setting a password).

Under both, every POST must carry the form token (``hub/domain/csrf.py``) or is refused, 403
(an upload's handler checks it itself once it has read the body: ``page(streamed=True)``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web
from yarl import URL

from hub.bootstrap.console import GUARD
from hub.bootstrap.core import CLOCK
from hub.bootstrap.database import SESSIONS
from hub.console.render import FORM_COOKIE, message, secure_cookies
from hub.domain.csrf import FIELD
from hub.domain.logins import SESSION_MAX, worth_touching
from hub.domain.people import Role
from hub.domain.scope import Scope
from hub.services.logins.sessions import Person, find_person, touch_session
from hub.services.scope import scope_of
from storage.uow import UnitOfWork

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SESSION_COOKIE = "dozvon_session"
LOGIN_PATH = "/login"
PERSON = web.RequestKey("console_person", Person)
SCOPE = web.RequestKey("console_scope", Scope)


def see_other(location: str) -> web.Response:
    """A redirect after a form (303: the browser follows it with a GET)."""
    return web.Response(status=303, headers={"Location": location})


def field(posted: Mapping[str, object], name: str) -> str:
    """A text field of a posted form ("" when missing or a file)."""
    value = posted.get(name)
    return value if isinstance(value, str) else ""


def person(request: web.Request) -> Person:
    """The person logged in (in a handler wrapped by :func:`page`)."""
    return request[PERSON]


async def scope(request: web.Request) -> Scope:
    """Whose records the person logged in sees and changes (``hub/domain/scope.py``)."""
    if SCOPE not in request:
        me = person(request)
        async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
            request[SCOPE] = await scope_of(uow, me.id, me.role)
    return request[SCOPE]


async def current_person(request: web.Request) -> Person | None:
    """The person whose session cookie came with the request, or None."""
    if PERSON in request:
        return request[PERSON]
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 200:
        return None
    now = request.app[CLOCK].now()
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        found = await find_person(uow, token, now=now)
    if found is None:
        return None
    if worth_touching(found.seen_at, now):
        async with UnitOfWork(request.app[SESSIONS]) as uow:
            await touch_session(uow, token, now=now)
            await uow.commit()
    request[PERSON] = found
    return found


def start_session(request: web.Request, response: web.StreamResponse, token: str) -> None:
    """Give the browser the session cookie."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="Lax",
        secure=secure_cookies(request),
        path="/",
        max_age=int(SESSION_MAX.total_seconds()),
    )


def end_session_cookie(response: web.StreamResponse) -> None:
    response.del_cookie(SESSION_COOKIE, path="/")


def login_url(request: web.Request) -> str:
    """Where a request without a session is sent: the login page, then back here."""
    if request.method in ("GET", "HEAD"):
        return str(URL(LOGIN_PATH).with_query(next=str(request.rel_url)))
    return LOGIN_PATH


def token_is_ours(request: web.Request, sent: str, found: Person | None) -> bool:
    """Is ``sent`` the form token of ``found``'s session (or, before logging in, of the form
    cookie)?"""
    return request.app[GUARD].accepts(
        sent,
        session=found.session if found is not None else None,
        cookie=request.cookies.get(FORM_COOKIE),
    )


async def form_is_ours(request: web.Request) -> bool:
    """Does the posted form carry the token of this person's session (or form cookie)?"""
    sent = field(await request.post(), FIELD)
    return token_is_ours(request, sent, await current_person(request))


def refused(request: web.Request, found: Person | None) -> web.Response:
    """The page for a form without its token."""
    return message(request, "forbidden_title", "forbidden", status=403, person=found)


def page(
    handler: Handler, *, roles: frozenset[Role] | None = None, streamed: bool = False
) -> Handler:
    """Wrap a console page for people logged in (with one of ``roles``, when given: another
    person gets a 403 page). ``streamed``: the handler reads a posted body itself (an upload
    larger than a form), and checks its form token with :func:`token_is_ours`."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        found = await current_person(request)
        if found is None:
            return see_other(login_url(request))
        if roles is not None and found.role not in roles:
            return message(request, "not_allowed_title", "not_allowed", status=403, person=found)
        if request.method == "POST" and not streamed and not await form_is_ours(request):
            return refused(request, found)
        return await handler(request)

    return guarded


def form(handler: Handler) -> Handler:
    """Wrap a public console page whose form is posted back to it."""

    async def checked(request: web.Request) -> web.StreamResponse:
        if request.method == "POST" and not await form_is_ours(request):
            return refused(request, await current_person(request))
        return await handler(request)

    return checked


def _wants_a_page(request: web.Request) -> bool:
    """A browser's request outside the API (it asks for HTML), not a program's."""
    return not request.path.startswith("/api/") and "text/html" in request.headers.get("Accept", "")


async def missing_page(request: web.Request) -> web.StreamResponse | None:
    """An address with no page, opened in a browser, is a page that says so; None for the API's
    own addresses, and programs, which keep their JSON error."""
    if not _wants_a_page(request):
        return None
    found = await current_person(request)
    return message(request, "missing_title", "missing", status=404, person=found)
