"""The phones of an imported row as written: each split from its extension and normalised.

Pure and picklable, so that a big import can read its rows' phones ahead in another process
(``hub/services/phones_ahead.py``) with the same result as in place. A phone read is a named
tuple of strings, not a tree of objects: the importer unpickles a hundred thousand of them, and a
tuple comes back several times faster than a frozen dataclass (which is set field by field).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from hub.domain.extensions import split_extension
from hub.domain.phone import Normalizer


class WrittenPhone(NamedTuple):
    raw: str  # the cell's piece as written
    number: str  # its number part, normalised: E.164 for an outside number, else as cleaned
    external: bool  # a real outside number (``PhoneNumber.is_external``)
    ext: str  # the extension written after it ("" when none)


def read_phones(cells: Sequence[Sequence[str]], normalize: Normalizer) -> list[list[WrittenPhone]]:
    """Each row's phones (``cells``: one sequence of pieces per row), read."""
    found: list[list[WrittenPhone]] = []
    for pieces in cells:
        row: list[WrittenPhone] = []
        for raw in pieces:
            written = split_extension(raw)
            number = normalize(written.number)
            row.append(WrittenPhone(raw, number.value, number.is_external, written.ext))
        found.append(row)
    return found
