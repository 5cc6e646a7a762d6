"""Plain ASCII digits: what every number we accept from outside is made of.

``str.isdigit`` also says yes to ``²`` or ``①``, which ``int`` then refuses; input that looks like
a number must be checked with :func:`plain_digits` instead.
"""

from __future__ import annotations


def plain_digits(text: str) -> bool:
    """True for a non-empty string of 0–9 only."""
    return text.isascii() and text.isdigit()


# The largest id a record can have (a 32-bit integer column, on PostgreSQL as well).
MAX_ID = 2**31 - 1


def record_id(text: str) -> int | None:
    """The id ``text`` names (1 to :data:`MAX_ID`), or None for anything else."""
    if not plain_digits(text) or len(text) > 10:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None
