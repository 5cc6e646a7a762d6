"""Where a person is told, on the team page: his staff channels in the order they are tried (a
channel without his address there is left out; one found unreachable says so), and the admin's
form that sets his e-mail address, his MAX user id and that order.

The form is read into the API's own request model (``PATCH /api/v1/managers/{id}``) and saved by
the directory's service, so it checks and audits what the API does; an empty field clears, and
choosing no channel at all leaves him to the company's order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from hub.console.access import field
from hub.console.client_forms import Refused
from hub.domain.digits import plain_digits
from hub.domain.errors import Conflict
from hub.services.directory.commands import ManagerUpdate
from hub.services.directory.managers import update_manager
from notifications.rows import ORDER, order
from storage.models import Manager
from storage.uow import UnitOfWork

# How many places the form's order has: one for each channel.
PLACES = len(ORDER)


def _addresses(manager: Manager) -> dict[str, str | None]:
    """Where he is on each channel as the page says it (Telegram's chat id means nothing to a
    reader: only that there is one); None where he is not."""
    return {
        "telegram": "" if manager.telegram_chat_id is not None else None,
        "max": str(manager.max_user_id) if manager.max_user_id is not None else None,
        "email": manager.email,
    }


def shown(manager: Manager) -> list[dict[str, Any]]:
    """The channels that have his address, in the order tried: name, address, unreachable."""
    addresses = _addresses(manager)
    marked = set(manager.unreachable or [])
    if manager.chat_unreachable:
        marked.add("telegram")
    return [
        {"name": channel, "address": addresses[channel], "unreachable": channel in marked}
        for channel in order(manager)
        if addresses.get(channel) is not None
    ]


def unused(manager: Manager) -> list[str]:
    """The channels that have his address but that his own order leaves out."""
    tried = order(manager)
    return [c for c, found in _addresses(manager).items() if found is not None and c not in tried]


def form_values(manager: Manager) -> dict[str, Any]:
    """What the form shows: his address, his MAX id, his own order ("" in the places left)."""
    chosen = [c for c in manager.channels or [] if c in ORDER]
    return {
        "email": manager.email or "",
        "max_user_id": "" if manager.max_user_id is None else str(manager.max_user_id),
        "order": chosen + [""] * (PLACES - len(chosen)),
    }


def read(posted: Mapping[str, object]) -> ManagerUpdate:
    """The form as the API's change of a person, or the refusal naming the field."""
    user = field(posted, "max_user_id").strip()
    if user and not (plain_digits(user) and len(user) <= 19):
        raise Refused("team_error_max")
    chosen = [field(posted, f"order_{place}").strip() for place in range(1, PLACES + 1)]
    values = {
        "email": field(posted, "email").strip() or None,
        "max_user_id": int(user) if user else None,
        "channels": [c for c in chosen if c],
    }
    try:
        return ManagerUpdate.model_validate(values)
    except ValidationError as exc:
        where = str(exc.errors()[0]["loc"][0])
        raise Refused(
            {"email": "team_error_email", "max_user_id": "team_error_max"}.get(
                where, "team_error_channels"
            )
        ) from exc


async def save(
    uow: UnitOfWork, manager_id: int, body: ManagerUpdate, *, actor: str, region: str
) -> Manager:
    """Set the person's channels (audited as ``actor``'s change); a MAX id another has is
    refused with his name."""
    manager = await uow.managers.get(manager_id) if manager_id <= 2**31 - 1 else None
    if manager is None:
        raise Refused("team_error_missing")
    try:
        return await update_manager(uow, manager.id, body, actor=actor, region=region)
    except Conflict as exc:
        holder = await uow.managers.by_max_user(body.max_user_id or 0)
        if exc.field != "max_user_id" or holder is None:
            raise
        raise Refused("team_error_max_taken", id=body.max_user_id, name=holder.name) from exc


def saved(wanted: str, managers: Sequence[Manager]) -> str | None:
    """The name of the person whose channels were just saved (``?channels=<id>``)."""
    if not plain_digits(wanted) or len(wanted) > 9:
        return None
    return next((m.name for m in managers if m.id == int(wanted)), None)
