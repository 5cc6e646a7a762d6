"""Phone numbers as the hub sees them: one normalisation into E.164, with a kind for the rest.

Every number that enters the system passes through :func:`normalize`. A number that can be read
becomes E.164 (``+79161234567``); a withheld caller id, a short internal extension or garbage is
kept raw with a :class:`PhoneKind` flag, so nothing is ever dropped or matched by suffix.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from hub.domain.digits import plain_digits

_WITHHELD = frozenset(
    {
        "",
        "anonymous",
        "unknown",
        "<unknown>",
        "private",
        "restricted",
        "withheld",
        "unavailable",
        "hidden",
        "blocked",
        "none",
        "null",
        "0",
        "+",
        "скрыт",
        "скрытый",
        "неизвестен",
        "неизвестный",
        # Twilio's and several carriers' placeholder caller ids for a withheld number.
        "+266696687",
        "266696687",
        "+7000000000",
    }
)
_SEPARATORS = re.compile(r"[\s().\-‐‑‒–—/]")
_URI = re.compile(r"^(?:tel|sips?|callto|whatsapp|wa):", re.IGNORECASE)
_MAX_INPUT = 64


class PhoneKind(enum.StrEnum):
    """What a caller id turned out to be."""

    E164 = "e164"
    WITHHELD = "withheld"
    INTERNAL = "internal"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True, kw_only=True)
class PhoneNumber:
    """A normalised number: ``value`` is E.164 for ``kind == E164``, else the cleaned raw text."""

    raw: str
    kind: PhoneKind
    value: str

    @property
    def is_external(self) -> bool:
        """True for a real outside number that can be matched against clients and lists."""
        return self.kind is PhoneKind.E164

    @property
    def digits(self) -> str:
        """The E.164 number without the plus, as wa.me links and some vendors want it."""
        return self.value.lstrip("+")


def withheld(text: str) -> bool:
    """Is ``text`` a PBX's or carrier's word for a withheld caller id ("anonymous", ...)?"""
    return text.strip().casefold() in _WITHHELD


def _strip_uri(text: str) -> str:
    """``sip:79161234567@host;user=phone`` → ``79161234567``; a tel: URI loses its parameters."""
    if not _URI.match(text):
        return text
    body = text.split(":", 1)[1]
    body = body.split("@", 1)[0]
    body = body.split(";", 1)[0]
    return body.split("?", 1)[0]


def _direct_e164(digits: str, region: str) -> str | None:
    """Fast path for ``+<country code of region><national>``: skip the parser, keep validation."""
    code = str(phonenumbers.country_code_for_region(region))
    national = digits[len(code) :]
    if not digits.startswith(code) or not national or national[0] == "0":
        return None
    number = phonenumbers.PhoneNumber(country_code=int(code), national_number=int(national))
    return f"+{digits}" if phonenumbers.is_valid_number(number) else None


def _parse_e164(text: str, region: str) -> str | None:
    if text.startswith("+") and len(text) <= 16:
        direct = _direct_e164(text[1:], region)
        if direct is not None:
            return direct
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# Callers repeat (a client calls again, a PBX asks for the same call twice); a bounded cache keeps
# them without growing with the directory (each entry is a few objects the collector walks).
@lru_cache(maxsize=32_768)
def normalize(raw: str | None, region: str = "RU", internal_max_digits: int = 5) -> PhoneNumber:
    """Read any caller id a PBX or a person sends; never raises.

    ``region`` is the default region for numbers written without a country code; digit strings
    of at most ``internal_max_digits`` are internal extensions.
    """
    # Control characters are never part of a number (and PostgreSQL cannot store a NUL).
    original = "" if raw is None else _CONTROL.sub("", str(raw))
    text = original.strip()[: _MAX_INPUT * 2]
    if text.casefold() in _WITHHELD:
        return PhoneNumber(raw=original, kind=PhoneKind.WITHHELD, value=text)
    body = _strip_uri(text).strip()
    if body.casefold() in _WITHHELD:
        return PhoneNumber(raw=original, kind=PhoneKind.WITHHELD, value=body)
    compact = _SEPARATORS.sub("", body)
    if len(compact) > _MAX_INPUT:
        return PhoneNumber(raw=original, kind=PhoneKind.INVALID, value=compact[:_MAX_INPUT])
    if compact.startswith("00") and plain_digits(compact[2:]):
        compact = "+" + compact[2:]
    if plain_digits(compact) and len(compact) <= internal_max_digits:
        return PhoneNumber(raw=original, kind=PhoneKind.INTERNAL, value=compact)
    plain = compact.removeprefix("+")
    if not plain_digits(plain):
        return PhoneNumber(raw=original, kind=PhoneKind.INVALID, value=compact)
    if compact.startswith("+"):
        e164 = _parse_e164(compact, region)
    else:
        # Digits as the trunk sent them: first as a number of the default region (8916..., 916...,
        # 7916...), then as an international number without its plus (34600..., 49301...).
        e164 = _parse_e164(plain, region) or _parse_e164("+" + plain, region)
    if e164 is None:
        return PhoneNumber(raw=original, kind=PhoneKind.INVALID, value=compact)
    return PhoneNumber(raw=original, kind=PhoneKind.E164, value=e164)


class InvalidPhoneError(ValueError):
    """A number a person typed is not a usable external phone number."""


def require_external(raw: str, region: str) -> str:
    """The E.164 form of a number a person entered for a card or a list, or InvalidPhoneError."""
    number = normalize(raw, region)
    if number.is_external:
        return number.value
    reasons = {
        PhoneKind.WITHHELD: "is empty or a withheld caller id",
        PhoneKind.INTERNAL: "is an internal extension, not an outside number",
        PhoneKind.INVALID: "is not a valid phone number",
    }
    raise InvalidPhoneError(f"{raw!r} {reasons[number.kind]}")


@dataclass(frozen=True, slots=True)
class Normalizer:
    """:func:`normalize` bound to the configured region, handed to connectors and services."""

    region: str = "RU"
    internal_max_digits: int = 5

    def __call__(self, raw: str | None) -> PhoneNumber:
        return normalize(raw, self.region, self.internal_max_digits)
