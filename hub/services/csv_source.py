"""Reading client exports: detect the encoding and delimiter, map the header to our columns.

Exports from 1C, amoCRM and Bitrix24 name their columns differently (and in Russian); extra
columns are ignored, several phone columns are merged. :func:`read_table` is the part every
import shares (the sales import maps its own columns with it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "client",
        "company",
        "наименование",
        "название",
        "имя",
        "контрагент",
        "компания",
        "клиент",
        "фио",
        "название компании",
        "полное наименование",
    ),
    "manager": (
        "manager",
        "responsible",
        "менеджер",
        "ответственный",
        "ответственный менеджер",
        "персональный менеджер",
        "основной менеджер",
    ),
    "phones": (
        "phones",
        "phone",
        "телефон",
        "телефоны",
        "рабочий телефон",
        "мобильный телефон",
        "другой телефон",
        "домашний телефон",
        "контактный телефон",
        "телефон (рабочий)",
        "телефон (мобильный)",
    ),
    "status": ("status", "статус", "состояние", "стадия"),
}


class CsvFormatError(ValueError):
    """The file cannot be read as a client export; the message says why."""


@dataclass(frozen=True, slots=True)
class SourceRow:
    line: int
    name: str
    manager: str
    phones: tuple[str, ...]
    status: str


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


def _columns(header: list[str], aliases: Mapping[str, Sequence[str]]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for index, title in enumerate(header):
        key = title.strip().strip('"').lower().replace("ё", "е")
        for column, names in aliases.items():
            if key in names:
                found.setdefault(column, []).append(index)
    return found


@dataclass(frozen=True, slots=True)
class Table:
    """A CSV file read: which cells hold each of our columns, and the non-blank data rows with
    their line numbers."""

    header: list[str]
    columns: dict[str, list[int]]
    rows: list[tuple[int, list[str]]]
    encoding: str
    delimiter: str


def read_table(
    path: Path,
    aliases: Mapping[str, Sequence[str]],
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Table:
    """Decode ``path`` (the encoding and delimiter detected unless given) and map its header
    to the columns named in ``aliases`` (lower case, ``е`` for ``ё``)."""
    data = path.read_bytes()
    chosen = encoding or detect_encoding(data)
    try:
        text = data.decode(chosen)
    except (UnicodeDecodeError, LookupError) as exc:
        raise CsvFormatError(f"cannot decode the file as {chosen}: {exc}") from exc
    text = text.removeprefix("\ufeff")
    sep = delimiter or detect_delimiter(text[:10_000])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise CsvFormatError("the file is empty") from exc
    rows = [(line, row) for line, row in enumerate(reader, start=2) if any(c.strip() for c in row)]
    return Table(header, _columns(header, aliases), rows, chosen, sep)


def read_rows(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None
) -> tuple[list[SourceRow], str, str]:
    """All data rows, plus the encoding and delimiter that were used."""
    table = read_table(path, ALIASES, encoding=encoding, delimiter=delimiter)
    columns = table.columns
    missing = [c for c in ("name", "phones") if c not in columns]
    if missing:
        raise CsvFormatError(
            f"no column for {', '.join(missing)} in the header {table.header!r}; "
            "expected name,manager,phones,status (or the Russian names)"
        )
    return list(_rows(table.rows, columns)), table.encoding, table.delimiter


def cell(row: list[str], indexes: list[int]) -> str:
    """The text of the cells at ``indexes`` (stripped, joined by a space)."""
    return " ".join(row[i].strip() for i in indexes if i < len(row) and row[i].strip())


def phones_of(row: list[str], indexes: list[int]) -> list[str]:
    """Every phone in the cells at ``indexes`` (a cell may hold several, split by ; or ,)."""
    phones: list[str] = []
    for index in indexes:
        if index < len(row):
            phones += [p.strip() for p in row[index].replace(",", ";").split(";") if p.strip()]
    return phones


def _rows(
    rows: Iterable[tuple[int, list[str]]], columns: dict[str, list[int]]
) -> Iterator[SourceRow]:
    for line, row in rows:
        yield SourceRow(
            line=line,
            name=cell(row, columns["name"][:1]),
            manager=cell(row, columns.get("manager", [])[:1]),
            phones=tuple(phones_of(row, columns["phones"])),
            status=cell(row, columns.get("status", [])[:1]),
        )
