"""``dozvon managers import``: the staff list from a CSV or XLSX table, idempotently.

A row is a person: name, role (``manager``… or «менеджер», «руководитель», «директор»),
extension, mobile, supervisor (by name or extension, among the staff or the file's own rows), and
where he is told besides Telegram: his e-mail address and his MAX user id.
A row is matched to a manager by extension, else by exact name; a second import of the same
file changes nothing. Each change goes through the directory's own service (the same checks and
audit as the API). Every row is decided before anything is written: a row naming a supervisor
nobody has, or an ambiguous name, is rejected whole with its line and reason. Supervisors are
set after every row is written, so a supervisor may stand below his people in the file.
An empty cell changes nothing (a known person keeps his address).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from hub.domain.errors import DozvonError
from hub.domain.people import Role, parse_role
from hub.domain.phone import normalize
from hub.services.csv_source import cell
from hub.services.directory.commands import ManagerCreate, ManagerUpdate, mailbox
from hub.services.directory.managers import create_manager, update_manager
from hub.services.spreadsheets import CsvFormatError, Table, read_table
from storage.db import SessionFactory
from storage.models import Manager
from storage.uow import UnitOfWork

STAFF_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "фио", "ф.и.о.", "имя", "сотрудник", "менеджер", "employee", "full name"),
    "role": ("role", "роль", "должность", "position", "title"),
    "extension": (
        "extension",
        "ext",
        "внутренний",
        "внутренний номер",
        "добавочный",
        "добавочный номер",
        "sip",
    ),
    "mobile": ("mobile", "мобильный", "мобильный телефон", "сотовый", "телефон", "phone"),
    "supervisor": ("supervisor", "руководитель", "контролер", "начальник", "manager of"),
    "email": ("email", "e-mail", "mail", "почта", "электронная почта", "эл. почта"),
    "max_user_id": ("max", "max id", "id max", "max user id", "max_user_id", "id в max"),
}
ROLES_SAID = (
    "manager, supervisor, director, admin (менеджер, руководитель, директор, администратор)"
)


@dataclass(frozen=True, slots=True)
class StaffRow:
    line: int
    name: str
    role: str
    extension: str
    mobile: str
    supervisor: str
    email: str = ""
    max_user_id: str = ""


@dataclass(slots=True)
class StaffReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def read_staff(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None
) -> tuple[list[StaffRow], Table]:
    """All data rows of a staff list, and the table they were read from (for the report)."""
    table = read_table(path, STAFF_ALIASES, encoding=encoding, delimiter=delimiter)
    if "name" not in table.columns:
        raise CsvFormatError(
            f"{path}: no column for name in the header {table.header!r}; "
            "expected name,role,extension,mobile,supervisor (or ФИО,Должность,Внутренний...)"
        )
    column = {key: table.columns.get(key, [])[:1] for key in STAFF_ALIASES}
    rows = [
        StaffRow(
            line=line,
            name=cell(row, column["name"]),
            role=cell(row, column["role"]),
            extension=cell(row, column["extension"]),
            mobile=cell(row, column["mobile"]),
            supervisor=cell(row, column["supervisor"]),
            email=cell(row, column["email"]),
            max_user_id=cell(row, column["max_user_id"]),
        )
        for line, row in table.rows
    ]
    return rows, table


@dataclass(slots=True)
class _Staff:
    """Who is who, by extension and by exact name: the stored managers and the file's rows."""

    by_ext: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, list[int]] = field(default_factory=dict)

    def add(self, key: int, name: str, extension: str | None) -> None:
        if extension:
            self.by_ext[extension] = key
        if key not in self.by_name.setdefault(name, []):
            self.by_name[name].append(key)

    def find(self, text: str) -> int | str | None:
        """The key of the one person ``text`` names (extension, then name), None for nobody,
        or why it names several."""
        if text in self.by_ext:
            return self.by_ext[text]
        found = self.by_name.get(text, [])
        if len(found) > 1:
            return f"{len(found)} people are named {text!r}"
        return found[0] if found else None


def _role(row: StaffRow) -> Role | str | None:
    if not row.role:
        return None
    return parse_role(row.role) or f"role {row.role!r} is not one of {ROLES_SAID}"


def _match(row: StaffRow, stored: _Staff) -> int | str | None:
    """The stored manager the row is (by extension, else name), None for a new one, or why
    the row names several."""
    if row.extension in stored.by_ext:
        return stored.by_ext[row.extension]
    found = stored.find(row.name) if row.name else None
    if isinstance(found, str):
        return f"manager {row.name!r} is ambiguous: {found}; give the extension"
    return found


def _problem(row: StaffRow, match: int | str | None, everyone: _Staff) -> str | None:
    if not row.name:
        return "name is empty"
    if isinstance(match, str):
        return match
    role = _role(row)
    if role is not None and not isinstance(role, Role):
        return role  # why the role is not one
    if row.supervisor:
        boss = everyone.find(row.supervisor)
        if boss is None:
            return f"supervisor {row.supervisor!r} not found (by extension or name)"
        if isinstance(boss, str):
            return f"supervisor {row.supervisor!r} is ambiguous: {boss}"
    return None


async def import_staff(
    factory: SessionFactory,
    rows: Sequence[StaffRow],
    *,
    region: str,
    actor: str = "import",
    dry_run: bool = False,
) -> StaffReport:
    """Create and update managers from ``rows`` in one transaction (a staff list is short)."""
    report = StaffReport()
    async with UnitOfWork(factory) as uow:
        managers = {m.id: m for m in await uow.managers.list()}
        stored, everyone = _Staff(), _Staff()
        for manager in managers.values():
            stored.add(manager.id, manager.name, manager.extension)
            everyone.add(manager.id, manager.name, manager.extension)
        matches = {row.line: _match(row, stored) for row in rows}
        for row in rows:  # the file's new people may supervise too (their keys below zero)
            match = matches[row.line]
            if row.name and not isinstance(match, str):
                everyone.add(_key(row, match), row.name, row.extension)
        outcome: dict[int, str] = {}
        written: dict[int, Manager] = {}  # key in ``everyone`` → the manager it is now
        for row in rows:
            match = matches[row.line]
            problem = _problem(row, match, everyone)
            if problem is not None or isinstance(match, str):
                report.rejected.append((row.line, problem or str(match)))
                continue
            try:
                manager, outcome[row.line] = await _write(
                    uow, row, managers.get(match or 0), actor, region
                )
            except (DozvonError, ValidationError) as exc:
                report.rejected.append((row.line, _reason(exc)))
                continue
            written[_key(row, match)] = manager
        for row in rows:
            person = written.get(_key(row, matches[row.line]))
            if person is not None and row.supervisor:
                boss = everyone.find(row.supervisor)
                found = written.get(boss) or managers.get(boss) if isinstance(boss, int) else None
                if await _supervise(uow, row, person, found, actor, region, report):
                    outcome[row.line] = outcome[row.line].replace("unchanged", "updated")
        report.created = sum(1 for done in outcome.values() if done == "created")
        report.updated = sum(1 for done in outcome.values() if done == "updated")
        report.unchanged = sum(1 for done in outcome.values() if done == "unchanged")
        if not dry_run:
            await uow.commit()
    return report


def _key(row: StaffRow, match: int | str | None) -> int:
    """Who the row is among everyone: the stored manager's id, or minus its line if new."""
    return match if isinstance(match, int) else -row.line


async def _write(
    uow: UnitOfWork, row: StaffRow, manager: Manager | None, actor: str, region: str
) -> tuple[Manager, str]:
    """The row written: (the manager, "created", "updated" or "unchanged")."""
    role = _role(row)
    given = {
        "name": row.name,
        "role": role.value if isinstance(role, Role) else None,
        "extension": row.extension or None,
        "mobile": row.mobile or None,
        "email": _mailbox(row.email),
        "max_user_id": _user_id(row.max_user_id),
    }
    if manager is None:
        body = ManagerCreate.model_validate({k: v for k, v in given.items() if v is not None})
        return await create_manager(uow, body, actor=actor, region=region), "created"
    if given["mobile"] is not None and normalize(given["mobile"], region).value == manager.mobile:
        given["mobile"] = None
    changes = {k: v for k, v in given.items() if v is not None and v != getattr(manager, k)}
    if not changes:
        return manager, "unchanged"
    changed = ManagerUpdate.model_validate(changes)
    return await update_manager(uow, manager.id, changed, actor=actor, region=region), "updated"


def _user_id(text: str) -> int | str | None:
    """A MAX user id as a number; anything else as written, for the refusal to name."""
    if text.isascii() and text.isdigit():
        return int(text)
    return text or None


def _mailbox(text: str) -> str | None:
    """The address as the directory keeps it (so that an unchanged one reads unchanged); one it
    would refuse as written, for the refusal to name."""
    try:
        return mailbox(text) if text else None
    except ValueError:
        return text


async def _supervise(
    uow: UnitOfWork,
    row: StaffRow,
    manager: Manager,
    boss: Manager | None,
    actor: str,
    region: str,
    report: StaffReport,
) -> bool:
    """Make ``boss`` the row's supervisor; True if that changed anything."""
    if boss is None:
        reason = f"supervisor {row.supervisor!r} was rejected; the rest of the row was applied"
        report.rejected.append((row.line, reason))
        return False
    if manager.supervisor_id == boss.id:
        return False
    try:
        await update_manager(
            uow, manager.id, ManagerUpdate(supervisor_id=boss.id), actor=actor, region=region
        )
    except DozvonError as exc:
        reason = f"supervisor not set: {exc.message}; the rest of the row was applied"
        report.rejected.append((row.line, reason))
        return False
    return True


def _reason(error: DozvonError | ValidationError) -> str:
    if isinstance(error, DozvonError):
        return error.message
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg'].removeprefix('Value error, ')}"
