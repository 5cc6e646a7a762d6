"""Triage of unknown numbers: link to a client, make a new client, or put the number on a list.

A messenger contact without a phone waits as ``<messenger>:<chat>``: linked to a client (or made
one) his chat is tied to the card, and no phone is added; put on a list he only leaves the queue.

Triage settles the number's active callback case too (:func:`settle_numbers`, which every change
to the directory that gives a number a card or a list calls as well): linked to a client, the case
gets the client and his manager (who is told); put on a list whose calls open no cases, the case
closes with the reason ``list:<slug>``. What happened to the case comes back as facts, for the
caller to hand to the fact handlers in the same transaction (the alerts are edited).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from hub.domain.cases import CaseEvent, CaseFact
from hub.domain.conversations import chat_of
from hub.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from hub.domain.people import Role
from hub.domain.responsibility import ResponsibleReason
from hub.domain.unknown import UnknownStatus
from hub.services.cases import close_in
from hub.services.directory.clients import add_phone, by_hand, create_client, get_client
from hub.services.directory.commands import (
    TriageLink,
    TriageList,
    TriageNewClient,
    TriageRequest,
)
from hub.services.directory.lists import add_entry, get_list
from hub.services.directory.numbers import external_number
from hub.services.facts import FactHandlers
from hub.services.serialisers import unknown_view
from storage.db import SessionFactory
from storage.models import CallbackCase, Manager, UnknownNumber
from storage.uow import UnitOfWork

TriageAction = TriageLink | TriageNewClient | TriageList


@dataclass(frozen=True, slots=True)
class Triaged:
    entry: UnknownNumber
    facts: list[CaseFact]


async def triage(
    uow: UnitOfWork,
    raw: str,
    action: TriageAction,
    *,
    actor: str,
    region: str,
    now: datetime,
    by: int | None = None,
) -> Triaged:
    """Triage ``raw`` inside ``uow`` (the caller commits); ``by``: the manager doing it, whose
    card a new client becomes when the action names nobody."""
    number = triaged_number(raw, region)
    chat = chat_of(number)
    entry = await uow.unknown.get(number, lock=True)
    if entry is None:
        raise NotFound(f"{number} is not in the unknown-numbers queue")
    if entry.status != UnknownStatus.OPEN:
        raise Conflict(f"{number} was already triaged: {entry.resolution}")
    before = unknown_view(entry)
    if isinstance(action, TriageLink):
        await get_client(uow, action.client_id, field="client_id")
        if chat is None:
            await add_phone(uow, action.client_id, number, actor=actor, region=region)
        resolution = f"client:{action.client_id}"
    elif isinstance(action, TriageNewClient):
        client = await create_client(
            uow,
            name=action.name,
            manager_id=next(
                (m for m in (action.manager_id, by, entry.manager_id) if m is not None), None
            ),
            phones=[number] if chat is None else [],
            status=action.status,
            actor=actor,
            status_set_by_hand_at=by_hand(action.status, now),
        )
        resolution = f"client:{client.client.id}"
    else:
        await get_list(uow, action.list, field="list")
        if chat is None:  # a chat is no number for a list's routing: it only leaves the queue
            await add_entry(uow, action.list, number, action.note, actor=actor, region=region)
        resolution = f"list:{action.list}"
    entry.status = UnknownStatus.RESOLVED
    entry.resolution = resolution
    entry.resolved_at = now
    entry.resolved_by = actor
    if chat is not None and resolution.startswith("client:"):
        await uow.conversations.tie(*chat, int(resolution.removeprefix("client:")))
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
    return Triaged(entry, await settle_numbers(uow, {number: resolution}, actor=actor, now=now))


async def triage_and_commit(
    factory: SessionFactory,
    handlers: FactHandlers,
    raw: str,
    action: TriageAction,
    *,
    actor: str,
    region: str,
    now: datetime,
    by: int | None = None,
) -> Triaged:
    """The one use case "triage a number", for the API and the staff bot: triaged, the case
    settled and its alerts written in one transaction, committed, the after-commit handlers run.
    (The caller lets routing catch up with the directory.)"""
    async with UnitOfWork(factory) as uow:
        done = await triage(uow, raw, action, actor=actor, region=region, now=now, by=by)
        await handlers.within(uow, done.facts)
        await uow.commit()
    handlers.committed(done.facts)
    return done


async def triage_by_person(
    factory: SessionFactory,
    handlers: FactHandlers,
    person: Manager,
    raw: str,
    kind: str,
    ref: str | int,
    *,
    region: str,
    now: datetime,
) -> Triaged:
    """Triage by a person from the staff bot: ``kind`` is ``link`` (``ref``: the client id),
    ``new_client`` (``ref``: the name; the card is his if he is a manager) or ``list`` (``ref``:
    the list id). A manager triages his own numbers (his by the queue, or he was told of the
    number's case); supervisors, directors and admins any."""
    number = triaged_number(raw, region)
    async with UnitOfWork(factory, read_only=True) as uow:
        entry = await uow.unknown.get(number)
        case = (await uow.cases.active_for({number})).get(number)
        found = [lst for lst in await uow.lists.all() if lst.id == ref] if kind == "list" else []
    if entry is not None and not _may_triage(person, entry, case):
        raise Forbidden(f"{number} is another manager's number to triage")
    body: dict[str, object]
    if kind == "list":
        if not found:
            raise NotFound(f"list {ref} does not exist")
        body = {"action": "list", "list": found[0].slug}
    elif kind == "link":
        body = {"action": "link", "client_id": ref}
    else:
        body = {"action": "new_client", "name": ref}
    try:
        action = TriageRequest.model_validate({"triage": body}).triage
    except ValidationError as exc:
        raise InvalidInput(str(exc.errors()[0]["msg"]), field=kind) from exc
    return await triage_and_commit(
        factory,
        handlers,
        number,
        action,
        actor=person.name,
        region=region,
        now=now,
        by=person.id if person.role == Role.MANAGER else None,
    )


def triaged_number(raw: str, region: str) -> str:
    """What is triaged: a phone (its E.164 form, or a 400 naming the field), or a messenger
    contact without one as the queue names it (``<messenger>:<chat>``)."""
    if chat_of(raw.strip()) is not None:
        return raw.strip()
    return external_number(raw, region, "number")


def _may_triage(person: Manager, entry: UnknownNumber, case: CallbackCase | None) -> bool:
    if person.role != Role.MANAGER:
        return True
    told = {case.manager_id, *(case.told or [])} if case is not None else set()
    return (
        entry.manager_id in (None, person.id)
        or person.id in (entry.manager_ids or [])
        or (person.id in told)
    )


async def settle_numbers(
    uow: UnitOfWork, resolutions: Mapping[str, str], *, actor: str, now: datetime
) -> list[CaseFact]:
    """Numbers that now belong to a client (``client:<id>``) or are on a list (``list:<slug>``),
    by triage or by any change to the directory: their entries leave the triage queue, and
    their active cases are settled — the client and his manager given, or closed with the
    reason ``list:<slug>`` by a list that opens no cases. Idempotent; the caller commits."""
    if not resolutions:
        return []
    waiting = await uow.unknown.by_numbers(resolutions)
    for number, entry in waiting.items():
        if entry.status == UnknownStatus.OPEN:
            # Resolved by the change itself (audited as what it is), not by anyone's triage.
            entry.status = UnknownStatus.RESOLVED
            entry.resolution = resolutions[number]
            entry.resolved_at = now
    active = await uow.cases.active_for(set(resolutions), lock=True)
    facts: list[CaseFact] = []
    for number in sorted(active):
        fact = await _settle(uow, active[number], resolutions[number], actor=actor, now=now)
        if fact is not None:
            facts.append(fact)
    await uow.flush()
    return facts


async def _settle(
    uow: UnitOfWork, case: CallbackCase, resolution: str, *, actor: str, now: datetime
) -> CaseFact | None:
    kind, _, ref = resolution.partition(":")
    if kind == "list":
        number_list = await uow.lists.by_slug(ref)
        if number_list is not None and not number_list.opens_cases:
            return await close_in(uow, case.id, resolution, actor=actor, now=now)
        return CaseFact(CaseEvent.ASSIGNED, case)
    client = await uow.clients.get(int(ref))
    if client is None:
        return None
    if case.client_id == client.id:
        return None  # already his: the responsible person chosen for it stays
    manager_id = client.manager_id or case.manager_id
    case.client_id = client.id
    if manager_id != case.manager_id:
        case.manager_id = manager_id
        case.responsible_reason = ResponsibleReason.PERSONAL_MANAGER
    return CaseFact(CaseEvent.ASSIGNED, case)
