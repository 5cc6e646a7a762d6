"""``/clients/{id}/versions``: every recorded version of a client's card (from the audit log,
as ``GET /api/v1/clients/{id}/versions`` gives them), newest first, each restorable — by the
same service as ``POST /api/v1/clients/{id}/restore``, audited with the person's name. A version
whose manager the person may not assign is refused, as an edit would be."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.console.access import field, page, person, scope
from hub.console.client_card import change, client_id, missing, visible_card
from hub.console.client_forms import Refused, may_assign
from hub.console.render import render
from hub.domain.client_status import ClientStatus
from hub.domain.digits import plain_digits
from hub.domain.scope import Scope
from hub.services.directory.clients import ClientCard, restore_client, versions
from storage.uow import UnitOfWork


async def history(request: web.Request) -> web.StreamResponse:
    me, sees, wanted = person(request), await scope(request), client_id(request)
    zone = ZoneInfo(request.app[SETTINGS].company.timezone)
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        card = await visible_card(uow, sees, wanted)
        if card is None:
            return missing(request)
        numbered = await versions(uow, wanted)
        names = {m.id: m.name for m in await uow.managers.list()}
    latest = numbered[-1][0]
    rows: list[dict[str, Any]] = []
    for number, entry in reversed(numbered):
        after = entry.after
        rows.append(
            {
                "version": number,
                "at": entry.at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
                "actor": entry.actor,
                "action": entry.action,
                "card": after,
                "manager": names.get(after.get("manager_id") or 0) if after else None,
                "current": number == latest,
            }
        )
    context = {"client": card.client, "rows": rows, "statuses": list(ClientStatus)}
    return render(request, "client_versions.html", context, person=me)


async def restore(request: web.Request) -> web.StreamResponse:
    chosen = field(await request.post(), "version").strip()
    me = person(request)

    async def act(uow: UnitOfWork, card: ClientCard, sees: Scope) -> ClientCard:
        if not plain_digits(chosen) or len(chosen) > 9:
            raise Refused("clients_error_version")
        entry = dict(await versions(uow, card.client.id)).get(int(chosen))
        if entry is None or entry.after is None:
            raise Refused("clients_error_version")
        manager_id = entry.after.get("manager_id")
        if manager_id != card.client.manager_id and not may_assign(
            sees, await uow.managers.list(), manager_id
        ):
            raise Refused("clients_error_manager")
        return await restore_client(
            uow, card.client.id, int(chosen), actor=me.name, now=request.app[CLOCK].now()
        )

    return await change(request, act, "restored")


ROUTES = [
    web.get(r"/clients/{id:\d+}/versions", page(history)),
    web.post(r"/clients/{id:\d+}/restore", page(restore)),
]
