"""Reading an exported table, CSV or XLSX, into header and rows of text: what every import shares.

CSV comes in any encoding and delimiter a CRM or Excel writes (both detected unless given);
XLSX is read from its first sheet, the header being its first non-empty row, and its cells
turned into the text a person sees (a phone Excel stored as the number 79161234567.0 is
``"79161234567"``). Each row keeps its place in the file — the physical line in a CSV, even
after a quoted field that spans lines, or the sheet's row number — so that rejections point at
what the person sees. An old binary Excel file (.xls) or any other binary file is refused with
one line saying what to do, never read as garbage text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from charset_normalizer import from_bytes

OLE2 = b"\xd0\xcf\x11\xe0"  # old Excel (.xls), Word (.doc): a compound document
ZIP = b"PK\x03\x04"  # XLSX (and other Office Open XML or ODF files)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
XLSX_DELIMITER = ";"  # what a report of an XLSX file's rows is written with (Russian Excel's)


class CsvFormatError(ValueError):
    """The file cannot be read as the export expected; the message names it and says why."""


@dataclass(frozen=True, slots=True)
class Table:
    """A file read: which cells hold each of our columns, and the non-blank data rows with
    their line numbers (physical lines of a CSV, row numbers of a sheet)."""

    header: list[str]
    columns: dict[str, list[int]]
    rows: list[tuple[int, list[str]]]
    encoding: str  # "xlsx" for a workbook
    delimiter: str  # the CSV's; for a workbook, the one its report is written with

    def describe(self) -> str:
        if self.encoding == "xlsx":
            return "XLSX, first sheet"
        return f"encoding {self.encoding}, delimiter {self.delimiter!r}"


def detect_encoding(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data[:200_000], cp_isolation=["cp1251", "koi8_r", "utf_16", "cp866"])
        match = best.best()
        return match.encoding if match is not None else "cp1251"
    return "utf-8"


def detect_delimiter(sample: str) -> str:
    header = sample.splitlines()[0] if sample else ""
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def columns_of(header: list[str], aliases: Mapping[str, Sequence[str]]) -> dict[str, list[int]]:
    """Which header cells name each column of ``aliases`` (lower case, ``е`` for ``ё``)."""
    found: dict[str, list[int]] = {}
    for index, title in enumerate(header):
        key = title.strip().strip('"').lower().replace("ё", "е")
        for column, names in aliases.items():
            if key in names:
                found.setdefault(column, []).append(index)
    return found


def read_table(
    path: Path,
    aliases: Mapping[str, Sequence[str]],
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Table:
    """Read ``path`` (XLSX, or CSV with the encoding and delimiter detected unless given) and
    map its header to the columns named in ``aliases``."""
    data = path.read_bytes()
    if data.startswith(ZIP):
        sep = delimiter or XLSX_DELIMITER
        return _table(_sheet_rows(path), aliases, "xlsx", sep, path)
    if data.startswith(OLE2):
        raise CsvFormatError(
            f"{path} is an old Excel (.xls) / binary file: save it as CSV (UTF-8) or XLSX"
        )
    if b"\x00" in data[:8192] and not data.startswith(UTF16_BOMS):
        raise CsvFormatError(f"{path} is a binary file: save it as CSV (UTF-8) or XLSX")
    chosen = encoding or detect_encoding(data)
    try:
        text = data.decode(chosen)
    except (UnicodeDecodeError, LookupError) as exc:
        raise CsvFormatError(f"{path}: cannot decode the file as {chosen}: {exc}") from exc
    text = text.removeprefix("\ufeff")
    sep = delimiter or detect_delimiter(text[:10_000])
    return _table(_csv_rows(text, sep), aliases, chosen, sep, path)


def _table(
    rows: Iterable[tuple[int, list[str]]],
    aliases: Mapping[str, Sequence[str]],
    encoding: str,
    delimiter: str,
    path: Path,
) -> Table:
    filled = [(line, row) for line, row in rows if any(c.strip() for c in row)]
    if not filled:
        raise CsvFormatError(f"{path}: the file is empty")
    header = filled[0][1]
    return Table(header, columns_of(header, aliases), filled[1:], encoding, delimiter)


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with the physical line it starts on (a quoted field may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CsvFormatError(f"line {line}: {exc}") from exc
        yield line, row


def _sheet_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise CsvFormatError(
            f"{path} is a binary file, not an XLSX workbook: save it as CSV (UTF-8) or XLSX"
        ) from exc
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(v) for v in values]
    finally:
        book.close()


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees: whole numbers without ``.0`` (a phone
    stored as a number), dates as ``2026-11-25``, a moment as ``2026-11-25 13:05:00``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()
