"""``/cases``: the open callback cases a person answers for or oversees, at a glance — the client
(or the number), who is responsible, how long ago, how many misses, escalated or not — with a
close form (for those who may close), call and WhatsApp links. The table refreshes itself every
few seconds (``/cases/rows``, read by ``static/cases.js``): a new missed call shows without a
reload, a returned one goes."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.pipeline import HANDLERS
from hub.console.access import field, page, person, see_other
from hub.console.render import render
from hub.domain.cases import is_active, may_close, sees_case
from hub.domain.errors import DozvonError
from hub.services.cases import close_case
from hub.services.logins.sessions import Person
from storage.uow import UnitOfWork


def _age(seconds: float) -> tuple[int, int]:
    """(days, hours) since the first miss."""
    hours = int(seconds // 3600)
    return hours // 24, hours % 24


async def _rows(request: web.Request, me: Person) -> list[dict[str, Any]]:
    """The active cases ``me`` sees, oldest first, as the table shows them."""
    now: datetime = request.app[CLOCK].now()
    zone = ZoneInfo(request.app[SETTINGS].company.timezone)
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        cases = list(await uow.cases.active_of(None))
        managers = {m.id: m for m in await uow.managers.list()}
        clients = {c: await uow.clients.get(c) for c in {x.client_id for x in cases if x.client_id}}
    rows = []
    for case in cases:
        responsible = managers.get(case.manager_id or 0)
        boss = responsible.supervisor_id if responsible is not None else None
        if not is_active(case.status) or not sees_case(
            me.role, me.id, case.manager_id, boss, list(case.told or [])
        ):
            continue
        client = clients.get(case.client_id or 0)
        days, hours = _age((now - case.first_missed_at).total_seconds())
        rows.append(
            {
                "id": case.id,
                "number": case.number,
                "client": client.name if client is not None else None,
                "manager": responsible.name if responsible is not None else None,
                "days": days,
                "hours": hours,
                "missed": case.missed_count,
                "escalated": case.status == "escalated",
                "last": case.last_missed_at.astimezone(zone).strftime("%d.%m %H:%M"),
                "closes": may_close(me.role, me.id, case.manager_id, boss),
                "wa": case.number.lstrip("+"),
            }
        )
    return rows


async def cases(request: web.Request) -> web.StreamResponse:
    me = person(request)
    rows = await _rows(request, me)
    error = request.query.get("error", "")
    return render(request, "cases.html", {"rows": rows, "error": error[:200]}, person=me)


async def rows(request: web.Request) -> web.StreamResponse:
    """The table's body alone, for the page to refresh itself."""
    me = person(request)
    return render(request, "case_rows.html", {"rows": await _rows(request, me)}, person=me)


async def close(request: web.Request) -> web.StreamResponse:
    me = person(request)
    posted = await request.post()
    reason = field(posted, "reason").strip()
    case_id = int(request.match_info["id"])
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
    return see_other("/cases")


ROUTES = [
    web.get("/cases", page(cases)),
    web.get("/cases/rows", page(rows)),
    web.post(r"/cases/{id:\d+}/close", page(close)),
]
