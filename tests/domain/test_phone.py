"""Phone normalisation: every input form a PBX or a person sends."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.domain.phone import InvalidPhoneError, PhoneKind, normalize, require_external, withheld


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+7 (916) 123-45-67", "+79161234567"),
        ("89161234567", "+79161234567"),
        ("79161234567", "+79161234567"),
        ("9161234567", "+79161234567"),
        ("8-10-49-30-1234567", "+49301234567"),
        ("+1 415 555 2671", "+14155552671"),
        ("tel:+7-916-123-45-67", "+79161234567"),
        ("tel:+79161234567;ext=12", "+79161234567"),
        ("sip:79161234567@pbx.example.com", "+79161234567"),
        ("sips:+79161234567@pbx.example.com;user=phone", "+79161234567"),
        ("0079161234567", "+79161234567"),
        ("34600111222", "+34600111222"),
        ("  +7 916 123 45 67  ", "+79161234567"),
    ],
)
def test_external_numbers_become_e164(raw: str, expected: str) -> None:
    number = normalize(raw)
    assert number.kind is PhoneKind.E164
    assert number.value == expected
    assert number.raw == raw


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "anonymous",
        "Anonymous",
        "<unknown>",
        "private",
        "Restricted",
        "+266696687",
        None,
        "sip:anonymous@anonymous.invalid",
    ],
)
def test_withheld_caller_ids_are_flagged_not_dropped(raw: str | None) -> None:
    number = normalize(raw)
    assert number.kind is PhoneKind.WITHHELD
    assert not number.is_external


@pytest.mark.parametrize(
    ("raw", "value"), [("101", "101"), ("2001", "2001"), ("sip:101@pbx.local", "101")]
)
def test_short_extensions_are_internal(raw: str, value: str) -> None:
    number = normalize(raw)
    assert number.kind is PhoneKind.INTERNAL
    assert number.value == value


@pytest.mark.parametrize("raw", ["12345678", "abc", "+7916", "+0000000000000", "1-800-FLOWERS"])
def test_invalid_numbers_keep_their_text(raw: str) -> None:
    number = normalize(raw)
    assert number.kind is PhoneKind.INVALID
    assert number.value  # kept, never silently emptied
    assert number.raw == raw


def test_no_suffix_matching_between_regions() -> None:
    # The same ten digits in another country are another number.
    assert normalize("+1 916 123 4567").value != normalize("9161234567").value


def test_default_region_is_used_for_national_numbers() -> None:
    assert normalize("0301234567", "DE").value == "+49301234567"
    assert normalize("(415) 555-2671", "US").value == "+14155552671"


def test_require_external_explains_the_problem() -> None:
    with pytest.raises(InvalidPhoneError, match="internal extension"):
        require_external("101", "RU")
    with pytest.raises(InvalidPhoneError, match="not a valid phone number"):
        require_external("12345678", "RU")
    assert require_external("8 916 123-45-67", "RU") == "+79161234567"


@settings(max_examples=500)
@given(st.text(max_size=80))
def test_never_raises_on_arbitrary_text(raw: str) -> None:
    number = normalize(raw)
    assert number.kind in set(PhoneKind)
    if number.kind is PhoneKind.E164:
        assert number.value.startswith("+")
        assert phonenumbers.is_valid_number(phonenumbers.parse(number.value))


_RU_MOBILE = st.integers(min_value=9_000_000_000, max_value=9_999_999_999).map(str)


def _formats(national: str) -> list[str]:
    a, b, c, d = national[:3], national[3:6], national[6:8], national[8:]
    return [
        f"+7{national}",
        f"8{national}",
        f"7{national}",
        national,
        f"+7 ({a}) {b}-{c}-{d}",
        f"8 {a} {b} {c} {d}",
        f"tel:+7-{a}-{b}-{c}-{d}",
        f"sip:7{national}@pbx.example.com",
        f"007{national}",
    ]


@settings(max_examples=300)
@given(_RU_MOBILE)
def test_every_written_form_of_a_number_round_trips(national: str) -> None:
    canonical = normalize(f"+7{national}")
    if canonical.kind is not PhoneKind.E164:
        return  # not an allocated range: nothing to round-trip
    for form in _formats(national):
        assert normalize(form).value == canonical.value, form
    assert normalize(canonical.value) == normalize(canonical.value)
    assert normalize(canonical.value).value == canonical.value


@settings(max_examples=200)
@given(st.sampled_from(sorted(phonenumbers.SUPPORTED_REGIONS)))
def test_example_numbers_of_every_region_are_idempotent(region: str) -> None:
    example = phonenumbers.example_number(region)
    if example is None:
        return
    e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    international = phonenumbers.format_number(
        example, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    assert normalize(e164).value == e164
    assert normalize(international).value == e164
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    digits = "".join(ch for ch in national if ch.isdigit())
    if len(digits) <= 5:
        # Five digits or fewer read as an internal extension; such regions need the + form.
        assert normalize(national, region).kind is PhoneKind.INTERNAL
    else:
        assert normalize(national, region).value == e164


def test_control_characters_are_not_part_of_a_number() -> None:
    assert normalize("+7 916\x00 123-45-67").value == "+79161234567"
    assert "\x00" not in normalize("\x00abc").value


def test_a_withheld_caller_id_is_told_from_a_number() -> None:
    assert withheld("anonymous") and withheld(" Private ") and withheld("скрыт")
    assert not withheld("+79031112233") and not withheld("101")
