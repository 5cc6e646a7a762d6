"""CSV import of client cards: formats from several CRMs, idempotency and per-row rejections."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from config.settings import DatabaseSettings
from hub.domain.phone import Normalizer
from hub.services.csv_source import read_clients, read_rows
from hub.services.directory.clients import read_client
from hub.services.importer import import_clients
from hub.services.spreadsheets import CsvFormatError
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.models import AuditEntry, Client, ClientPhone, Manager
from storage.uow import UnitOfWork

NORMALIZE = Normalizer("RU")


@pytest.fixture
async def factory(db_url: str) -> AsyncIterator[SessionFactory]:
    engine = create_engine(DatabaseSettings(url=db_url))
    sessions = create_session_factory(engine)
    async with sessions() as session:
        session.add_all(
            [
                Manager(name="Иван Петров", role="manager", extension="101"),
                Manager(name="Ольга", role="manager", extension="102"),
            ]
        )
        await session.commit()
    yield sessions
    await engine.dispose()


async def _cards(factory: SessionFactory) -> dict[str, tuple[int | None, str, list[str]]]:
    async with factory() as session:
        clients = (
            await session.execute(select(Client.id, Client.name, Client.manager_id, Client.status))
        ).all()
        phones = (await session.execute(select(ClientPhone.client_id, ClientPhone.number))).all()
    by_client: dict[int, list[str]] = {}
    for cid, number in phones:
        by_client.setdefault(cid, []).append(number)
    return {
        name: (mid, status, sorted(by_client.get(cid, []))) for cid, name, mid, status in clients
    }


async def test_plain_csv_imports_and_second_run_changes_nothing(
    tmp_path: Path, factory: SessionFactory
) -> None:
    path = tmp_path / "clients.csv"
    path.write_text(
        "name,manager,phones,status,comment\n"
        "ООО Ромашка,101,+7 916 123-45-67;8 495 123 45 67,,extra column\n"
        "ИП Сидоров,Ольга,89031112233,regular,\n"
        "Без телефона,,,,\n",
        encoding="utf-8",
    )
    rows, encoding, delimiter = read_rows(path)
    assert (encoding, delimiter, len(rows)) == ("utf-8", ",", 3)
    report = await import_clients(factory, rows, NORMALIZE)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (3, 0, 0, [])
    cards = await _cards(factory)
    assert cards["ООО Ромашка"] == (1, "potential", ["+74951234567", "+79161234567"])
    assert cards["ИП Сидоров"] == (2, "regular", ["+79031112233"])
    async with factory() as session:
        by_hand = await session.scalar(
            select(Client.name).where(Client.status_set_by_hand_at.is_not(None))
        )
    assert by_hand == "ИП Сидоров"  # a status the file sets stands until a newer sale
    async with factory() as session:
        audits = await session.scalar(select(func.count(AuditEntry.id)))
    again = await import_clients(factory, rows, NORMALIZE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert await _cards(factory) == cards
    async with factory() as session:
        assert await session.scalar(select(func.count(AuditEntry.id))) == audits


async def test_1c_export_in_cp1251_with_semicolons(tmp_path: Path, factory: SessionFactory) -> None:
    path = tmp_path / "1c.csv"
    path.write_bytes(
        (
            "Код;Наименование;Ответственный;Телефон;ИНН\n"
            "0001;ООО Вектор;Иван Петров;+7 (916) 000-00-01;7701234567\n"
            "0002;АО Ласточка;102;8 916 000 00 02, 8 916 000 00 03;7701234568\n"
        ).encode("cp1251")
    )
    rows, encoding, delimiter = read_rows(path)
    assert delimiter == ";" and encoding.replace("_", "").lower() in {"cp1251", "windows1251"}
    report = await import_clients(factory, rows, NORMALIZE)
    assert report.created == 2 and not report.rejected
    cards = await _cards(factory)
    assert cards["ООО Вектор"][0] == 1
    assert cards["АО Ласточка"] == (2, "potential", ["+79160000002", "+79160000003"])


async def test_bitrix_export_merges_phone_columns_and_updates_by_phone(
    tmp_path: Path,
    factory: SessionFactory,
) -> None:
    path = tmp_path / "bitrix.csv"
    path.write_text(
        '"Название компании","Рабочий телефон","Мобильный телефон","Ответственный"\n'
        '"Альфа","+79160000010","+79160000011","101"\n',
        encoding="utf-8-sig",
    )
    await import_clients(factory, read_rows(path)[0], NORMALIZE)
    path.write_text(
        '"Название компании","Рабочий телефон","Мобильный телефон","Ответственный"\n'
        '"Альфа Групп","+79160000010","","102"\n',
        encoding="utf-8-sig",
    )
    report = await import_clients(factory, read_rows(path)[0], NORMALIZE)
    assert (report.created, report.updated) == (0, 1)
    cards = await _cards(factory)
    # Matched by phone: the manager changes, the name is kept and the row reported.
    assert cards == {"Альфа": (2, "potential", ["+79160000010", "+79160000011"])}
    assert report.names_differ == [
        (
            2,
            "matched by phone, name differs: «Альфа» (id 1) is named «Альфа Групп» in the "
            "file; the card keeps its name (--update-names renames it)",
        )
    ]
    renamed = await import_clients(factory, read_rows(path)[0], NORMALIZE, update_names=True)
    assert (renamed.updated, renamed.names_differ) == (1, [])
    assert set(await _cards(factory)) == {"Альфа Групп"}
    async with factory() as session:
        last = await session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert last is not None and last.before is not None and last.after is not None
    assert (last.before["name"], last.after["name"]) == ("Альфа", "Альфа Групп")


async def test_rejected_rows_are_reported_and_change_nothing(
    tmp_path: Path, factory: SessionFactory
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "name,manager,phones,status\n"
        "Good,101,+79160000020,\n"
        ",101,+79160000021,\n"
        "No manager,999,+79160000022,\n"
        "Bad phone,101,12345,\n"
        "Stealer,101,+79160000020,\n"
        "Other,102,+79160000030,\n"
        "Two owners,101,+79160000020;+79160000030,\n"
        "Old status,101,+79160000031,vip\n",
        encoding="utf-8",
    )
    report = await import_clients(factory, read_rows(path)[0], NORMALIZE)
    reasons = dict(report.rejected)
    assert set(reasons) == {3, 4, 5, 8, 9}
    assert "name is empty" in reasons[3]
    assert "'999' not found" in reasons[4]
    assert "'12345'" in reasons[5]
    assert reasons[8] == (
        "the phones belong to different clients: «Good» (this file's line 2) and "
        "«Other» (this file's line 7)"
    )
    assert "one of potential, new, regular, lapsed, churned (not 'vip')" in reasons[9]
    cards = await _cards(factory)
    # "Stealer" shares Good's phone: the same card, which keeps its name.
    assert set(cards) == {"Good", "Other"}
    assert [line for line, _ in report.names_differ] == [6]
    again = await import_clients(factory, read_rows(path)[0], NORMALIZE)
    assert dict(again.rejected)[8] == (
        "the phones belong to different clients: «Good» (id 1) and «Other» (id 2)"
    )


async def test_dry_run_stores_nothing(tmp_path: Path, factory: SessionFactory) -> None:
    path = tmp_path / "c.csv"
    path.write_text("name,phones\nA,+79160000040\n", encoding="utf-8")
    report = await import_clients(factory, read_rows(path)[0], NORMALIZE, dry_run=True)
    assert report.created == 1
    assert await _cards(factory) == {}


def test_files_that_are_not_client_exports(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(CsvFormatError, match="no column for name, phones"):
        read_rows(path)
    path.write_text("", encoding="utf-8")
    with pytest.raises(CsvFormatError, match="empty"):
        read_rows(path)


def test_command_line_import_with_report(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("name,manager,phones,status\nA,,+79160000050,\nB,,garbage,\n", encoding="utf-8")
    report = tmp_path / "rejected.csv"
    env = {**os.environ, "DOZVON_DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db"}
    done = subprocess.run(
        [sys.executable, "-m", "hub.cli", "import", "clients", str(path), "--report", str(report)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "1 created, 0 updated, 0 unchanged, 1 rejected" in done.stdout
    assert "line 3: rejected: phone 'garbage'" in done.stderr
    assert report.read_text(encoding="utf-8-sig").splitlines()[1].startswith("B,,garbage,,3,")


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


async def test_xlsx_with_a_title_phones_stored_as_numbers_and_comments(
    tmp_path: Path, factory: SessionFactory
) -> None:
    path = _xlsx(
        tmp_path / "amo.xlsx",
        [
            [],
            ["Компания", "Телефон", "Ответственный", "Примечание"],
            ["ООО Вектор", 79161234567, 101, "звонить после обеда"],
            ["АО Числа", 79161234568.0, None, None],
            ["Плохой", "нет", None, None],
        ],
    )
    rows, table = read_clients(path)
    assert (table.encoding, table.delimiter, [r.line for r in rows]) == ("xlsx", ";", [3, 4, 5])
    report = await import_clients(factory, rows, NORMALIZE)
    assert (report.created, [line for line, _ in report.rejected]) == (2, [5])
    cards = await _cards(factory)
    assert cards["ООО Вектор"] == (1, "potential", ["+79161234567"])
    assert cards["АО Числа"] == (None, "potential", ["+79161234568"])
    async with factory() as session:
        notes = await session.scalar(select(Client.notes).where(Client.name == "ООО Вектор"))
    assert notes == "звонить после обеда"
    again = await import_clients(factory, rows, NORMALIZE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


async def test_phones_with_extensions_keep_them_beside_the_number(
    tmp_path: Path, factory: SessionFactory
) -> None:
    path = tmp_path / "ext.csv"
    path.write_text(
        "name;phones;comment\n"
        "Офис;+7 495 123-00-00 доб. 123;\n"
        'Склад;"+7 495 123-00-01, доб.45, +7 916 000-00-01";\n'
        "Цех;8 (495) 123-00-02 ext. 12;\n"
        "Гараж;+7 495 123-00-03 #7;\n",
        encoding="utf-8",
    )
    report = await import_clients(factory, read_rows(path)[0], NORMALIZE)
    assert (report.created, report.rejected) == (4, [])
    async with factory() as session:
        phones = dict((await session.execute(select(ClientPhone.number, ClientPhone.ext))).all())
    assert phones == {
        "+74951230000": "123",
        "+74951230001": "45",
        "+79160000001": None,
        "+74951230002": "12",
        "+74951230003": "7",
    }
    async with UnitOfWork(factory, read_only=True) as uow:
        card = await read_client(uow, 2)
    assert card.view()["phones"] == ["+74951230001", "+79160000001"]
    assert card.view()["extensions"] == {"+74951230001": "45"}
    # A later export gives an extension to a number that had none; the notes column too.
    path.write_text("name;phones;Заметки\nСклад;+7 916 000-00-01 доб. 9;на проходной\n")
    changed = await import_clients(factory, read_rows(path)[0], NORMALIZE)
    assert (changed.updated, changed.rejected) == (1, [])
    async with UnitOfWork(factory, read_only=True) as uow:
        view = (await read_client(uow, 2)).view()
    assert view["extensions"] == {"+74951230001": "45", "+79160000001": "9"}
    assert view["notes"] == "на проходной"
    again = await import_clients(factory, read_rows(path)[0], NORMALIZE)
    assert (again.updated, again.unchanged) == (0, 1)


def test_old_excel_and_other_binary_files_are_refused_in_one_line(tmp_path: Path) -> None:
    xls = tmp_path / "clients.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(CsvFormatError) as refused:
        read_rows(xls)
    assert str(refused.value) == (
        f"{xls} is an old Excel (.xls) / binary file: save it as CSV (UTF-8) or XLSX"
    )
    image = tmp_path / "clients.csv"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(CsvFormatError, match=r"is a binary file: save it as CSV \(UTF-8\) or XLSX"):
        read_rows(image)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(CsvFormatError, match="binary file, not an XLSX workbook"):
        read_rows(broken)


def test_command_line_report_is_the_files_own_rows(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "Наименование;Телефон;Комментарий\n"
        'ООО Ромашка;+79160000060;"две строки\nкомментария"\n'
        "Без номера;мусор;проверить\n"
        "ИП Иванов;+79160000061;\n",
        encoding="utf-8",
    )
    report = tmp_path / "rejected.csv"
    env = {**os.environ, "DOZVON_DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db"}
    command = [sys.executable, "-m", "hub.cli", "import", "clients", "--quiet"]
    done = subprocess.run(
        [*command, str(path), "--report", str(report)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "2 created, 0 updated, 0 unchanged, 1 rejected" in done.stdout
    assert "line 4: rejected: phone 'мусор'" in done.stderr  # the file's fourth line
    assert report.read_bytes().startswith(b"\xef\xbb\xbf")
    assert report.read_text(encoding="utf-8-sig").splitlines() == [
        "Наименование;Телефон;Комментарий;line;reason",
        "Без номера;мусор;проверить;4;phone 'мусор' is not a valid outside number",
    ]
    xls = tmp_path / "clients.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    refused = subprocess.run(
        [*command, str(xls)], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        f"dozvon: {xls} is an old Excel (.xls) / binary file: save it as CSV (UTF-8) or XLSX"
    ]
