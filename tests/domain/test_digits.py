"""Only 0–9 count as digits in anything we parse."""

from __future__ import annotations

import pytest

from hub.domain.digits import plain_digits


@pytest.mark.parametrize(("text", "expected"), [("0", True), ("0123456789", True), ("", False)])
def test_ascii_digits(text: str, expected: bool) -> None:
    assert plain_digits(text) is expected


@pytest.mark.parametrize("text", ["²", "1²", "①", "٣", "１２", "-1", "1 ", "1.0"])
def test_other_digits_and_signs_are_not_plain(text: str) -> None:
    assert not plain_digits(text)
