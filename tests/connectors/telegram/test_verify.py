"""A webhook post is Telegram's only with the bot's secret; a polling bot takes no posts."""

from __future__ import annotations

import pytest

from connectors.errors import SignatureError
from connectors.telegram import SECRET_HEADER, verify
from tests.connectors.telegram.conftest import CLIENT, SECRET, post, section, webhook
from tests.support.telegram_stub import BotApiStub


def test_the_right_secret_passes_in_any_case_of_the_header() -> None:
    update = BotApiStub().as_update(CLIENT, "hi")
    verify(webhook(), post(update, {SECRET_HEADER: SECRET}))
    verify(webhook(), post(update, {SECRET_HEADER.lower(): SECRET}))


@pytest.mark.parametrize(
    ("headers", "said"),
    [
        ({}, "missing"),
        ({SECRET_HEADER: ""}, "missing"),
        ({SECRET_HEADER: SECRET + "x"}, "does not match"),
        ({SECRET_HEADER: SECRET.upper()}, "does not match"),
        ({"X-Telegram-Bot-Api-Secret": SECRET}, "missing"),
    ],
)
def test_a_wrong_or_missing_secret_is_refused(headers: dict[str, str], said: str) -> None:
    with pytest.raises(SignatureError) as caught:
        verify(webhook(), post(BotApiStub().as_update(CLIENT, "hi"), headers))
    assert said in str(caught.value) and SECRET_HEADER in str(caught.value)
    assert caught.value.status == 401


def test_a_polling_bot_takes_no_webhook_post() -> None:
    with pytest.raises(SignatureError) as caught:
        verify(section(webhook_secret=SECRET), post({}, {SECRET_HEADER: SECRET}))
    assert "polls" in str(caught.value)
