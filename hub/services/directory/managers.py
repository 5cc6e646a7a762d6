"""Managers, supervisors, directors and admins: create, change, remove; absences.

A person's staff channels are his Telegram chat, his MAX user id and his e-mail address, tried
in his own order (none: the company's). A channel the sender found unreachable is skipped until
its address changes: a new address is worth trying again."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub.domain.errors import Conflict, InvalidInput, NotFound, missing
from hub.domain.hours import HoursError, parse_hours
from hub.services.directory.changes import added, removed
from hub.services.directory.commands import AbsenceCreate, ManagerCreate, ManagerUpdate
from hub.services.directory.numbers import external_number
from hub.services.serialisers import absence_view, manager_view
from storage.models import Absence, Manager
from storage.uow import UnitOfWork


async def get_manager(uow: UnitOfWork, manager_id: int, field: str | None = None) -> Manager:
    manager = await uow.managers.get(manager_id)
    if manager is None:
        raise missing(f"manager {manager_id} does not exist", field=field)
    return manager


async def _check(uow: UnitOfWork, values: dict[str, Any], manager_id: int | None) -> None:
    extension = values.get("extension")
    if extension:
        holder = await uow.managers.by_extension(extension)
        if holder is not None and holder.id != manager_id:
            raise Conflict(
                f"extension {extension} is already taken by manager {holder.id}",
                field="extension",
            )
    chat = values.get("telegram_chat_id")
    if chat is not None:
        holder = await uow.managers.by_chat(chat)
        if holder is not None and holder.id != manager_id:
            raise Conflict(
                f"telegram chat {chat} is already bound to manager {holder.id}",
                field="telegram_chat_id",
            )
    user = values.get("max_user_id")
    if user is not None:
        holder = await uow.managers.by_max_user(user)
        if holder is not None and holder.id != manager_id:
            raise Conflict(
                f"MAX user {user} is already bound to manager {holder.id}", field="max_user_id"
            )
    supervisor_id = values.get("supervisor_id")
    if supervisor_id is not None:
        if supervisor_id == manager_id:
            raise InvalidInput("a manager cannot supervise himself", field="supervisor_id")
        await get_manager(uow, supervisor_id, field="supervisor_id")
        seen = {manager_id}
        cursor: int | None = supervisor_id
        while cursor is not None:
            if cursor in seen:
                raise InvalidInput("this supervisor chain would be a loop", field="supervisor_id")
            seen.add(cursor)
            parent = await uow.managers.get(cursor)
            cursor = parent.supervisor_id if parent else None
    zone = values.get("timezone")
    if zone:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidInput(f"{zone!r} is not an IANA time zone", field="timezone") from exc
    hours = values.get("working_hours")
    if hours:
        try:
            parse_hours(hours, zone or "UTC")
        except HoursError as exc:
            raise InvalidInput(str(exc), field="working_hours") from exc


async def create_manager(
    uow: UnitOfWork, body: ManagerCreate, *, actor: str, region: str
) -> Manager:
    values = body.model_dump()
    values["channels"] = values["channels"] or None  # none chosen: the company's order
    if values["mobile"]:
        values["mobile"] = external_number(values["mobile"], region, "mobile")
    await _check(uow, values, None)
    manager = Manager(**values)
    uow.managers.add(manager)
    await added(uow, lambda: manager_view(manager), actor=actor, entity="manager")
    return manager


async def update_manager(
    uow: UnitOfWork, manager_id: int, body: ManagerUpdate, *, actor: str, region: str
) -> Manager:
    manager = await get_manager(uow, manager_id)
    before = manager_view(manager)
    values = body.model_dump(exclude_unset=True)
    if values.get("mobile"):
        values["mobile"] = external_number(values["mobile"], region, "mobile")
    if "channels" in values:
        values["channels"] = values["channels"] or None
    merged = {**before, **values}
    await _check(uow, merged, manager_id)
    _readdressed(manager, values)
    for key, value in values.items():
        setattr(manager, key, value)
    await uow.flush()
    after = manager_view(manager)
    if after != before:
        uow.audit.record(
            actor=actor,
            action="update",
            entity="manager",
            entity_id=manager.id,
            before=before,
            after=after,
        )
    return manager


# Where a person is on each staff channel besides Telegram (whose mark is ``chat_unreachable``).
_ADDRESSES = {"max": "max_user_id", "email": "email"}


def _readdressed(manager: Manager, values: dict[str, Any]) -> None:
    """Forget that a channel was unreachable when ``values`` give it a new address (or none):
    a new chat, user id or mailbox is worth trying again."""
    if values.get("telegram_chat_id", manager.telegram_chat_id) != manager.telegram_chat_id:
        manager.chat_unreachable = False
    new = {
        channel
        for channel, key in _ADDRESSES.items()
        if key in values and values[key] != getattr(manager, key)
    }
    if new & set(manager.unreachable or []):
        manager.unreachable = [c for c in manager.unreachable or [] if c not in new]


async def delete_manager(uow: UnitOfWork, manager_id: int, *, actor: str) -> None:
    manager = await get_manager(uow, manager_id)
    clients = await uow.managers.client_count(manager_id)
    if clients:
        raise Conflict(
            f"manager {manager_id} ({manager.name}) is the personal manager of {clients} "
            f"clients: hand them to another first (POST /api/v1/managers/{manager_id}/reassign, "
            f"or dozvon managers reassign {manager_id} TO)"
        )
    if await uow.managers.subordinates(manager_id):
        raise Conflict(f"manager {manager_id} supervises other managers; reassign them first")
    before = manager_view(manager)
    await uow.managers.delete(manager)
    await removed(uow, before, actor=actor, entity="manager", entity_id=manager_id)


async def add_absence(
    uow: UnitOfWork, manager_id: int, body: AbsenceCreate, *, actor: str
) -> Absence:
    await get_manager(uow, manager_id)
    if body.ends_at <= body.starts_at:
        raise InvalidInput("an absence must end after it starts", field="ends_at")
    if body.substitute_id is not None:
        if body.substitute_id == manager_id:
            raise InvalidInput("a manager cannot substitute himself", field="substitute_id")
        await get_manager(uow, body.substitute_id, field="substitute_id")
    absence = Absence(manager_id=manager_id, **body.model_dump())
    uow.managers.add_absence(absence)
    await added(uow, lambda: absence_view(absence), actor=actor, entity="absence")
    return absence


async def delete_absence(uow: UnitOfWork, absence_id: int, *, actor: str) -> None:
    absence = await uow.managers.absence(absence_id)
    if absence is None:
        raise NotFound(f"absence {absence_id} does not exist")
    before = absence_view(absence)
    await uow.managers.delete_absence(absence)
    await removed(uow, before, actor=actor, entity="absence", entity_id=absence_id)
