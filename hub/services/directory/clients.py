"""Client cards: create, change, delete, phones, and restoring an earlier version from the audit."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from hub.domain.cases import CaseFact
from hub.domain.client_status import ClientStatus, parse_status
from hub.domain.errors import InvalidInput, NotFound, missing
from hub.domain.extensions import split_extension
from hub.services.directory.changes import removed
from hub.services.directory.commands import ClientCreate, ClientUpdate
from hub.services.directory.handover import hand_over_cases
from hub.services.directory.managers import get_manager
from hub.services.directory.numbers import ensure_free, external_number
from hub.services.serialisers import client_view
from storage.models import AuditEntry, Client
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ClientCard:
    """A client with his phones (E.164) and their extensions, as a card shows him."""

    client: Client
    phones: list[str]
    extensions: dict[str, str] = field(default_factory=dict)
    # The client's open cases the change handed to his new manager (their alerts to send).
    handed: list[CaseFact] = field(default_factory=list)

    def view(self) -> dict[str, Any]:
        """The card as the audit log keeps it (and the API shows it)."""
        return client_view(self.client, self.phones, self.extensions)

    def owned(self) -> dict[str, str]:
        """Each of the card's numbers with what it now is: ``client:<id>``."""
        return dict.fromkeys(self.phones, f"client:{self.client.id}")


def normalise_phones(raw: list[str], region: str) -> tuple[list[str], dict[str, str]]:
    """The E.164 numbers of phones a person typed, and the extensions some were written with
    (``"+7 495 123-00-00 доб. 123"``)."""
    numbers: list[str] = []
    extensions: dict[str, str] = {}
    for index, text in enumerate(raw):
        number, ext = _with_extension(text, region, f"phones[{index}]")
        if number not in numbers:
            numbers.append(number)
        if ext:
            extensions[number] = ext
    return numbers, extensions


def _with_extension(text: str, region: str, field: str) -> tuple[str, str]:
    written = split_extension(text)
    return external_number(written.number, region, field), written.ext


async def get_client(uow: UnitOfWork, client_id: int, field: str | None = None) -> Client:
    client = await uow.clients.get(client_id)
    if client is None:
        raise missing(f"client {client_id} does not exist", field=field)
    return client


async def read_client(uow: UnitOfWork, client_id: int) -> ClientCard:
    client = await get_client(uow, client_id)
    phones = list(await uow.clients.phones(client_id))
    return ClientCard(client, phones, await uow.clients.extensions(client_id))


async def create_client(
    uow: UnitOfWork,
    *,
    name: str,
    manager_id: int | None,
    phones: list[str],
    status: str = ClientStatus.POTENTIAL,
    notes: str = "",
    actor: str,
    client_id: int | None = None,
    status_set_by_hand_at: datetime | None = None,
    extensions: dict[str, str] | None = None,
) -> ClientCard:
    """Create a card; ``phones`` are already E.164, ``extensions`` maps some of them to their
    extension. ``client_id`` is only for restoring."""
    if manager_id is not None:
        await get_manager(uow, manager_id, field="manager_id")
    await ensure_free(uow, phones, client_id=None, field="phones")
    client = Client(
        name=name,
        manager_id=manager_id,
        status=parse_status(status).value,
        status_set_by_hand_at=status_set_by_hand_at,
        notes=notes,
    )
    if client_id is not None:
        client.id = client_id
    uow.clients.add(client)
    await uow.flush()
    await uow.clients.set_phones(client.id, phones, extensions or {})
    card = ClientCard(client, list(phones), await uow.clients.extensions(client.id))
    uow.audit.record(
        actor=actor,
        action="create",
        entity="client",
        entity_id=client.id,
        before=None,
        after=card.view(),
    )
    return card


def by_hand(status: str, now: datetime) -> datetime | None:
    """When a new card's status counts as set by hand: any status but the default."""
    return None if status == ClientStatus.POTENTIAL else now


async def create_client_from(
    uow: UnitOfWork, body: ClientCreate, *, actor: str, region: str, now: datetime
) -> ClientCard:
    phones, extensions = normalise_phones(body.phones, region)
    return await create_client(
        uow,
        name=body.name,
        manager_id=body.manager_id,
        phones=phones,
        extensions=extensions,
        status=body.status,
        notes=body.notes,
        actor=actor,
        status_set_by_hand_at=by_hand(body.status, now),
    )


async def change_client(
    uow: UnitOfWork,
    client_id: int,
    values: dict[str, Any],
    *,
    actor: str,
    action: str = "update",
) -> ClientCard:
    """Apply ``values`` (card fields and optionally ``phones`` in E.164 with their
    ``extensions``) and audit the change."""
    current = await read_client(uow, client_id)
    client, before = current.client, current.view()
    if values.get("manager_id") is not None:
        await get_manager(uow, values["manager_id"], field="manager_id")
    phones = values.pop("phones", None)
    extensions = values.pop("extensions", None)
    if phones is not None:
        await ensure_free(uow, phones, client_id=client_id, field="phones")
        await uow.clients.set_phones(client_id, phones, extensions)
    for key, value in values.items():
        setattr(client, key, value)
    await uow.flush()
    card = await read_client(uow, client_id)
    after = card.view()
    if after != before:
        uow.audit.record(
            actor=actor,
            action=action,
            entity="client",
            entity_id=client_id,
            before=before,
            after=after,
        )
    return card


async def update_client(
    uow: UnitOfWork,
    client_id: int,
    body: ClientUpdate,
    *,
    actor: str,
    region: str,
    now: datetime,
) -> ClientCard:
    """Change a card. A status other than the current one is set by hand at ``now``: the daily
    recompute leaves it until a newer sale arrives."""
    values = body.model_dump(exclude_unset=True)
    for key in ("name", "status", "notes"):
        if key in values and values[key] is None:
            raise InvalidInput(f"{key} cannot be null", field=key)
    if values.get("phones") is not None:
        values["phones"], given = normalise_phones(values["phones"], region)
        values["extensions"] = {**await uow.clients.extensions(client_id), **given}
    if "status" in values:
        values["status"] = parse_status(values["status"]).value
        if values["status"] != (await get_client(uow, client_id)).status:
            values["status_set_by_hand_at"] = now
    return await _change_with_cases(uow, client_id, values, actor=actor, now=now)


async def _change_with_cases(
    uow: UnitOfWork,
    client_id: int,
    values: dict[str, Any],
    *,
    actor: str,
    now: datetime,
    action: str = "update",
) -> ClientCard:
    """:func:`change_client`, and when the card's personal manager changes, the client's open
    cases the old one answered for handed to the new one (hub/services/directory/handover.py)."""
    owner = (await get_client(uow, client_id)).manager_id
    card = await change_client(uow, client_id, values, actor=actor, action=action)
    manager_id = card.client.manager_id
    if owner is not None and manager_id is not None and manager_id != owner:
        handed = await hand_over_cases(
            uow, owner, manager_id, actor=actor, now=now, clients={client_id}
        )
        await uow.flush()
        return replace(card, handed=handed)
    return card


async def add_phone(
    uow: UnitOfWork, client_id: int, raw: str, *, actor: str, region: str
) -> ClientCard:
    number, ext = _with_extension(raw, region, "number")
    card = await read_client(uow, client_id)
    if number in card.phones and (not ext or card.extensions.get(number) == ext):
        return card
    phones = card.phones if number in card.phones else [*card.phones, number]
    extensions = {**card.extensions, number: ext} if ext else card.extensions
    return await change_client(
        uow, client_id, {"phones": phones, "extensions": extensions}, actor=actor
    )


async def remove_phone(
    uow: UnitOfWork, client_id: int, raw: str, *, actor: str, region: str
) -> ClientCard:
    number, _ = _with_extension(raw, region, "number")
    current = await uow.clients.phones((await get_client(uow, client_id)).id)
    if number not in current:
        raise NotFound(f"client {client_id} has no phone {number}", field="number")
    remaining = [n for n in current if n != number]
    return await change_client(uow, client_id, {"phones": remaining}, actor=actor)


async def delete_client(uow: UnitOfWork, client_id: int, *, actor: str) -> None:
    card = await read_client(uow, client_id)
    before = card.view()
    await uow.clients.delete(card.client)
    await removed(uow, before, actor=actor, entity="client", entity_id=client_id)


async def versions(uow: UnitOfWork, client_id: int) -> list[tuple[int, AuditEntry]]:
    """Every recorded version of a card, oldest first, each with its number: 1 for the first,
    then 2, 3... in the order they were recorded. The audit log is never rewritten, so a
    version keeps its number for good (a deleted card keeps its versions, and can be brought
    back from one)."""
    entries = await uow.audit.history(entity="client", entity_id=str(client_id))
    if not entries:
        raise NotFound(f"client {client_id} does not exist")
    return list(enumerate(entries, start=1))


async def restore_client(
    uow: UnitOfWork, client_id: int, version: int, *, actor: str, now: datetime
) -> ClientCard:
    """Bring a card back to how it was right after its change number ``version``; a personal
    manager it brings back takes the client's open cases, as with an edit."""
    numbered = dict(await versions(uow, client_id))
    entry = numbered.get(version)
    if entry is None:
        raise InvalidInput(
            f"client {client_id} has versions 1 to {len(numbered)}, not {version}",
            field="version",
        )
    card = entry.after
    if card is None:
        raise InvalidInput(f"version {version} is the deletion of the card", field="version")
    manager_id = card.get("manager_id")
    if manager_id is not None and await uow.managers.get(manager_id) is None:
        manager_id = None
    current = await uow.clients.get(client_id)
    status = card["status"]
    if status not in set(ClientStatus):  # a version from before statuses were a closed set
        status = current.status if current is not None else ClientStatus.POTENTIAL
    values = {
        "name": card["name"],
        "manager_id": manager_id,
        "status": status,
        "notes": card["notes"],
        "phones": list(card["phones"]),
        "extensions": card.get("extensions"),  # a version from before extensions has none
    }
    if current is None:
        return await create_client(uow, **values, actor=actor, client_id=client_id)
    return await _change_with_cases(uow, client_id, values, actor=actor, now=now, action="restore")
