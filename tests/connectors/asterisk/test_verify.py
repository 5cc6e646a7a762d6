"""The routing URL's key: required only when configured, compared in constant time."""

from __future__ import annotations

import pytest

from connectors.asterisk import verify
from connectors.errors import SignatureError


def test_the_key_when_configured_and_anything_without() -> None:
    verify(None, None)
    verify(None, "whatever")
    verify("secret", "secret")
    for wrong in (None, "", "secre", "secret2"):
        with pytest.raises(SignatureError, match="key is missing or wrong"):
            verify("secret", wrong)
