"""CSV import of sales: 1C and English headers, the client by name or phone, a report of rejected
rows, dry runs, statuses recomputed, and a second import of the same file adding nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from config.settings import DatabaseSettings
from hub.domain.client_status import Thresholds
from hub.domain.phone import Normalizer
from hub.services.client_status import StatusRules
from hub.services.sales_import import import_sales
from hub.services.sales_source import parse_amount, parse_day, read_sales
from hub.services.spreadsheets import CsvFormatError
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.models import AuditEntry, Client, ClientPhone, Sale
from tests.support.clock import MOSCOW, TestClock

NORMALIZE = Normalizer("RU")
RULES = StatusRules(
    thresholds=Thresholds(new_for=timedelta(days=180), churned_after=timedelta(days=180)),
    zone=MOSCOW,
    at=time(3, 0),
)
NOW = datetime(2026, 11, 25, 10, 30, tzinfo=MOSCOW)


@pytest.fixture
async def factory(db_url: str) -> AsyncIterator[SessionFactory]:
    engine = create_engine(DatabaseSettings(url=db_url))
    sessions = create_session_factory(engine)
    async with sessions() as session:
        for name, phone in (
            ("ООО «Ромашка»", "+79161234567"),
            ("ИП Сидоров", "+79031112233"),
            ("Двойник", None),
            ("двойник", None),
        ):
            client = Client(name=name)
            session.add(client)
            await session.flush()
            if phone:
                session.add(ClientPhone(client_id=client.id, number=phone))
        await session.commit()
    yield sessions
    await engine.dispose()


async def _statuses(factory: SessionFactory) -> dict[str, str]:
    async with factory() as session:
        rows = await session.execute(select(Client.name, Client.status))
        return {name: status for name, status in rows if status}


async def _count(factory: SessionFactory, what: type[Sale] | type[AuditEntry]) -> int:
    async with factory() as session:
        return int(await session.scalar(select(func.count(what.id))) or 0)


async def test_1c_export_imports_once_and_recomputes_statuses(
    tmp_path: Path, factory: SessionFactory
) -> None:
    path = tmp_path / "1c.csv"
    path.write_bytes(
        (
            "Документ;Контрагент;Дата;Сумма;Валюта\n"
            "Реализация 17;ООО Ромашка;25.11.2026 0:00:00;1 234,56;руб.\n"
            "Реализация 18;ИП Сидоров;01.03.2025;500,00 руб.;руб.\n"
            "Реализация 19;ИП Сидоров;02.04.2025;700;руб.\n"
            "Реализация 20;ИП Сидоров;02.04.2025;700;руб.\n"
        ).encode("cp1251")
    )
    rows, table = read_sales(path)
    assert table.delimiter == ";"
    assert table.encoding.replace("_", "").lower() in {"cp1251", "windows1251"}
    assert (rows[0].client, rows[0].sold_on, rows[0].amount) == (
        "ООО Ромашка",
        "25.11.2026 0:00:00",
        "1 234,56",
    )
    report = await import_sales(
        factory, rows, NORMALIZE, RULES, source="1c.csv", clock=TestClock(NOW)
    )
    assert (report.added, report.already, report.statuses_changed, report.rejected) == (4, 0, 2, [])
    assert await _statuses(factory) == {
        "ООО «Ромашка»": "new",
        "ИП Сидоров": "churned",  # two purchase days, the last over 180 days ago
        "Двойник": "potential",
        "двойник": "potential",
    }
    async with factory() as session:
        amounts = sorted((await session.scalars(select(Sale.amount))).all())
        sources = set((await session.scalars(select(Sale.source))).all())
    assert amounts == [Decimal("500.00"), Decimal("700.00"), Decimal("700.00"), Decimal("1234.56")]
    assert sources == {"1c.csv"}
    audits = await _count(factory, AuditEntry)
    assert audits == 2

    again = await import_sales(factory, rows, NORMALIZE, RULES, clock=TestClock(NOW))
    assert (again.added, again.already, again.statuses_changed) == (0, 4, 0)
    assert await _count(factory, Sale) == 4
    assert await _count(factory, AuditEntry) == audits


async def test_english_headers_client_by_phone_and_rejections(
    tmp_path: Path, factory: SessionFactory
) -> None:
    path = tmp_path / "sales.csv"
    path.write_text(
        "customer,phone,date,amount\n"
        ",8 (916) 123-45-67,2026-11-20,10.50\n"  # by phone
        'ИП СИДОРОВ,,2026-11-21,"1,234.00"\n'  # by name, any case
        "Нет такого,,2026-11-21,1\n"
        "Двойник,,2026-11-21,1\n"
        "ИП Сидоров,+79161234567,2026-11-21,1\n"  # the phone is another client's
        "ИП Сидоров,,вчера,1\n"
        "ИП Сидоров,,2026-11-21,много\n"
        "ИП Сидоров,,2026-11-21,-5\n"
        "ИП Сидоров,,2026-11-21,1.005\n"
        ",,2026-11-21,1\n",
        encoding="utf-8",
    )
    report = await import_sales(
        factory, read_sales(path)[0], NORMALIZE, RULES, clock=TestClock(NOW)
    )
    assert (report.added, report.statuses_changed) == (2, 2)
    reasons = dict(report.rejected)
    assert set(reasons) == set(range(4, 12))
    assert "not found" in reasons[4]
    assert "ambiguous (2 clients" in reasons[5]
    assert "the phone is 'ООО «Ромашка»'" in reasons[6]
    assert "'вчера' is not a date" in reasons[7]
    assert "'много' is not a number" in reasons[8]
    assert "not a purchase" in reasons[9]
    assert "more than two decimals" in reasons[10]
    assert "neither a client nor a phone" in reasons[11]
    assert (await _statuses(factory))["ИП Сидоров"] == "new"


async def test_dry_run_stores_nothing(tmp_path: Path, factory: SessionFactory) -> None:
    path = tmp_path / "s.csv"
    path.write_text("client;date;sum\nИП Сидоров;2026-11-21;1\n", encoding="utf-8")
    report = await import_sales(
        factory, read_sales(path)[0], NORMALIZE, RULES, dry_run=True, clock=TestClock(NOW)
    )
    assert (report.added, report.statuses_changed) == (1, 1)
    assert await _count(factory, Sale) == 0
    assert (await _statuses(factory))["ИП Сидоров"] == "potential"


def test_files_that_are_not_sales_exports(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("name,phones\nA,+79160000040\n", encoding="utf-8")
    with pytest.raises(CsvFormatError, match="no column for date, amount"):
        read_sales(path)
    path.write_text("date,amount\n2026-11-21,1\n", encoding="utf-8")
    with pytest.raises(CsvFormatError, match=r"no column for client \(or phone\)"):
        read_sales(path)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1 234,56", "1234.56"),
        ("1\xa0234,56 руб.", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("₽ 99", "99"),
        ("", None),
        ("abc", None),
    ],
)
def test_amounts_as_exports_write_them(text: str, amount: str | None) -> None:
    assert parse_amount(text) == (Decimal(amount) if amount else None)


def test_days_as_exports_write_them() -> None:
    assert {
        parse_day(t) for t in ("25.11.2026", "25.11.2026 0:00:00", "2026-11-25", "25/11/2026")
    } == {
        datetime(2026, 11, 25).date()  # noqa: DTZ001 (a day)
    }
    assert parse_day("2026-13-01") is None


def test_command_line_import_of_sales(tmp_path: Path) -> None:
    clients = tmp_path / "clients.csv"
    clients.write_text("name,phones\nООО Ромашка,+79160000050\n", encoding="utf-8")
    sales = tmp_path / "sales.csv"
    sales.write_text(
        "Контрагент;Телефон;Дата;Сумма\n"
        "ООО Ромашка;;01.01.2020;100\n"
        ";+79160000050;02.01.2020;200\n"
        "Нет такого;;03.01.2020;300\n",
        encoding="utf-8",
    )
    report = tmp_path / "rejected.csv"
    env = {**os.environ, "DOZVON_DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db"}

    def dozvon(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "hub.cli", "import", *args, "--quiet"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert dozvon("clients", str(clients)).returncode == 0
    dry = dozvon("sales", str(sales), "--dry-run")
    assert "2 added, 0 already there, 1 statuses changed, 1 rejected (would be" in dry.stdout
    done = dozvon("sales", str(sales), "--report", str(report))
    assert done.returncode == 1, done.stderr
    assert "2 added, 0 already there, 1 statuses changed, 1 rejected (were" in done.stdout
    assert "line 4: rejected: client 'Нет такого' not found" in done.stderr
    assert report.read_text(encoding="utf-8-sig").splitlines() == [
        "Контрагент;Телефон;Дата;Сумма;line;reason",
        "Нет такого;;03.01.2020;300;4;client 'Нет такого' not found (by name or phone)",
    ]
    again = dozvon("sales", str(sales))
    assert "0 added, 2 already there, 0 statuses changed, 1 rejected" in again.stdout


async def test_xlsx_export_with_date_and_number_cells(
    tmp_path: Path, factory: SessionFactory
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Контрагент", "Телефон", "Дата", "Сумма"])
    sheet.append(["ИП Сидоров", None, datetime(2026, 11, 20), 1500])  # noqa: DTZ001 (a cell)
    sheet.append([None, 79161234567, datetime(2026, 11, 21, 14, 5), 99.5])  # noqa: DTZ001
    path = tmp_path / "sales.xlsx"
    book.save(path)
    rows, table = read_sales(path)
    assert [(r.line, r.phones, r.sold_on, r.amount) for r in rows] == [
        (2, (), "2026-11-20", "1500"),
        (3, ("79161234567",), "2026-11-21 14:05:00", "99.5"),
    ]
    assert table.describe() == "XLSX, first sheet"
    report = await import_sales(factory, rows, NORMALIZE, RULES, clock=TestClock(NOW))
    assert (report.added, report.rejected) == (2, [])
    xls = tmp_path / "sales.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    with pytest.raises(CsvFormatError, match=r"old Excel \(\.xls\)"):
        read_sales(xls)
