"""Plain ASCII digits: what every number we accept from outside is made of.

``str.isdigit`` also says yes to ``²`` or ``①``, which ``int`` then refuses; input that looks like
a number must be checked with :func:`plain_digits` instead.
"""

from __future__ import annotations


def plain_digits(text: str) -> bool:
    """True for a non-empty string of 0–9 only."""
    return text.isascii() and text.isdigit()
