"""Import of the staff list: Russian roles and headers, supervisors by name or extension (even
below their people), e-mail addresses and MAX ids, rejected rows, dry runs, and a second import
changing nothing."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from config.settings import DatabaseSettings
from hub.cli import managers_import
from hub.domain.people import Role, parse_role
from hub.services.staff_import import import_staff, read_staff
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.models import AuditEntry, Manager
from tests.support.settings import make_settings

STAFF = (
    "ФИО;Должность;Внутренний;Мобильный;Руководитель;E-mail\n"
    "Иван Петров;менеджер;101;8 916 123-45-67;Ольга Смирнова;ivan@example.ru\n"
    "Пётр Сидоров;Manager;102;;201;\n"
    "Ольга Смирнова;Руководитель;201;;Анна Директорова;\n"
    "Анна Директорова;директор;;;;\n"
)


@pytest.fixture
async def factory(db_url: str) -> AsyncIterator[SessionFactory]:
    engine = create_engine(DatabaseSettings(url=db_url))
    sessions = create_session_factory(engine)
    async with sessions() as session:
        session.add(Manager(name="Пётр Сидоров", role="manager", extension="102"))
        await session.commit()
    yield sessions
    await engine.dispose()


async def _staff(factory: SessionFactory) -> dict[str, tuple[str, str | None, str | None, str]]:
    async with factory() as session:
        people = (await session.scalars(select(Manager))).all()
    names = {m.id: m.name for m in people}
    return {
        m.name: (m.role, m.extension, m.mobile, names.get(m.supervisor_id or 0, "")) for m in people
    }


async def _addresses(factory: SessionFactory) -> dict[str, tuple[str | None, int | None]]:
    """Who has an e-mail address or a MAX id: name → (address, MAX id)."""
    async with factory() as session:
        people = (await session.scalars(select(Manager))).all()
    return {m.name: (m.email, m.max_user_id) for m in people if m.email or m.max_user_id}


async def _audits(factory: SessionFactory) -> int:
    async with factory() as session:
        return int(await session.scalar(select(func.count(AuditEntry.id))) or 0)


async def _audits_of(url: str) -> int:
    engine = create_engine(DatabaseSettings(url=url))
    try:
        return await _audits(create_session_factory(engine))
    finally:
        await engine.dispose()


def test_roles_in_russian() -> None:
    assert parse_role("Руководитель") is Role.SUPERVISOR
    assert parse_role(" генеральный  директор ") is Role.DIRECTOR
    assert parse_role("admin") is Role.ADMIN
    assert parse_role("стажёр") is None


async def test_staff_list_imports_once(tmp_path: Path, factory: SessionFactory) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(STAFF, encoding="utf-8")
    rows, _ = read_staff(path)
    report = await import_staff(factory, rows, region="RU")
    assert (report.created, report.updated, report.unchanged, report.rejected) == (3, 1, 0, [])
    assert await _staff(factory) == {
        "Иван Петров": ("manager", "101", "+79161234567", "Ольга Смирнова"),
        "Пётр Сидоров": ("manager", "102", None, "Ольга Смирнова"),
        "Ольга Смирнова": ("supervisor", "201", None, "Анна Директорова"),
        "Анна Директорова": ("director", None, None, ""),
    }
    assert await _addresses(factory) == {"Иван Петров": ("ivan@example.ru", None)}
    audits = await _audits(factory)
    again = await import_staff(factory, read_staff(path)[0], region="RU")
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 4, [])
    assert await _audits(factory) == audits


async def test_e_mail_and_max_columns_set_and_change_addresses(
    tmp_path: Path, factory: SessionFactory
) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(
        "name,extension,email,max id\n"
        "Пётр Сидоров,102,Petr@Example.RU,7001\n"
        "Новый,103,новый at example.ru,\n"
        "Другой,104,,not-a-number\n",
        encoding="utf-8",
    )
    report = await import_staff(factory, read_staff(path)[0], region="RU")
    assert (report.created, report.updated) == (0, 1)
    assert dict(report.rejected) == {
        3: "email: an e-mail address has no spaces, line breaks or control characters",
        4: "max_user_id: Input should be a valid integer",
    }
    assert await _addresses(factory) == {"Пётр Сидоров": ("Petr@example.ru", 7001)}
    # The same address written otherwise, an empty cell: nothing changes.
    path.write_text("name,extension,e-mail,max\nПётр Сидоров,102,Petr@EXAMPLE.ru,\n", "utf-8")
    again = await import_staff(factory, read_staff(path)[0], region="RU")
    assert (again.updated, again.unchanged) == (0, 1)
    assert await _addresses(factory) == {"Пётр Сидоров": ("Petr@example.ru", 7001)}


async def test_xlsx_staff_list_and_rejected_rows(tmp_path: Path, factory: SessionFactory) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (
        ["name", "role", "extension", "mobile", "supervisor"],
        ["Новый", "стажёр", 103, None, None],
        ["Другой", "manager", 104, None, "Никто"],
        ["Пётр Сидоров", None, 105, "мусор", None],
        ["", "manager", 106, None, None],
        ["Годный", None, 107, 79161112233, 102],
    ):
        sheet.append(row)
    path = tmp_path / "staff.xlsx"
    book.save(path)
    report = await import_staff(factory, read_staff(path)[0], region="RU", dry_run=True)
    assert report.created == 1
    assert dict(report.rejected) == {
        2: "role 'стажёр' is not one of manager, supervisor, director, admin "
        "(менеджер, руководитель, директор, администратор)",
        3: "supervisor 'Никто' not found (by extension or name)",
        4: "'мусор' is not a valid phone number",
        5: "name is empty",
    }
    assert set(await _staff(factory)) == {"Пётр Сидоров"}  # a dry run
    await import_staff(factory, read_staff(path)[0], region="RU")
    assert (await _staff(factory))["Годный"] == ("manager", "107", "+79161112233", "Пётр Сидоров")


async def test_the_command_reports_and_checks_without_storing(tmp_path: Path, db_url: str) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(STAFF + "Без роли;стажёр;;;;\n", encoding="utf-8")
    report = tmp_path / "rejected.csv"
    commands = argparse.ArgumentParser().add_subparsers(dest="command")
    managers_import.add(commands)
    settings = make_settings(db_url)
    dry = commands.choices["import"].parse_args([str(path), "--dry-run"])
    # The command runs its own event loop, as from the shell.
    assert await asyncio.to_thread(dry.run, settings, dry) == 1
    assert await _audits_of(db_url) == 0
    done = commands.choices["import"].parse_args([str(path), "--report", str(report)])
    assert await asyncio.to_thread(done.run, settings, done) == 1
    assert await _audits_of(db_url) == 7  # four people, then three supervisors
    assert report.read_text(encoding="utf-8-sig").splitlines() == [
        "ФИО;Должность;Внутренний;Мобильный;Руководитель;E-mail;line;reason",
        "Без роли;стажёр;;;;;6;role 'стажёр' is not one of manager, supervisor, director, "
        "admin (менеджер, руководитель, директор, администратор)",
    ]
