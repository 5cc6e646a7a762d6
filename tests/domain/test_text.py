"""Control characters in names and notes: which are found, and which notes keep."""

from __future__ import annotations

import pytest

from hub.domain.text import control_character


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("ООО Вектор", None),
        ("a\x00b", "U+0000"),
        ("\x1b[31mred", "U+001B"),
        ("del\x7f", "U+007F"),
        ("c1\x85", "U+0085"),
        ("two\nlines", "U+000A"),
        ("tab\there", "U+0009"),
    ],
)
def test_a_name_refuses_every_control_character(text: str, found: str | None) -> None:
    assert control_character(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("one\ntwo\r\nthree\tfour", None),
        ("carriage\rreturn", "U+000D"),
        ("ends with\r", "U+000D"),
        ("bell\x07", "U+0007"),
    ],
)
def test_notes_keep_newlines_and_tabs_only(text: str, found: str | None) -> None:
    assert control_character(text, multiline=True) == found
