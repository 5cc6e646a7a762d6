"""Triage of unknown numbers: link to a client, make a new client, or put the number on a list."""

from __future__ import annotations

from datetime import datetime

from hub.domain.errors import Conflict, NotFound
from hub.domain.unknown import UnknownStatus
from hub.services.directory.clients import add_phone, create_client
from hub.services.directory.commands import TriageLink, TriageList, TriageNewClient
from hub.services.directory.lists import add_entry
from hub.services.directory.numbers import external_number
from hub.services.serialisers import unknown_view
from storage.models import UnknownNumber
from storage.uow import UnitOfWork

TriageAction = TriageLink | TriageNewClient | TriageList


async def triage(
    uow: UnitOfWork, raw: str, action: TriageAction, *, actor: str, region: str, now: datetime
) -> UnknownNumber:
    number = external_number(raw, region, "number")
    entry = await uow.unknown.get(number)
    if entry is None:
        raise NotFound(f"{number} is not in the unknown-numbers queue")
    if entry.status != UnknownStatus.OPEN:
        raise Conflict(f"{number} was already triaged: {entry.resolution}")
    before = unknown_view(entry)
    if isinstance(action, TriageLink):
        await add_phone(uow, action.client_id, number, actor=actor, region=region)
        resolution = f"client:{action.client_id}"
    elif isinstance(action, TriageNewClient):
        client = await create_client(
            uow,
            name=action.name,
            manager_id=action.manager_id
            if action.manager_id is not None
            else entry.last_manager_id,
            phones=[number],
            status=action.status,
            actor=actor,
        )
        resolution = f"client:{client.client.id}"
    else:
        await add_entry(uow, action.list, number, action.note, actor=actor, region=region)
        resolution = f"list:{action.list}"
    entry.status = UnknownStatus.RESOLVED
    entry.resolution = resolution
    entry.resolved_at = now
    await uow.flush()
    after = unknown_view(entry)
    uow.audit.record(
        actor=actor,
        action="triage",
        entity="unknown_number",
        entity_id=number,
        before=before,
        after=after,
    )
    return entry
