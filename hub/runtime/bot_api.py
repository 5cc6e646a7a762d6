"""A Bot API request through aiogram, its failure told as a delivery error — one reading for the
company bot's messages to clients and the staff's alerts alike.

429 → wait exactly ``retry_after``; 403 (the person blocked the bot) and "chat not found" →
unreachable; the network, timeouts, 5xx, an answer that is not JSON, a refused token and a
webhook/polling conflict → retry later (nothing is lost while an administrator fixes the token);
a file too large (413) and any other refusal → rejected for good.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)

from hub.domain.delivery import Rejected, RetryAfter, Temporary, Unreachable

Result = TypeVar("Result")


async def call(request: Awaitable[Result]) -> Result:
    """Await a Bot API request, its failure told as a delivery error."""
    try:
        return await request
    except TelegramRetryAfter as exc:
        raise RetryAfter(float(exc.retry_after)) from exc
    except TelegramForbiddenError as exc:
        raise Unreachable(exc.message) from exc
    except TelegramEntityTooLarge as exc:
        # aiogram counts a 413 among the network's errors; sent again, it is refused again.
        raise Rejected(exc.message) from exc
    except (TelegramNetworkError, TelegramServerError, ClientDecodeError) as exc:
        raise Temporary(str(exc)) from exc
    except TelegramUnauthorizedError as exc:
        raise Temporary(f"Telegram refused the bot's token: {exc.message}") from exc
    except TelegramConflictError as exc:
        raise Temporary(exc.message) from exc
    except TelegramBadRequest as exc:
        if "chat not found" in exc.message.lower():
            raise Unreachable(exc.message) from exc
        raise Rejected(exc.message) from exc
    except TelegramAPIError as exc:
        raise Rejected(exc.message) from exc
