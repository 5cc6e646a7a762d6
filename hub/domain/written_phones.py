"""The phones of an imported row as written: each split from its extension and normalised.

Pure and picklable, so that a big import can read its rows' phones ahead in another process
(``hub/services/phones_ahead.py``) with the same result as in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hub.domain.extensions import split_extension
from hub.domain.phone import Normalizer, PhoneNumber


@dataclass(frozen=True, slots=True)
class WrittenPhone:
    raw: str  # the cell's piece as written
    number: PhoneNumber  # its number part, normalised
    ext: str  # the extension written after it ("" when none)


def read_phones(cells: Sequence[Sequence[str]], normalize: Normalizer) -> list[list[WrittenPhone]]:
    """Each row's phones (``cells``: one sequence of pieces per row), read."""
    found: list[list[WrittenPhone]] = []
    for pieces in cells:
        row: list[WrittenPhone] = []
        for raw in pieces:
            written = split_extension(raw)
            row.append(WrittenPhone(raw, normalize(written.number), written.ext))
        found.append(row)
    return found
