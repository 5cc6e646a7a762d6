"""``/clients``: finding a client by name or phone, a page at a time, and making a new card; the
card itself, its changes and its versions are ``client_card.py`` and ``client_versions.py``.

One search box: what reads as a phone number in any format (``8 (916) 123-45-67``,
``+7 916 1234567``, ``79161234567``; ``hub/domain/phone.py`` with the configured region) finds
the card with that number; anything else is a part of the name in any case, Cyrillic too (the
same query as ``GET /api/v1/clients?name=``). Only the clients in the person's scope are listed:
a page is filled from the matches he may see."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aiohttp import web
from yarl import URL

from hub.bootstrap.commits import commit_directory
from hub.bootstrap.core import CLOCK, NORMALIZER, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.console import client_card, client_replies, client_versions
from hub.console.access import field, page, person, scope, see_other
from hub.console.client_forms import (
    Refused,
    assignable,
    card_values,
    may_assign,
    service_refusal,
    validated,
)
from hub.console.render import render
from hub.domain.client_status import ClientStatus
from hub.domain.digits import record_id
from hub.domain.errors import DozvonError
from hub.domain.extensions import split_extension
from hub.domain.people import Role
from hub.domain.scope import Scope
from hub.domain.text import control_character
from hub.services.directory.clients import create_client_from
from hub.services.directory.commands import ClientCreate
from hub.services.scope import kept
from storage.models import Client
from storage.uow import UnitOfWork

PAGE = 25
MAX_QUERY = 200
# What the list shows with nothing found yet.
_NOTHING: dict[str, Any] = {
    "q": "",
    "phone": None,
    "rows": [],
    "error": "",
    "more": None,
    "paged": False,
    "statuses": list(ClientStatus),
}


async def _visible(
    uow: UnitOfWork, sees: Scope, *, name: str | None, phone: str | None, after: int
) -> tuple[list[Client], int | None]:
    """A page of the matching clients ``sees`` covers, by id after ``after``, and the id the next
    page starts after (None: no more) — read in a bounded scan (``hub/services/scope.py``)."""
    own = sees.person_id if sees.role == Role.MANAGER else None

    async def fetch(last: Client | None, size: int) -> Sequence[Client]:
        return await uow.clients.page(
            manager_id=own,
            name=name,
            phone=phone,
            after_id=after if last is None else last.id,
            limit=size,
        )

    keep = None if sees.everything else (lambda c: sees.sees_client(c.manager_id))
    # One more than a page says whether another follows.
    found = await kept(fetch, keep, PAGE + 1)
    if found.resume is not None:  # the scan stopped short: go on from the last row read
        return found.rows, found.resume
    rows = found.rows[:PAGE]
    return rows, rows[-1].id if len(found.rows) > PAGE else None


def _query(request: web.Request) -> tuple[str, str | None, str | None]:
    """The search as typed, and what it asks for: a phone (E.164) or a part of a name."""
    typed = request.query.get("q", "").strip()[:MAX_QUERY]
    if not typed or control_character(typed) is not None:
        return typed, None, None
    # A number written with its extension («+7 495 123-00-00 доб. 123») is the number.
    number = request.app[NORMALIZER](split_extension(typed).number or typed)
    if number.is_external:
        return typed, None, number.value
    return typed, typed, None


async def clients(request: web.Request) -> web.StreamResponse:
    me, sees = person(request), await scope(request)
    typed, name, phone = _query(request)
    if typed and name is None and phone is None:
        context = {**_NOTHING, "q": typed, "error": "clients_error_search"}
        return render(request, "clients.html", context, person=me, status=400)
    after_text = request.query.get("after", "")
    after = record_id(after_text) or 0
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        found, resume = await _visible(uow, sees, name=name, phone=phone, after=after)
        phones = await uow.clients.phones_of(c.id for c in found)
        names = {m.id: m.name for m in await uow.managers.list()}
    rows = [
        {
            "id": c.id,
            "name": c.name,
            "phones": phones.get(c.id, []),
            "status": c.status,
            "manager": names.get(c.manager_id or 0),
        }
        for c in found
    ]
    following = None
    if resume is not None:
        following = str(URL("/clients").with_query({"q": typed, "after": str(resume)}))
    context = {
        **_NOTHING,
        "q": typed,
        "phone": phone,
        "rows": rows,
        "more": following,
        "paged": after > 0,
    }
    return render(request, "clients.html", context, person=me)


def _phones(text: str) -> list[str]:
    """The numbers of the new card: one a line (or separated by ``;``)."""
    parts = text.replace(";", "\n").splitlines()
    return [p.strip()[:64] for p in parts if p.strip()]


async def _new_page(
    request: web.Request,
    posted: Mapping[str, object] | None = None,
    refused: Refused | None = None,
    typed: str = "",
) -> web.Response:
    me, sees = person(request), await scope(request)
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        choices = assignable(sees, await uow.managers.list())
    mine = str(me.id) if any(c.id == me.id for c in choices) else ""
    form: dict[str, Any] = {
        "name": "",
        "notes": "",
        "status": ClientStatus.POTENTIAL.value,
        "manager_id": mine,
        "phones": "",
    }
    if posted is not None:
        form.update({key: field(posted, key) for key in form})
    context = {
        "form": form,
        "choices": choices,
        "nobody": sees.owns(None),
        "statuses": list(ClientStatus),
        "error": refused,
        "typed": typed,
    }
    return render(request, "client_new.html", context, person=me, status=400 if refused else 200)


async def new_client(request: web.Request) -> web.StreamResponse:
    return await _new_page(request)


async def create(request: web.Request) -> web.StreamResponse:
    me, sees = person(request), await scope(request)
    posted = await request.post()
    phones = _phones(field(posted, "phones"))
    try:
        async with UnitOfWork(request.app[SESSIONS]) as uow:
            values = card_values(posted)
            if not may_assign(sees, await uow.managers.list(), values["manager_id"]):
                raise Refused("clients_error_manager")
            body = validated(ClientCreate, {**values, "phones": phones})
            card = await create_client_from(
                uow,
                body,
                actor=me.name,
                region=request.app[SETTINGS].phone.default_region,
                now=request.app[CLOCK].now(),
            )
            await commit_directory(
                request.app, uow, actor=me.name, settles=card.owned(), scope=sees
            )
    except Refused as refused:
        return await _new_page(request, posted, refused)
    except DozvonError as exc:
        return await _new_page(request, posted, service_refusal(exc, _culprit(exc, phones)))
    return see_other(f"/clients/{card.client.id}?done=created")


def _culprit(exc: DozvonError, phones: Sequence[str]) -> str:
    """The number a refusal is about: ``phones[i]`` names it by place, a conflict by its
    E.164 form first in the message."""
    where = exc.field or ""
    if where.startswith("phones[") and where.endswith("]") and where[7:-1].isdigit():
        index = int(where[7:-1])
        return phones[index] if index < len(phones) else ""
    first = exc.message.split(" ", 1)[0]
    return first if first.startswith("+") else ", ".join(phones)


ROUTES = [
    web.get("/clients", page(clients)),
    web.get("/clients/new", page(new_client)),
    web.post("/clients/new", page(create)),
    *client_card.ROUTES,
    *client_replies.ROUTES,
    *client_versions.ROUTES,
]
