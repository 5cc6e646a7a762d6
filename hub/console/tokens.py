"""``/tokens``: the API tokens a person makes for himself, with his scope.

He sees his own tokens (never their secrets), makes one — its secret shown once, on the page
that answers the form, never again — and revokes one. A token made here is his: it sees what he
sees in the console (``hub/domain/scope.py``), and its role is one his role allows
(``hub/services/directory/tokens.py``). Every change is audited with his name; the verifier's
cache is dropped, so a revoked token stops at once."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from pydantic import ValidationError

from hub.bootstrap.auth import VERIFIER
from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.console.access import field, page, person, see_other
from hub.console.render import render
from hub.domain.errors import Conflict, DozvonError, NotFound
from hub.domain.people import Role
from hub.services.directory.commands import TokenCreate
from hub.services.directory.tokens import PERSON_TOKEN_ROLES, issue_token, revoke_token
from hub.services.logins.sessions import Person
from storage.uow import UnitOfWork


def _roles(me: Person) -> list[str]:
    """The roles his tokens may have, the least first."""
    return sorted(PERSON_TOKEN_ROLES.get(Role(me.role), frozenset()), reverse=True)


async def _page(
    request: web.Request,
    me: Person,
    *,
    error: str = "",
    secret: str = "",
    name: str = "",
    status: int = 200,
) -> web.Response:
    zone = ZoneInfo(request.app[SETTINGS].company.timezone)
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        found = await uow.tokens.of_person(me.id)
    rows = [
        {
            "id": t.id,
            "name": t.name,
            "role": t.role,
            "created": t.created_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
            "revoked": t.revoked_at.astimezone(zone).strftime("%d.%m.%Y %H:%M")
            if t.revoked_at
            else "",
        }
        for t in found
    ]
    context: dict[str, Any] = {
        "rows": rows,
        "roles": _roles(me),
        "error": error,
        "secret": secret,
        "name": name,
    }
    return render(request, "tokens.html", context, person=me, status=status)


async def tokens(request: web.Request) -> web.StreamResponse:
    me = person(request)
    return await _page(request, me)


async def create(request: web.Request) -> web.StreamResponse:
    """Make a token of his: the answer shows its secret, once."""
    me = person(request)
    posted = await request.post()
    name, role = field(posted, "name").strip(), field(posted, "role")
    if role not in _roles(me):
        return await _page(request, me, error="role", name=name, status=400)
    try:
        body = TokenCreate.model_validate({"name": name, "role": role, "manager_id": me.id})
    except ValidationError:
        return await _page(request, me, error="name", name=name, status=400)
    try:
        async with UnitOfWork(request.app[SESSIONS]) as uow:
            issued = await issue_token(uow, body, actor=me.name, now=request.app[CLOCK].now())
            await uow.commit()
    except Conflict:
        return await _page(request, me, error="taken", name=name, status=400)
    except DozvonError:
        return await _page(request, me, error="role", name=name, status=400)
    request.app[VERIFIER].forget()
    return await _page(request, me, secret=issued.secret, name=name, status=201)


async def revoke(request: web.Request) -> web.StreamResponse:
    """Revoke a token of his (another's is as if it did not exist)."""
    me = person(request)
    text = request.match_info["id"]
    if len(text) > 9:
        return await _page(request, me, error="missing", status=404)
    token_id = int(text)
    try:
        async with UnitOfWork(request.app[SESSIONS]) as uow:
            await revoke_token(
                uow, token_id, actor=me.name, now=request.app[CLOCK].now(), owner=me.id
            )
            await uow.commit()
    except NotFound:
        return await _page(request, me, error="missing", status=404)
    request.app[VERIFIER].forget()
    return see_other("/tokens")


ROUTES = [
    web.get("/tokens", page(tokens)),
    web.post("/tokens", page(create)),
    web.post(r"/tokens/{id:\d+}/revoke", page(revoke)),
]
