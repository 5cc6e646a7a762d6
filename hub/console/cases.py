"""``/cases``: the open callback cases a person answers for or oversees, at a glance — the client
(or the number), who is responsible, how long ago, how many misses, escalated or not — with a
close form (for those who may close), a «Позвонить» button that has the PBX ring the person's
phone and then the client's (where a PBX can, for a person with an extension), ``tel:`` and
WhatsApp links. The table refreshes itself every few seconds (``/cases/rows``, read by
``static/cases.js``): a new missed call shows without a reload, a returned one goes.

A client's message nobody answered in time is a case too (kind ``message``): marked ✉️ where a
missed call is 📵, it leads to the conversation on the client's card, where the answer is
written; a contact nobody knows yet is named as he calls himself, and what stands for his
number (the channel and the chat) is no phone to ring."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.originate import ORIGINATOR
from hub.bootstrap.pipeline import HANDLERS
from hub.console.access import field, page, person, see_other
from hub.console.render import render
from hub.domain.cases import is_active, may_close, sees_case
from hub.domain.digits import record_id
from hub.domain.errors import DozvonError
from hub.services.cases import close_case
from hub.services.logins.sessions import Person
from storage.models import Conversation
from storage.uow import UnitOfWork


def _age(seconds: float) -> tuple[int, int]:
    """(days, hours) since the first miss."""
    hours = int(seconds // 3600)
    return hours // 24, hours % 24


def _link(client_id: int | None, talk: Conversation | None) -> str | None:
    """Where a case's row leads: the client's card — at the conversation, for a message."""
    if client_id is None:
        return None
    return f"/clients/{client_id}" + (f"#conversation-{talk.id}" if talk is not None else "")


async def _rows(request: web.Request, me: Person) -> list[dict[str, Any]]:
    """The active cases ``me`` sees, oldest first, as the table shows them."""
    now: datetime = request.app[CLOCK].now()
    zone = ZoneInfo(request.app[SETTINGS].company.timezone)
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        cases = list(await uow.cases.active_of(None))
        managers = {m.id: m for m in await uow.managers.list()}
        clients = await uow.clients.many(x.client_id for x in cases if x.client_id)
        talks = await uow.conversations.many(
            x.conversation_id for x in cases if x.kind == "message" and x.conversation_id
        )
    calls = request.app[ORIGINATOR].available and bool(me.extension)
    rows = []
    for case in cases:
        responsible = managers.get(case.manager_id or 0)
        boss = responsible.supervisor_id if responsible is not None else None
        if not is_active(case.status) or not sees_case(
            me.role, me.id, case.manager_id, boss, list(case.told or [])
        ):
            continue
        client = clients.get(case.client_id or 0)
        message = case.kind == "message"
        talk = talks.get(case.conversation_id or 0) if message else None
        days, hours = _age((now - case.first_missed_at).total_seconds())
        phone = case.number.startswith("+")
        rows.append(
            {
                "id": case.id,
                "kind": "message" if message else "call",
                "number": case.number,
                "phone": phone,
                "client": client.name if client is not None else None,
                "client_id": client.id if client is not None else None,
                "link": _link(client.id if client is not None else None, talk),
                "contact": (talk.name or talk.contact) if talk is not None else None,
                "channel": talk.channel if talk is not None else None,
                "manager": responsible.name if responsible is not None else None,
                "days": days,
                "hours": hours,
                "missed": case.missed_count,
                "escalated": case.status == "escalated",
                "last": case.last_missed_at.astimezone(zone).strftime("%d.%m %H:%M"),
                "closes": may_close(me.role, me.id, case.manager_id, boss),
                "calls": calls and phone,
                "wa": case.number.lstrip("+") if phone else "",
            }
        )
    return rows


async def cases(request: web.Request) -> web.StreamResponse:
    me = person(request)
    rows = await _rows(request, me)
    error = request.query.get("error", "")
    calling = request.query.get("calling", "")
    context = {
        "rows": rows,
        "error": error if error in ("reason", "closed", "gone", "call") else "",
        "calling": f"+{calling}" if calling.isdigit() and len(calling) <= 15 else "",
        "closed": request.query.get("closed") == "1",
    }
    return render(request, "cases.html", context, person=me)


async def rows(request: web.Request) -> web.StreamResponse:
    """The table's body alone, for the page to refresh itself."""
    me = person(request)
    return render(request, "case_rows.html", {"rows": await _rows(request, me)}, person=me)


async def close(request: web.Request) -> web.StreamResponse:
    me = person(request)
    posted = await request.post()
    reason = field(posted, "reason").strip()
    case_id = record_id(request.match_info["id"])
    if case_id is None:
        return see_other("/cases?error=gone")
    if not reason:
        return see_other("/cases?error=reason")
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        closer = await uow.managers.get(me.id)
    try:
        await close_case(
            request.app[SESSIONS],
            request.app[HANDLERS],
            case_id,
            reason[:500],
            actor=me.name,
            now=request.app[CLOCK].now(),
            by=closer,
        )
    except DozvonError:
        return see_other("/cases?error=closed")
    return see_other("/cases?closed=1")


async def call_back(request: web.Request) -> web.StreamResponse:
    """«Позвонить»: the PBX rings the person's phone, then the client of a case he sees."""
    me = person(request)
    case_id = record_id(request.match_info["id"])
    if case_id is None:
        return see_other("/cases?error=gone")
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        case = await uow.cases.get(case_id)
        responsible = await uow.managers.get(case.manager_id) if case and case.manager_id else None
    boss = responsible.supervisor_id if responsible is not None else None
    if case is None or not sees_case(me.role, me.id, case.manager_id, boss, list(case.told or [])):
        return see_other("/cases?error=gone")
    if not is_active(case.status):
        return see_other("/cases?error=closed")
    try:
        await request.app[ORIGINATOR].originate(me.id, case.number, actor=me.name)
    except DozvonError:
        return see_other("/cases?error=call")
    return see_other(f"/cases?calling={case.number.lstrip('+')}")


ROUTES = [
    web.get("/cases", page(cases)),
    web.get("/cases/rows", page(rows)),
    web.post(r"/cases/{id:\d+}/close", page(close)),
    web.post(r"/cases/{id:\d+}/call", page(call_back)),
]
