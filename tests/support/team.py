"""The sales team most end-to-end tests start from, made through the API."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from hub.bootstrap.database import SESSIONS
from storage.models import OutboxMessage
from tests.support.api import Api, update

CALLER = "+79031112233"
ACTIVE = ("open", "escalated")


async def sales_team(
    api: Api,
    clients: Sequence[tuple[str, str]] = (("ООО Ромашка", CALLER),),
    *,
    boss_extension: str | None = None,
) -> dict[str, Any]:
    """Ольга (supervisor, chat 1000), Директор (director, chat 9000), and Иван (extension 101,
    chat 1001, Ольга's) who is the personal manager of ``clients`` (name, phone)."""
    boss_fields: dict[str, Any] = {"name": "Ольга", "role": "supervisor", "telegram_chat_id": 1000}
    if boss_extension is not None:
        boss_fields["extension"] = boss_extension
    boss = await api.post("/api/v1/managers", boss_fields)
    director = await api.post(
        "/api/v1/managers", {"name": "Директор", "role": "director", "telegram_chat_id": 9000}
    )
    ivan = await api.post(
        "/api/v1/managers",
        {"name": "Иван", "extension": "101", "supervisor_id": boss["id"], "telegram_chat_id": 1001},
    )
    cards = [
        await api.post(
            "/api/v1/clients", {"name": name, "manager_id": ivan["id"], "phones": [number]}
        )
        for name, number in clients
    ]
    return {"boss": boss, "director": director, "ivan": ivan, "client": cards[0], "clients": cards}


async def outbox(api: Api) -> list[OutboxMessage]:
    """Every outbox row, oldest first."""
    async with api.app[SESSIONS]() as session:
        rows = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return list(rows.all())


def missed_call(
    call_id: str, caller: str = CALLER, *extensions: str, start: datetime | None = None
) -> list[dict[str, Any]]:
    """Generic-hook updates of a call that rang ``extensions`` (none: a queue or IVR abandon
    that rang nobody) and nobody answered; given ``start``, they rang a second apart in order."""
    rings = [
        update(call_id, "ringing", caller=caller, extension=e)
        | ({"at": (start + timedelta(seconds=i)).isoformat()} if start else {})
        for i, e in enumerate(extensions)
    ] or [update(call_id, "ringing", caller=caller)]
    ends = [
        update(call_id, "ended", caller=caller, extension=e, reason="no_answer") for e in extensions
    ] or [update(call_id, "ended", caller=caller, reason="cancel")]
    return [*rings, *ends]


async def case_of(api: Api, number: str) -> dict[str, Any]:
    """The callback case of ``number``: the active one, else the first it had."""
    cases = [c for c in (await api.get("/api/v1/callback-cases"))["items"] if c["number"] == number]
    found: dict[str, Any] = next((c for c in cases if c["status"] in ACTIVE), cases[0])
    return found


async def miss(api: Api, call_id: str, caller: str = CALLER, *extensions: str) -> dict[str, Any]:
    """A call from ``caller`` that rang ``extensions`` (101 when none are named) and nobody
    answered, through the generic hook; its case."""
    await api.hook(missed_call(call_id, caller, *(extensions or ("101",))))
    return await case_of(api, caller)
