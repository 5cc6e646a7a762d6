"""A person's console account: logging in with his login or extension, and setting a password.

Logging in answers only "this person" or "no": an unknown name, a wrong password, an inactive
person and a person without a password yet all look the same, and take as long (the password is
always verified, against a dummy hash when there is no real one).
"""

from __future__ import annotations

from typing import Any

from hub.domain.digits import plain_digits
from hub.domain.errors import Conflict, InvalidInput
from hub.domain.logins import login_problem, normal_login, password_problem
from hub.services.logins.passwords import Passwords
from storage.models import Manager
from storage.uow import UnitOfWork


async def authenticate(
    uow: UnitOfWork, passwords: Passwords, username: str, password: str
) -> Manager | None:
    """The active person ``username`` (his login, or his extension) if ``password`` is his."""
    name = normal_login(username)
    found: Manager | None = None
    if name and len(name) <= 200:
        if plain_digits(name):
            found = await uow.managers.by_extension(name)
        else:
            found = await uow.logins.by_login(name)
    stored = found.password_hash if found is not None else None
    matched = await passwords.verify(stored, password)
    if found is None or not matched or not found.active:
        return None
    return found


def _audit_view(manager: Manager) -> dict[str, Any]:
    """What the audit log keeps of an account: the login and whether there is a password."""
    return {"login": manager.login, "password": manager.password_hash is not None}


async def give_login(uow: UnitOfWork, manager: Manager, login: str | None) -> None:
    """Give ``manager`` the login ``login`` when there is one (unique; checked, not audited
    here), and make sure he has something to log in with: a login or an extension."""
    if login is not None:
        problem = login_problem(login)
        if problem is not None:
            raise InvalidInput(f"login: {problem}", field="login")
        name = normal_login(login)
        holder = await uow.logins.by_login(name)
        if holder is not None and holder.id != manager.id:
            raise Conflict(f"the login {name!r} is taken by manager {holder.id}", field="login")
        manager.login = name
    if manager.login is None and manager.extension is None:
        raise InvalidInput(
            f"manager {manager.id} has neither a login nor an extension to log in with: "
            "give him a login",
            field="login",
        )


async def set_password(
    uow: UnitOfWork,
    passwords: Passwords,
    manager: Manager,
    password: str,
    *,
    actor: str,
    login: str | None = None,
    field: str = "password",
) -> None:
    """Set ``manager``'s password (and login, when given), end his sessions everywhere, audit.

    He must be able to log in afterwards: with a login or an extension."""
    problem = password_problem(password)
    if problem is not None:
        raise InvalidInput(f"{field}: {problem}", field=field)
    before = _audit_view(manager)
    await give_login(uow, manager, login)
    manager.password_hash = await passwords.hash(password)
    await uow.logins.end_sessions_of(manager.id)
    await uow.flush()
    uow.audit.record(
        actor=actor,
        action="set_password",
        entity="manager",
        entity_id=manager.id,
        before=before,
        after=_audit_view(manager),
    )
