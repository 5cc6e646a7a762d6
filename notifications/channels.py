"""Delivery channels: how a message reaches a person. Telegram first; the log without a token.

A channel sends or edits one message (or sends a file after one, or a picture or a file with the
message as its caption) and names what went wrong with
an exception the sender knows how to handle: wait exactly this long, retry later, or stop — this
chat is unreachable.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any, Protocol

from hub.domain.delivery import DeliveryError, Rejected, RetryAfter, Temporary, Unreachable

__all__ = [
    "Channel",
    "ConsoleChannel",
    "DeliveryError",
    "Rejected",
    "RetryAfter",
    "Temporary",
    "Unreachable",
]

log = logging.getLogger(__name__)


class Channel(Protocol):
    async def send(self, chat_id: int | None, text: str, buttons: Any) -> int | str:
        """Deliver a message; returns the messenger's id for the message (to edit it later):
        a number (Telegram) or a text (MAX's "mid.…", an e-mail's Message-ID)."""
        ...

    async def edit(
        self, chat_id: int | None, message_id: int | str, text: str, buttons: Any
    ) -> None:
        """Replace the text (and buttons) of a delivered message."""
        ...

    async def send_document(
        self,
        chat_id: int | None,
        filename: str,
        content: bytes,
        caption: str = "",
        buttons: Any = None,
    ) -> int | str:
        """Deliver a file: after a message (a report's CSV or XLSX), or as the message itself
        with ``caption`` under it (a client's file relayed); returns the messenger's id for the
        message."""
        ...

    async def send_photo(
        self, chat_id: int | None, photo: bytes, caption: str, buttons: Any
    ) -> int | str:
        """Deliver a picture (a digest's chart) with ``caption`` under it; returns the
        messenger's id for the message."""
        ...


class ConsoleChannel:
    """Writes messages to the log: what `make run` shows without a Telegram token (and for a
    person without a chat). The sender's line that follows says which outbox message it was and
    to whom."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    async def send(self, chat_id: int | None, text: str, buttons: Any) -> int:
        log.info("message (no Telegram chat to deliver it to):\n%s", text)
        return next(self._ids)

    async def edit(
        self, chat_id: int | None, message_id: int | str, text: str, buttons: Any
    ) -> None:
        log.info("message edited (no Telegram chat to deliver it to):\n%s", text)

    async def send_document(
        self,
        chat_id: int | None,
        filename: str,
        content: bytes,
        caption: str = "",
        buttons: Any = None,
    ) -> int:
        log.info(
            "document (no Telegram chat to deliver it to): %s (%d bytes)%s",
            filename,
            len(content),
            f" with the caption:\n{caption}" if caption else "",
        )
        return next(self._ids)

    async def send_photo(
        self, chat_id: int | None, photo: bytes, caption: str, buttons: Any
    ) -> int:
        log.info(
            "picture (no Telegram chat to deliver it to, %d bytes) with the caption:\n%s",
            len(photo),
            caption,
        )
        return next(self._ids)
