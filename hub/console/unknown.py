"""``/unknown``: the triage queue of numbers that called and are nobody's yet — each with its age,
its calls, the managers who took them and its latest recording — and the three ways to settle
one in a click or two: link it to a client (found by a search box, ``/unknown/clients``, read by
``static/unknown.js``), make a new client of it, or move it to a list.

A person sees the numbers of his scope (``Scope.sees_unknown``); one outside it does not exist
for him: its triage is a 404. Triage goes through the same use case as the API
(``triage_and_commit``), audited with the person's name."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from urllib.parse import urlencode

from aiohttp import web
from pydantic import ValidationError

from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.directory import DIRECTORY
from hub.bootstrap.pipeline import HANDLERS
from hub.console.access import field, page, person, scope, see_other
from hub.console.render import message, render
from hub.console.unknown_queue import QUEUE_LIMIT, client_choices, queue_rows
from hub.domain.digits import record_id
from hub.domain.errors import Conflict, DozvonError
from hub.domain.people import Role
from hub.domain.unknown import UnknownStatus
from hub.services.directory.commands import TriageRequest
from hub.services.directory.numbers import external_number
from hub.services.directory.triage import triage_and_commit
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
_SHOWN_NUMBER = re.compile(r"\+?[0-9]{3,15}")
ERRORS = frozenset({"client", "name", "list", "done", "taken", "action"})
DONE = frozenset({"link", "new_client", "list"})


async def queue(request: web.Request) -> web.StreamResponse:
    me = person(request)
    rows, lists = await queue_rows(request, await scope(request))
    query = request.query
    error = query.get("error", "")
    done = query.get("done", "")
    context = {
        "rows": rows,
        "lists": lists,
        "limit": QUEUE_LIMIT,
        "error": error if error in ERRORS else "",
        "done": done if done in DONE else "",
        # Only a number as the page writes it (+ and digits), never text a link made up.
        "number": number if _SHOWN_NUMBER.fullmatch(number := query.get("number", "")) else "",
    }
    return render(request, "unknown.html", context, person=me)


async def clients(request: web.Request) -> web.StreamResponse:
    """The clients matching the search box, as the options of the link form's list."""
    me = person(request)
    found = await client_choices(request, await scope(request), request.query.get("q", ""))
    return render(request, "unknown_clients.html", {"clients": found}, person=me)


def _back(**values: str) -> web.Response:
    return see_other("/unknown?" + urlencode(values))


async def triage(request: web.Request) -> web.StreamResponse:
    me = person(request)
    seen = await scope(request)
    region = request.app[SETTINGS].phone.default_region
    try:
        number = external_number(request.match_info["number"], region, "number")
    except DozvonError:
        return _gone(request)
    posted = await request.post()
    kind = field(posted, "action")
    wanted = field(posted, "client_id").strip()
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        entry = await uow.unknown.get(number)
        wanted_id = record_id(wanted)
        card = await uow.clients.get(wanted_id) if wanted_id is not None else None
        slugs = {lst.slug for lst in await uow.lists.all()}
    if entry is None or not seen.sees_unknown(entry.manager_id, entry.manager_ids or []):
        return _gone(request)
    if entry.status != UnknownStatus.OPEN:
        return _back(error="done", number=number)
    # A client outside the person's scope is no client to him.
    client_id = card.id if card is not None and seen.sees_client(card.manager_id) else None
    mine = me.id if me.role == Role.MANAGER else None
    body = _action(kind, posted, client_id=client_id, slugs=slugs, manager_id=mine)
    if isinstance(body, str):
        return _back(error=body, number=number)
    try:
        action = TriageRequest.model_validate({"triage": body}).triage
    except ValidationError:
        return _back(error="name" if kind == "new_client" else "action", number=number)
    try:
        await triage_and_commit(
            request.app[SESSIONS],
            request.app[HANDLERS],
            number,
            action,
            actor=me.name,
            region=region,
            now=request.app[CLOCK].now(),
            by=mine,
        )
    except Conflict as exc:
        log.info("triage of %s by %s refused: %s", number, me.name, exc.message)
        return _back(error="taken", number=number)
    except DozvonError as exc:
        log.info("triage of %s by %s refused: %s", number, me.name, exc.message)
        return _back(error="action", number=number)
    await request.app[DIRECTORY].catch_up()
    return _back(done=kind, number=number)


def _action(
    kind: str,
    posted: Mapping[str, object],
    *,
    client_id: int | None,
    slugs: set[str],
    manager_id: int | None,
) -> dict[str, object] | str:
    """The triage request a row's form asks for, or the key of what is wrong with it."""
    if kind == "link":
        return {"action": "link", "client_id": client_id} if client_id is not None else "client"
    if kind == "new_client":
        name = field(posted, "name").strip()
        if not name:
            return "name"
        return {"action": "new_client", "name": name[:200], "manager_id": manager_id}
    if kind == "list":
        slug = field(posted, "list").strip()
        if slug not in slugs:
            return "list"
        return {"action": "list", "list": slug, "note": field(posted, "note").strip()[:500]}
    return "action"


def _gone(request: web.Request) -> web.Response:
    """A number that is not in the queue, or not in the person's part of it."""
    return message(
        request, "unknown_gone_title", "unknown_gone", status=404, person=person(request)
    )


ROUTES = [
    web.get("/unknown", page(queue)),
    web.get("/unknown/clients", page(clients)),
    web.post("/unknown/{number}/triage", page(triage)),
]
