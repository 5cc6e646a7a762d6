"""Phone extensions written after a number: «+7 495 123-00-00 доб. 123», «… ext. 12», «… #12».

Office numbers in CRM exports carry the extension the caller dials after the switchboard
answers. The number alone is what a PBX reports and what a client is found by, so the two are
split here: the number goes on to :func:`hub.domain.phone.normalize`, the extension is kept
beside it as digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARK = r"(?:доб(?:авочный)?|вн(?:утр(?:енний)?)?|ext(?:ension)?|x|х)\.?\s*:?"
_EXTENSION = re.compile(
    rf"^(?P<number>.*?)[\s,;]*\(?\s*(?:{_MARK}\s*|\#\s*)(?P<ext>\d{{1,10}})\s*\)?\s*$",
    re.IGNORECASE,
)
_ONLY_WORD = re.compile(rf"^\s*{_MARK}\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DialString:
    """A phone as written: the number part and its extension ("" when there is none)."""

    number: str
    ext: str = ""


def split_extension(text: str) -> DialString:
    """``"+7 495 123-00-00 доб. 123"`` → ``DialString("+7 495 123-00-00", "123")``.

    The extension needs a mark (``доб``, ``добавочный``, ``вн``, ``ext``, ``x``, ``#``) with or
    without a dot; without a mark the text is all number. An extension alone (``"доб. 12"``)
    has an empty number."""
    found = _EXTENSION.match(text)
    if found is None or _ONLY_WORD.match(found["number"]):
        return DialString(text.strip())
    number = found["number"].strip().rstrip(",;").strip()
    if not number:
        return DialString("", found["ext"])
    if not (number[-1].isdigit() or number[-1] == ")"):
        return DialString(text.strip())  # a number ends in a digit (or its area code's ")")
    return DialString(number, found["ext"])


def join_extensions(pieces: list[str]) -> list[str]:
    """Phones split from one cell by ``;`` or ``,``: an extension written after the comma
    (``"+7 495 123-00-00, доб. 123"``) goes back to the number before it."""
    joined: list[str] = []
    for piece in pieces:
        alone = split_extension(piece)
        if joined and alone.ext and not alone.number:
            joined[-1] = f"{joined[-1]} {piece}"
        else:
            joined.append(piece)
    return joined
