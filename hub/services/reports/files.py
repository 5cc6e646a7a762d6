"""The reports as files: CSV (UTF-8 with a byte-order mark, which Excel needs to read Cyrillic)
and XLSX (openpyxl). Column titles come from the message catalogue, in the company's language;
moments are shown in the company's time zone.

Text in a file may come from outside (a client's name, an uploaded cell), and a spreadsheet must
never run it: an XLSX cell holding a string is written as a string, whatever it begins with, and
a CSV value that Excel would read as a formula gets a leading apostrophe (:func:`csv_safe`, also
used by the import's rejected rows). A sheet is named by the table's title without the
characters Excel refuses in a sheet's name (:func:`sheet_title`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from hub.domain.forgotten import ForgottenClient
from hub.domain.kpi import KpiLine
from hub.domain.unregistered import UnregisteredNumber
from notifications.catalogue import Language, text

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Cell = str | int | datetime | None
BOLD = Font(bold=True)
# Excel's longest sheet name, and the characters it refuses in one.
SHEET_TITLE_LENGTH = 31
_NOT_IN_SHEET_TITLES = re.compile(r"[\\/?*\[\]]")
# What makes Excel (or LibreOffice) read a CSV value as a formula: these first characters, or a
# sign before anything but a plain number (a phone "+79031112233" or "-5" is only a number).
_FORMULA_STARTS = ("=", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"[+-][0-9]+(?:[.,][0-9]+)?")


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    columns: list[str]
    rows: list[list[Cell]]


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    # Excel knows no time zones: the company's wall-clock time, without one.
    return moment.astimezone(zone).replace(tzinfo=None, microsecond=0) if moment else None


def unregistered_table(
    title: str,
    lines: Sequence[UnregisteredNumber],
    names: Mapping[int, str],
    zone: ZoneInfo,
    language: Language,
    *,
    link: Callable[[str], str] = str,
) -> Table:
    """The unregistered numbers as a table; ``link`` turns a recording's path into the link a
    person clicks (signed and absolute, for a file read outside the service)."""
    keys = ("number", "manager_id", "manager", "calls", "first_call", "last_call", "recordings")
    return Table(
        title,
        [text(f"column_{key}", language) for key in keys],
        [
            [
                line.number,
                line.manager_id,
                names.get(line.manager_id, ""),
                line.calls,
                _local(line.first_call, zone),
                _local(line.last_call, zone),
                "\n".join(link(path) for path in line.recordings),
            ]
            for line in lines
        ],
    )


def kpi_table(
    title: str, lines: Sequence[KpiLine], names: Mapping[int, str], language: Language
) -> Table:
    keys = ("manager_id", "manager", "triaged", "clients_created", "phones_added", "refined")
    return Table(
        title,
        [text(f"column_{key}", language) for key in keys],
        [
            [
                line.manager_id,
                names.get(line.manager_id, ""),
                line.triaged,
                line.clients_created,
                line.phones_added,
                line.refined,
            ]
            for line in lines
        ],
    )


def forgotten_table(
    title: str,
    clients: Sequence[ForgottenClient],
    names: Mapping[int, str],
    zone: ZoneInfo,
    language: Language,
) -> Table:
    keys = ("client_id", "client", "manager_id", "manager", "last_contact", "days")
    return Table(
        title,
        [text(f"column_{key}", language) for key in keys],
        [
            [
                c.client_id,
                c.name,
                c.manager_id,
                names.get(c.manager_id, "") if c.manager_id is not None else "",
                _local(c.last_contact, zone),
                c.days,
            ]
            for c in clients
        ],
    )


def _plain(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.strftime("%Y-%m-%d %H:%M")
    return str(cell)


def csv_safe(value: str) -> str:
    """``value`` as a CSV cell that a spreadsheet shows and never computes: with a leading
    apostrophe when it would be read as a formula."""
    if value.startswith(_FORMULA_STARTS):
        return f"'{value}"
    if len(value) > 1 and value[0] in "+-" and not _SIGNED_NUMBER.fullmatch(value):
        return f"'{value}"
    return value


def sheet_title(title: str) -> str:
    """``title`` as a sheet's name Excel accepts: "a: b" is "a — b", other refused characters
    are spaces, and it is cut to 31 characters."""
    dashed = re.sub(r"\s*:\s*", " — ", title)
    spaced = " ".join(_NOT_IN_SHEET_TITLES.sub(" ", dashed).split())
    # A name may not begin or end with an apostrophe either.
    return spaced[:SHEET_TITLE_LENGTH].strip(" —'") or "Sheet"


def csv_text(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_safe(title) for title in table.columns])
    writer.writerows([csv_safe(_plain(cell)) for cell in row] for row in table.rows)
    return out.getvalue()


def csv_bytes(table: Table) -> bytes:
    return csv_text(table).encode("utf-8-sig")


def xlsx_bytes(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook has one sheet
    sheet.title = sheet_title(table.title)
    lines: list[list[Cell]] = [list(table.columns), *table.rows]
    for row_number, values in enumerate(lines, start=1):
        for column_number, value in enumerate(values, start=1):
            if isinstance(value, str):
                # Control characters have no place in a workbook (openpyxl refuses them).
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            if isinstance(value, str):
                # Text stays text: "=..." is no formula, "+7903..." no number.
                cell.data_type = "s"
            if row_number == 1:
                cell.font = BOLD
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    for index, title in enumerate(table.columns):
        longest = max([len(title), *(len(_plain(row[index])) for row in table.rows)])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(longest + 2, 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
