"""A webhook post is MAX's own when it carries the subscription's secret in
``X-Max-Bot-Api-Secret``; anything else is 401 and is not read."""

from __future__ import annotations

import pytest

from connectors.errors import SignatureError
from connectors.max import SPEC, verify
from connectors.messaging import WebhookRequest
from tests.connectors.max.conftest import posted, section
from tests.support.max_api import SECRET, MaxApi

UPDATE = MaxApi().message_created(1, 2, "привет")


def test_the_secret_opens_the_door() -> None:
    verify(section(), posted(UPDATE))
    SPEC.verify(section(), posted(UPDATE))


def test_the_header_is_found_in_any_case() -> None:
    request = WebhookRequest(
        method="POST", headers={"x-max-bot-api-secret": SECRET}, query={}, body=b"{}"
    )
    verify(section(), request)


@pytest.mark.parametrize(
    ("secret", "words"),
    [
        (None, "missing"),
        ("", "missing"),
        ("another-secret", "does not match"),
        (SECRET + "x", "does not match"),
    ],
)
def test_a_wrong_or_missing_secret_is_refused(secret: str | None, words: str) -> None:
    with pytest.raises(SignatureError, match=words) as caught:
        verify(section(), posted(UPDATE, secret=secret))
    assert caught.value.status == 401


def test_the_secret_in_the_query_is_not_enough() -> None:
    request = WebhookRequest(method="POST", headers={}, query={"secret": SECRET}, body=b"{}")
    with pytest.raises(SignatureError):
        verify(section(), request)
