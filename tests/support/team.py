"""The sales team most end-to-end tests start from, made through the API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from hub.bootstrap.database import SESSIONS
from storage.models import OutboxMessage
from tests.support.api import Api

CALLER = "+79031112233"


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
