"""Zadarma's signature: the known vector, and what each event signs."""

from __future__ import annotations

import pytest

from connectors.errors import PayloadError, SignatureError
from connectors.zadarma import sign, signed_string, verify
from tests.connectors.zadarma.payloads import SECRET


def test_the_known_signature_vector() -> None:
    message = "+34600111222" + "+34987123456" + "2026-07-23 09:00:00"
    assert sign(SECRET, message) == "ZGE1ZTQwZWMwOTNhYTI3MzkyYjgwZWNmZDQwZWYwMzQ0YWMzMGQ2Ng=="
    form = {
        "event": "NOTIFY_START",
        "caller_id": "+34600111222",
        "called_did": "+34987123456",
        "call_start": "2026-07-23 09:00:00",
    }
    assert signed_string(form) == message
    assert verify(SECRET, sign(SECRET, message), form) is True


def test_what_is_refused_and_what_is_ignored() -> None:
    form = {"event": "NOTIFY_RECORD", "pbx_call_id": "in-1", "call_id_with_rec": "1.2"}
    with pytest.raises(SignatureError, match="missing"):
        verify(SECRET, None, form)
    with pytest.raises(SignatureError, match="does not match"):
        verify(SECRET, sign("another secret", "in-11.2"), form)
    with pytest.raises(PayloadError) as caught:
        verify(SECRET, "x", {"event": "NOTIFY_RECORD", "pbx_call_id": "in-1"})
    assert caught.value.field == "call_id_with_rec"
    assert verify(SECRET, None, {"event": "NOTIFY_SOMETHING_NEW"}) is False  # not ours to judge
