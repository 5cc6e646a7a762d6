"""Extensions written after a phone number are split off it; a plain number stays whole."""

from __future__ import annotations

import pytest

from hub.domain.extensions import DialString, join_extensions, split_extension


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+7 495 123-00-00 доб. 123", DialString("+7 495 123-00-00", "123")),
        ("+7 495 123-00-00 доб.123", DialString("+7 495 123-00-00", "123")),
        ("+7 495 123-00-00, Доб 123", DialString("+7 495 123-00-00", "123")),
        ("8 (495) 123-00-00 (доб. 45)", DialString("8 (495) 123-00-00", "45")),
        ("+7 495 123-00-00 добавочный 7", DialString("+7 495 123-00-00", "7")),
        ("+7 495 123-00-00 ext. 12", DialString("+7 495 123-00-00", "12")),
        ("+1 555 123 4567 x12", DialString("+1 555 123 4567", "12")),
        ("+7 495 123-00-00 #12", DialString("+7 495 123-00-00", "12")),
        ("+7(495)1230000#12", DialString("+7(495)1230000", "12")),
        ("84951230000 вн. 3", DialString("84951230000", "3")),
        ("+7 916 123-45-67", DialString("+7 916 123-45-67")),
        ("  89161234567 ", DialString("89161234567")),
        ("доб. 12", DialString("", "12")),
        ("", DialString("")),
        ("доб", DialString("доб")),
    ],
)
def test_split_extension(text: str, expected: DialString) -> None:
    assert split_extension(text) == expected


def test_an_extension_after_a_comma_rejoins_its_number() -> None:
    assert join_extensions(["+7 495 123-00-00", "доб. 123", "+7 916 123-45-67"]) == [
        "+7 495 123-00-00 доб. 123",
        "+7 916 123-45-67",
    ]
    assert join_extensions(["доб. 5"]) == ["доб. 5"]
