"""Number lists and their entries: blacklist, job seekers, suppliers, spam, personal, custom."""

from __future__ import annotations

from typing import Any

from hub.domain.errors import Conflict, InvalidInput, NotFound, missing
from hub.services.directory.changes import added, removed
from hub.services.directory.commands import ListCreate, ListUpdate
from hub.services.directory.managers import get_manager
from hub.services.directory.numbers import ensure_free, external_number
from hub.services.serialisers import entry_view, list_view
from storage.models import ListEntry, NumberList
from storage.uow import UnitOfWork


async def get_list(uow: UnitOfWork, slug: str, field: str | None = None) -> NumberList:
    number_list = await uow.lists.by_slug(slug)
    if number_list is None:
        raise missing(f"list {slug!r} does not exist", field=field)
    return number_list


async def _check_target(uow: UnitOfWork, values: dict[str, Any]) -> None:
    if values.get("target_manager_id") is not None:
        await get_manager(uow, values["target_manager_id"], field="target_manager_id")
    if (
        values.get("action") == "route"
        and not values.get("target_extension")
        and values.get("target_manager_id") is None
    ):
        raise InvalidInput(
            "a list that routes needs target_extension or target_manager_id", field="action"
        )


async def create_list(uow: UnitOfWork, body: ListCreate, *, actor: str) -> NumberList:
    if await uow.lists.by_slug(body.slug) is not None:
        raise Conflict(f"list {body.slug!r} already exists", field="slug")
    values = body.model_dump()
    await _check_target(uow, values)
    number_list = NumberList(**values, builtin=False)
    uow.lists.add(number_list)
    await added(uow, lambda: list_view(number_list), actor=actor, entity="list")
    return number_list


async def update_list(uow: UnitOfWork, slug: str, body: ListUpdate, *, actor: str) -> NumberList:
    number_list = await get_list(uow, slug)
    before = list_view(number_list)
    values = body.model_dump(exclude_unset=True)
    if values.get("opens_cases", False) is None:
        raise InvalidInput("opens_cases must be true or false", field="opens_cases")
    await _check_target(uow, {**before, **values})
    for key, value in values.items():
        setattr(number_list, key, value)
    await uow.flush()
    after = list_view(number_list)
    uow.audit.record(
        actor=actor,
        action="update",
        entity="list",
        entity_id=number_list.id,
        before=before,
        after=after,
    )
    return number_list


async def delete_list(uow: UnitOfWork, slug: str, *, actor: str) -> None:
    number_list = await get_list(uow, slug)
    if number_list.builtin:
        raise Conflict(f"list {slug!r} is built in and cannot be deleted")
    if await uow.lists.entry_count(number_list.id):
        raise Conflict(f"list {slug!r} still has entries; remove them first")
    before = list_view(number_list)
    await uow.lists.delete(number_list)
    await removed(uow, before, actor=actor, entity="list", entity_id=before["id"])


async def add_entry(
    uow: UnitOfWork, slug: str, raw: str, note: str, *, actor: str, region: str
) -> ListEntry:
    number_list = await get_list(uow, slug)
    number = external_number(raw, region, "number")
    await ensure_free(uow, [number], client_id=None, field="number")
    entry = ListEntry(list_id=number_list.id, number=number, note=note)
    uow.lists.add_entry(entry)
    await added(
        uow, lambda: entry_view(entry, slug), actor=actor, entity="list_entry", entity_id=number
    )
    return entry


async def remove_entry(uow: UnitOfWork, slug: str, raw: str, *, actor: str, region: str) -> None:
    number_list = await get_list(uow, slug)
    number = external_number(raw, region, "number")
    entry = await uow.lists.entry(number)
    if entry is None or entry.list_id != number_list.id:
        raise NotFound(f"{number} is not on the list {slug!r}", field="number")
    before = entry_view(entry, slug)
    await uow.lists.delete_entry(entry)
    await removed(uow, before, actor=actor, entity="list_entry", entity_id=number)
