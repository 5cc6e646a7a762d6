"""The reports over HTTP and on the command line, on one known month (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from config.settings import Settings
from hub.bootstrap.database import SESSIONS
from hub.cli import main
from tests.support.api import Api
from tests.support.report_month import (
    EXPECTED_FORGOTTEN,
    EXPECTED_KPI,
    EXPECTED_UNREGISTERED,
    seed_month,
)


@pytest.fixture
async def month(api: Api) -> Api:
    await seed_month(api.app[SESSIONS])
    return api


async def test_unregistered(month: Api) -> None:
    body = await month.get("/api/v1/reports/unregistered?month=2026-11")
    assert body == {"month": "2026-11", "items": EXPECTED_UNREGISTERED}
    petr = await month.get("/api/v1/reports/unregistered?month=2026-11&manager_id=3")
    assert petr["items"] == EXPECTED_UNREGISTERED[2:]
    # Without a month: the current one by the app's clock (November 2026).
    assert (await month.get("/api/v1/reports/unregistered"))["month"] == "2026-11"


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("month=2026-13", "month: month 13 is not from 01 to 12"),
        ("month=11.2026", "month must be YYYY-MM, e.g. 2026-11; got '11.2026'"),
        ("month=2026-11&manager_id=x", "manager_id must be an integer from 1 to 2147483647"),
    ],
)
async def test_bad_input_is_named(month: Api, query: str, problem: str) -> None:
    for report in ("unregistered", "kpi"):
        status, body = await month.call("GET", f"/api/v1/reports/{report}?{query}")
        assert status == 400
        assert body["error"]["message"] == problem


async def test_kpi(month: Api) -> None:
    assert await month.get("/api/v1/reports/kpi?month=2026-11") == {
        "month": "2026-11",
        "items": EXPECTED_KPI,
    }


async def test_forgotten(month: Api) -> None:
    body = await month.get("/api/v1/reports/forgotten?days=90")
    assert body == {"days": 90, "items": EXPECTED_FORGOTTEN}
    assert (await month.get("/api/v1/reports/forgotten"))["items"] == EXPECTED_FORGOTTEN
    ivan = await month.get("/api/v1/reports/forgotten?manager_id=2")
    assert [c["client_id"] for c in ivan["items"]] == [5, 2]
    status, error = await month.call("GET", "/api/v1/reports/forgotten?days=0")
    assert status == 400 and error["error"]["field"] == "days"


async def test_who_reads_reports(month: Api) -> None:
    viewer = (await month.post("/api/v1/tokens", {"name": "olga", "role": "viewer"}))["token"]
    manager = (await month.post("/api/v1/tokens", {"name": "ivan", "role": "manager"}))["token"]
    for report in ("unregistered", "kpi", "forgotten"):
        path = f"/api/v1/reports/{report}"
        await month.get(path, token=viewer)
        await month.call("GET", path, token=manager, expect=403)
        await month.call("GET", path, token="nonsense", expect=401)
    paths = (await month.get("/api/v1/openapi.json"))["paths"]
    assert {"/api/v1/reports/unregistered", "/api/v1/reports/kpi"} <= set(paths)


async def _cli(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    config = tmp_path / "dozvon.toml"
    config.write_text(f'[database]\nurl = "{settings.database.url}"\n', encoding="utf-8")
    code = await asyncio.to_thread(main, ["--config", str(config), "report", *args])
    out, err = capsys.readouterr()
    return code, out, err


async def test_command_line(
    month: Api, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = await _cli(settings, tmp_path, capsys, "unregistered", "--month", "2026-11")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "Номер",
        "ID менеджера",
        "Менеджер",
        "Звонков",
        "Первый звонок",
        "Последний звонок",
        "Записи",
    ]
    assert [r[:4] + r[4:6] for r in rows[1:3]] == [
        ["+79161000001", "2", "Иван", "2", "2026-11-03 10:00", "2026-11-05 10:00"],
        ["+79161000003", "2", "Иван", "1", "2026-11-12 10:00", "2026-11-12 10:00"],
    ]
    assert len(rows) == 5

    target = tmp_path / "kpi.xlsx"
    code, _, err = await _cli(
        settings,
        tmp_path,
        capsys,
        "kpi",
        "--month",
        "2026-11",
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    assert code == 0 and "3 rows" in err
    sheet = load_workbook(target).active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[1:] == [
        [1, "Ольга", 0, 0, 0, 0],
        [2, "Иван", 1, 1, 2, 4],
        [3, "Пётр", 2, 0, 0, 2],
    ]

    code, _, err = await _cli(settings, tmp_path, capsys, "kpi", "--month", "2026-13")
    assert code == 2 and "month 13 is not from 01 to 12" in err
    code, _, err = await _cli(settings, tmp_path, capsys, "forgotten", "--format", "xlsx")
    assert code == 2 and "--format xlsx needs --output" in err
