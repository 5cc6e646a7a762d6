"""Twilio's signature: the URL it signed, rebuilt behind a proxy, and the official validator."""

from __future__ import annotations

import pytest
from yarl import URL

from connectors.errors import SignatureError
from connectors.twilio import public_url, verify
from tests.connectors.twilio.payloads import PUBLIC, TOKEN, call, sign


def test_public_url_behind_a_proxy() -> None:
    seen = URL("http://10.0.0.5:8080/api/v1/hooks/tw/voice?x=1")
    assert public_url(seen, {}, "https://pub.example.com/") == (
        "https://pub.example.com/api/v1/hooks/tw/voice?x=1"
    )
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "pub.example.com"}
    assert public_url(seen, forwarded, None) == "https://pub.example.com/api/v1/hooks/tw/voice?x=1"
    assert public_url(seen, {}, None) == str(seen)


def test_a_signature_holds_for_its_url_only() -> None:
    url = PUBLIC + "/api/v1/hooks/tw/voice"
    params = call("CA" + "a" * 32)
    verify(TOKEN, url, params, sign(url, params))
    with pytest.raises(SignatureError, match="missing"):
        verify(TOKEN, url, params, None)
    with pytest.raises(SignatureError, match="does not match"):
        verify(TOKEN, PUBLIC + "/api/v1/hooks/tw/status", params, sign(url, params))
