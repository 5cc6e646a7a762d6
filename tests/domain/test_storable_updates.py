"""Which call updates storage can keep as given (hub/domain/calls.py: CallUpdate.unstorable):
a text field with a NUL character or longer than storage keeps is named, with what is wrong."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from hub.domain.calls import MAX_LENGTHS, CallState, CallUpdate, Direction
from hub.domain.phone import Normalizer

NORMALIZE = Normalizer("RU", 5)


BASE = CallUpdate(
    connector="asterisk",
    call_id="1700000000.1",
    direction=Direction.INBOUND,
    state=CallState.RINGING,
    caller=NORMALIZE("+79031112233"),
    callee=NORMALIZE("+74950001122"),
)


def _update(**texts: Any) -> CallUpdate:
    return replace(BASE, **texts)


def test_an_update_within_every_limit_is_storable() -> None:
    at_limits = {name: "x" * limit for name, limit in MAX_LENGTHS.items()}
    assert _update(**at_limits).unstorable() is None


@pytest.mark.parametrize("field", sorted(MAX_LENGTHS))
def test_one_character_too_many_is_named(field: str) -> None:
    limit = MAX_LENGTHS[field]
    assert _update(**{field: "x" * (limit + 1)}).unstorable() == (
        field,
        f"{field} is longer than {limit} characters",
    )


def test_a_nul_character_is_named_before_the_length_and_fields_in_order() -> None:
    too_long_with_nul = "a\x00" + "x" * 300
    assert _update(leg=too_long_with_nul).unstorable() == ("leg", "leg contains a NUL character")
    update = _update(leg="a\x00b", recording_url="x" * 5000)
    assert update.unstorable() == ("leg", "leg contains a NUL character")
