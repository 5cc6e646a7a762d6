"""One-time staff invites: a link for one person that binds the chat which opens it — his
Telegram chat, or his MAX user when he opens it on MAX (``channel="max"``).

The code is shown once and stored only as a hash; it works once, until it expires, on whichever
channel it is opened. Opening it binds the chat to the manager record (a chat held by another
record moves, both audited), and clears an earlier "unreachable" mark of that channel: the
person is reachable there again.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, Literal

from hub.domain.digits import plain_digits
from hub.domain.errors import InvalidInput, NotFound
from hub.domain.people import Redeemed, Redemption
from hub.domain.secrets import secret_digest
from hub.services.directory.changes import added
from hub.services.directory.managers import get_manager
from hub.services.serialisers import iso, manager_view
from storage.db import SessionFactory
from storage.models import Invite, Manager
from storage.uow import UnitOfWork

# Where an invite is opened: the staff bot on Telegram (a chat id) or on MAX (a user id).
StaffChannel = Literal["telegram", "max"]


async def find_manager(uow: UnitOfWork, ref: str) -> Manager:
    """A manager by extension, id or exact name (as an admin types it on the command line)."""
    ref = ref.strip()
    found = await uow.managers.by_extension(ref) if ref else None
    if found is None and plain_digits(ref):
        found = await uow.managers.get(int(ref))
    if found is None:
        named = [m for m in await uow.managers.list() if m.name.casefold() == ref.casefold()]
        if len(named) > 1:
            ids = ", ".join(str(m.id) for m in named)
            raise InvalidInput(f"{len(named)} managers are called {ref!r} (ids {ids}); give an id")
        found = named[0] if named else None
    if found is None:
        raise NotFound(f"no manager with extension, id or name {ref!r}")
    return found


async def issue_invite(
    uow: UnitOfWork, manager_id: int, *, actor: str, ttl: timedelta, now: datetime
) -> tuple[str, Invite]:
    """A fresh invite for the manager; returns the code in clear (it is not stored)."""
    manager = await get_manager(uow, manager_id)
    if not manager.active:
        raise InvalidInput(f"manager {manager_id} is inactive; activate him first", field="id")
    code = secrets.token_urlsafe(24)  # 32 characters of [A-Za-z0-9_-]: valid in a deep link
    invite = Invite(
        manager_id=manager.id,
        code_hash=secret_digest(code),
        created_by=actor,
        created_at=now,
        expires_at=now + ttl,
    )
    uow.invites.add(invite)
    await added(uow, lambda: _audit_view(invite), actor=actor, entity="invite")
    return code, invite


def _audit_view(invite: Invite) -> dict[str, Any]:
    """What the audit log keeps of an invite: everything but the code."""
    return {
        "id": invite.id,
        "manager_id": invite.manager_id,
        "expires_at": iso(invite.expires_at),
    }


async def redeem_invite(
    uow: UnitOfWork,
    code: str,
    chat_id: int,
    *,
    now: datetime,
    channel: StaffChannel = "telegram",
) -> Redemption:
    """Bind ``chat_id`` — a Telegram chat, or a MAX user id for ``channel="max"`` — to the
    invite's manager, once."""
    invite = await uow.invites.by_hash(secret_digest(code))
    if invite is None:
        return Redemption(Redeemed.UNKNOWN)
    manager = await uow.managers.get(invite.manager_id)
    if manager is None or not manager.active:
        return Redemption(Redeemed.INACTIVE)
    if invite.used_at is not None:
        # The same person opening his link twice is still welcome; anybody else is not.
        same = invite.used_by_chat == chat_id and _address(manager, channel) == chat_id
        if same:
            return Redemption(Redeemed.BOUND, manager.id, manager.name)
        return Redemption(Redeemed.USED)
    if invite.expires_at <= now:
        return Redemption(Redeemed.EXPIRED)
    actor = f"{channel}:{chat_id}"
    if channel == "max":
        holder = await uow.managers.by_max_user(chat_id)
    else:
        holder = await uow.managers.by_chat(chat_id)
    if holder is not None and holder.id != manager.id:
        await _set_chat(uow, holder, None, actor=actor, channel=channel)
    await _set_chat(uow, manager, chat_id, actor=actor, channel=channel)
    invite.used_at = now
    invite.used_by_chat = chat_id
    await uow.flush()
    return Redemption(Redeemed.BOUND, manager.id, manager.name)


def _address(manager: Manager, channel: StaffChannel) -> int | None:
    return manager.max_user_id if channel == "max" else manager.telegram_chat_id


async def _set_chat(
    uow: UnitOfWork,
    manager: Manager,
    chat_id: int | None,
    *,
    actor: str,
    channel: StaffChannel,
) -> None:
    before = manager_view(manager)
    if channel == "max":
        manager.max_user_id = chat_id
        manager.unreachable = [c for c in manager.unreachable or [] if c != "max"]
    else:
        manager.telegram_chat_id = chat_id
        manager.chat_unreachable = False
    await uow.flush()
    uow.audit.record(
        actor=actor,
        action=f"bind_{channel}" if chat_id is not None else f"unbind_{channel}",
        entity="manager",
        entity_id=manager.id,
        before=before,
        after=manager_view(manager),
    )


async def redeem(
    factory: SessionFactory,
    code: str,
    chat_id: int,
    *,
    now: datetime,
    channel: StaffChannel = "telegram",
) -> Redemption:
    """The use case "a person opened his invite": redeem it and commit."""
    async with UnitOfWork(factory) as uow:
        found = await redeem_invite(uow, code, chat_id, now=now, channel=channel)
        await uow.commit()
    return found
