"""Recording a directory change: flush it, then write the audit row from its view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storage.uow import UnitOfWork


async def added(
    uow: UnitOfWork,
    view: Callable[[], dict[str, Any]],
    *,
    actor: str,
    entity: str,
    entity_id: str | int | None = None,
) -> dict[str, Any]:
    """Audit a row just added (``view``, the record as the audit log keeps it, is read after the
    flush, when the id exists); returns that view."""
    await uow.flush()
    after = view()
    uow.audit.record(
        actor=actor,
        action="create",
        entity=entity,
        entity_id=after["id"] if entity_id is None else entity_id,
        before=None,
        after=after,
    )
    return after


async def removed(
    uow: UnitOfWork, before: dict[str, Any], *, actor: str, entity: str, entity_id: str | int
) -> None:
    """Audit a row just deleted, with how it looked."""
    await uow.flush()
    uow.audit.record(
        actor=actor, action="delete", entity=entity, entity_id=entity_id, before=before, after=None
    )
