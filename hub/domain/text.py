"""Text people type into names and notes: what may not be in it.

A control character in a name (a NUL, the ESC that starts a terminal's colour sequence, a
backspace...) is never meant: it hides text in a log, breaks a CSV export or a Telegram message,
and PostgreSQL refuses a NUL outright. Names refuse every one of them; notes, which span lines,
keep the ordinary newline (``\\n`` or ``\\r\\n``) and tab.
"""

from __future__ import annotations

import unicodedata

MULTILINE = frozenset({"\n", "\t"})


def control_character(text: str, *, multiline: bool = False) -> str | None:
    """The first control character in ``text`` (``U+001B``), or None when there is none.

    Control characters are C0 (below U+0020), DEL and C1 (U+0080–U+009F); ``multiline`` allows
    the newline, a carriage return right before it, and the tab."""
    allowed = MULTILINE if multiline else frozenset()
    for index, char in enumerate(text):
        if unicodedata.category(char) != "Cc" or char in allowed:
            continue
        if multiline and char == "\r" and text[index + 1 : index + 2] == "\n":
            continue
        return f"U+{ord(char):04X}"
    return None
