"""aiogram's failures read as delivery errors, the same for the company bot and the staff's
alerts: what is retried, after how long, what reroutes a message, and what kills it."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import SendMessage

from hub.domain.delivery import DeliveryError, Rejected, RetryAfter, Temporary, Unreachable
from hub.runtime.bot_api import call

METHOD = SendMessage(chat_id=1, text="…")


async def _failing(exc: Exception) -> Any:
    raise exc


async def _read(exc: Exception) -> DeliveryError:
    with pytest.raises(DeliveryError) as raised:
        await call(_failing(exc))
    assert raised.value.__cause__ is exc
    return raised.value


@pytest.mark.parametrize(
    ("failure", "read_as"),
    [
        (TelegramForbiddenError(METHOD, "Forbidden: bot was blocked by the user"), Unreachable),
        (TelegramBadRequest(METHOD, "Bad Request: chat not found"), Unreachable),
        (TelegramBadRequest(METHOD, "Bad Request: message text is empty"), Rejected),
        (TelegramEntityTooLarge(METHOD, "Request Entity Too Large"), Rejected),
        (TelegramNetworkError(METHOD, "timeout"), Temporary),
        (TelegramServerError(METHOD, "Bad Gateway"), Temporary),
        (ClientDecodeError("not JSON", ValueError("<html>"), "<html>"), Temporary),
        (TelegramUnauthorizedError(METHOD, "Unauthorized"), Temporary),
        (TelegramConflictError(METHOD, "Conflict: terminated by other getUpdates"), Temporary),
    ],
)
async def test_each_failure_is_read_as_a_delivery_error(
    failure: Exception, read_as: type[DeliveryError]
) -> None:
    assert type(await _read(failure)) is read_as


async def test_a_429_waits_exactly_as_long_as_telegram_asks() -> None:
    read = await _read(TelegramRetryAfter(METHOD, "Too Many Requests", retry_after=7))
    assert isinstance(read, RetryAfter)
    assert read.seconds == 7.0


async def test_an_answer_passes_through() -> None:
    async def answered() -> int:
        return 42

    assert await call(answered()) == 42
