"""One-time links that let a person set his console password, as Telegram invites do for his
chat (``hub/services/directory/invites.py``): the code is shown once and stored only as a
hash; it works once, until it expires; a person made inactive cannot use his."""

from __future__ import annotations

import secrets
from datetime import datetime

from hub.domain.errors import InvalidInput
from hub.domain.logins import PASSWORD_LINK_TTL
from hub.domain.secrets import secret_digest
from hub.services.directory.managers import get_manager
from hub.services.logins.accounts import give_login, set_password
from hub.services.logins.passwords import Passwords
from hub.services.serialisers import iso
from storage.models import Manager, PasswordLink
from storage.uow import UnitOfWork


async def issue_link(
    uow: UnitOfWork, manager_id: int, *, actor: str, now: datetime, login: str | None = None
) -> tuple[str, PasswordLink]:
    """A fresh set-password link for the manager; returns the code in clear (it is not
    stored). ``login``: the login he will have (else he logs in with his extension)."""
    manager = await get_manager(uow, manager_id)
    if not manager.active:
        raise InvalidInput(f"manager {manager_id} is inactive; activate him first", field="id")
    before = manager.login
    await give_login(uow, manager, login)
    code = secrets.token_urlsafe(24)
    link = PasswordLink(
        manager_id=manager.id,
        code_hash=secret_digest(code),
        created_by=actor,
        created_at=now,
        expires_at=now + PASSWORD_LINK_TTL,
    )
    uow.logins.add_link(link)
    await uow.flush()
    uow.audit.record(
        actor=actor,
        action="password_link",
        entity="manager",
        entity_id=manager.id,
        before={"login": before},
        after={"login": manager.login, "link_expires_at": iso(link.expires_at)},
    )
    return code, link


async def link_holder(uow: UnitOfWork, code: str, *, now: datetime) -> Manager | None:
    """The person a link is for while it still works (unused, not expired, he is active)."""
    if not code or len(code) > 100:
        return None
    link = await uow.logins.link_by_hash(secret_digest(code))
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    manager = await uow.managers.get(link.manager_id)
    if manager is None or not manager.active:
        return None
    return manager


async def use_link(
    uow: UnitOfWork, passwords: Passwords, code: str, password: str, *, now: datetime
) -> Manager | None:
    """Set the password of the link's person and spend the link; None when it does not work.
    A refused password (too short) raises and spends nothing."""
    manager = await link_holder(uow, code, now=now)
    if manager is None:
        return None
    # Spent first, by one statement: of two submissions at once, only one sets the password.
    if not await uow.logins.spend_link(secret_digest(code), now):
        return None
    await set_password(uow, passwords, manager, password, actor=f"manager:{manager.id}")
    return manager
