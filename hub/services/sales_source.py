"""Reading sales exports: which client (by name or phone), the day and the amount of each sale.

A 1C report of sales names its columns «Контрагент», «Дата», «Сумма» (or close variants); other
exports use English headers. The file, CSV or XLSX, is read as every import reads it
(``spreadsheets``: the encoding and delimiter detected, extra columns ignored). Dates come as
``25.11.2026``, ``25.11.2026 0:00:00`` or ``2026-11-25`` (or a date cell); amounts as
``1 234,56``, ``1234.56`` or ``1,234.56``, with or without a currency sign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from hub.services.csv_source import ALIASES, cell, phones_of
from hub.services.spreadsheets import CsvFormatError, Table, read_table

SALE_ALIASES: dict[str, tuple[str, ...]] = {
    "client": (
        *ALIASES["name"],
        "покупатель",
        "заказчик",
        "контрагент (покупатель)",
        "customer",
        "buyer",
        "client name",
    ),
    "phones": ALIASES["phones"],
    "date": (
        "date",
        "sale date",
        "sold on",
        "дата",
        "дата документа",
        "дата продажи",
        "дата реализации",
        "дата отгрузки",
        "дата оплаты",
        "период",
    ),
    "amount": (
        "amount",
        "sum",
        "total",
        "сумма",
        "сумма документа",
        "сумма продажи",
        "сумма с ндс",
        "сумма реализации",
        "итого",
        "выручка",
        "стоимость",
    ),
}

DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
_NOT_DIGITS = re.compile(r"[^0-9,.\-]")


@dataclass(frozen=True, slots=True)
class SaleRow:
    line: int
    client: str
    phones: tuple[str, ...]
    sold_on: str
    amount: str
    content: str  # the whole row, for telling two sales apart


def read_sales(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None
) -> tuple[list[SaleRow], Table]:
    """All data rows of a sales export, and the table they were read from (for the report)."""
    table = read_table(path, SALE_ALIASES, encoding=encoding, delimiter=delimiter)
    columns = table.columns
    missing = [c for c in ("date", "amount") if c not in columns]
    if "client" not in columns and "phones" not in columns:
        missing.insert(0, "client (or phone)")
    if missing:
        raise CsvFormatError(
            f"{path}: no column for {', '.join(missing)} in the header {table.header!r}; "
            "expected client,phone,date,amount (or 1C's Контрагент,Телефон,Дата,Сумма)"
        )
    rows = [
        SaleRow(
            line=line,
            client=cell(row, columns.get("client", [])[:1]),
            phones=tuple(phones_of(row, columns.get("phones", []))),
            sold_on=cell(row, columns["date"][:1]),
            amount=cell(row, columns["amount"][:1]),
            content="\x1f".join(c.strip() for c in row),
        )
        for line, row in table.rows
    ]
    return rows, table


def parse_day(text: str) -> date | None:
    """The day a cell names (a time after it is ignored), or None."""
    head = text.strip().split(" ")[0].split("T")[0]
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(head, pattern).date()  # noqa: DTZ007 (a day, no moment)
        except ValueError:
            continue
    return None


def parse_amount(text: str) -> Decimal | None:
    """The amount a cell names (spaces, a currency and thousands separators allowed), or None."""
    digits = _NOT_DIGITS.sub("", text.replace("\xa0", "").replace("\u202f", ""))
    digits = digits.rstrip(".,")  # "руб." leaves a dot behind
    if "," in digits and "." in digits:
        thousands = "," if digits.rfind(",") < digits.rfind(".") else "."
        digits = digits.replace(thousands, "")
    digits = digits.replace(",", ".")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
