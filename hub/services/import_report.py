"""The report of an import's rejected rows: the file's own rows, fixable and importable again.

Each rejected row is written back with the input's columns as they were, plus ``line`` (where
it stands in the input) and ``reason``, in the input's delimiter (``;`` for a workbook), as
UTF-8 with a byte order mark so that Excel opens Russian text right. The import ignores the two
added columns, so the fixed report can be imported as it is.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from hub.services.spreadsheets import Table

ADDED = ("line", "reason")


def write_report(path: Path, table: Table, rejected: Sequence[tuple[int, str]]) -> None:
    """Write the rows of ``table`` at the lines of ``rejected`` with their reasons."""
    cells = dict(table.rows)
    width = max([len(table.header), *(len(cells.get(line, [])) for line, _ in rejected)])
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=table.delimiter)
        writer.writerow([*_padded(table.header, width), *ADDED])
        for line, reason in rejected:
            writer.writerow([*_padded(cells.get(line, []), width), line, reason])


def _padded(row: list[str], width: int) -> list[str]:
    return row + [""] * (width - len(row))
