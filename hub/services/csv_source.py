"""Reading client exports: map the header of a CSV or XLSX file to the card's columns.

Exports from 1C, amoCRM and Bitrix24 name their columns differently (and in Russian); extra
columns are ignored, several phone columns are merged, a comment column becomes the card's
notes. The file itself is read by :mod:`hub.services.spreadsheets`, as for every import.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from hub.domain.extensions import join_extensions
from hub.services.spreadsheets import CsvFormatError, Table, read_table

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
    "notes": ("notes", "note", "comment", "comments", "комментарий", "примечание", "заметки"),
}


@dataclass(frozen=True, slots=True)
class SourceRow:
    line: int
    name: str
    manager: str
    phones: tuple[str, ...]
    status: str
    notes: str = ""


def read_clients(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None
) -> tuple[list[SourceRow], Table]:
    """All data rows, and the table they were read from (for the report of rejected rows)."""
    table = read_table(path, ALIASES, encoding=encoding, delimiter=delimiter)
    columns = table.columns
    missing = [c for c in ("name", "phones") if c not in columns]
    if missing:
        raise CsvFormatError(
            f"{path}: no column for {', '.join(missing)} in the header {table.header!r}; "
            "expected name,manager,phones,status,notes (or the Russian names)"
        )
    return list(_rows(table.rows, columns)), table


def read_rows(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None
) -> tuple[list[SourceRow], str, str]:
    """All data rows, plus the encoding and delimiter that were used."""
    rows, table = read_clients(path, encoding=encoding, delimiter=delimiter)
    return rows, table.encoding, table.delimiter


def cell(row: list[str], indexes: list[int]) -> str:
    """The text of the cells at ``indexes`` (stripped, joined by a space)."""
    return " ".join(row[i].strip() for i in indexes if i < len(row) and row[i].strip())


def phones_of(row: list[str], indexes: list[int]) -> list[str]:
    """Every phone in the cells at ``indexes`` (a cell may hold several, split by ; or ,), each
    with its extension if it has one."""
    phones: list[str] = []
    for index in indexes:
        if index < len(row):
            pieces = [p.strip() for p in row[index].replace(",", ";").split(";") if p.strip()]
            phones += join_extensions(pieces)
    return phones


def _rows(
    rows: Iterable[tuple[int, list[str]]], columns: dict[str, list[int]]
) -> Iterator[SourceRow]:
    notes = columns.get("notes", [])
    for line, row in rows:
        yield SourceRow(
            line=line,
            name=cell(row, columns["name"][:1]),
            manager=cell(row, columns.get("manager", [])[:1]),
            phones=tuple(phones_of(row, columns["phones"])),
            status=cell(row, columns.get("status", [])[:1]),
            notes="\n".join(filter(None, (row[i].strip() for i in notes if i < len(row)))),
        )
