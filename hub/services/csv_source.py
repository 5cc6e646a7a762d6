"""Reading client exports: detect the encoding and delimiter, map the header to our columns.

Exports from 1C, amoCRM and Bitrix24 name their columns differently (and in Russian); extra
columns are ignored, several phone columns are merged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
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


def _columns(header: list[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for index, title in enumerate(header):
        key = title.strip().strip('"').lower().replace("ё", "е")
        for column, names in ALIASES.items():
            if key in names:
                found.setdefault(column, []).append(index)
    return found


def read_rows(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None
) -> tuple[list[SourceRow], str, str]:
    """All data rows, plus the encoding and delimiter that were used."""
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
    columns = _columns(header)
    missing = [c for c in ("name", "phones") if c not in columns]
    if missing:
        raise CsvFormatError(
            f"no column for {', '.join(missing)} in the header {header!r}; "
            "expected name,manager,phones,status (or the Russian names)"
        )
    return list(_rows(reader, columns)), chosen, sep


def _cell(row: list[str], indexes: list[int]) -> str:
    return " ".join(row[i].strip() for i in indexes if i < len(row) and row[i].strip())


def _rows(reader: Iterator[list[str]], columns: dict[str, list[int]]) -> Iterator[SourceRow]:
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        phones: list[str] = []
        for index in columns["phones"]:
            if index < len(row):
                phones += [p.strip() for p in row[index].replace(",", ";").split(";") if p.strip()]
        yield SourceRow(
            line=line,
            name=_cell(row, columns["name"][:1]),
            manager=_cell(row, columns.get("manager", [])[:1]),
            phones=tuple(phones),
            status=_cell(row, columns.get("status", [])[:1]),
        )
