"""A client's files follow his message to whoever it was relayed to.

The webhook answers the channel as soon as the message is stored; its files are fetched from the
channel afterwards (the message waits as ``fetching``, claimed with a lease like the outbox), each
at most ``messages.max_file_size``, and go to the same people as the message — a photo as a
picture, anything else as a document, under a line naming the client. A file the channel will
not give (gone, too large) is named in a note instead; a channel that is down is asked again
later, a few times.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from connectors.messaging import Attachment, Messenger
from hub.domain.clock import Clock
from hub.domain.delivery import Rejected, RetryAfter, Temporary, Unreachable
from hub.runtime.worker import Drainer
from hub.services.conversations.intake import FILES
from storage.db import SessionFactory
from storage.models import ConversationMessage
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)
CLAIM = 10
# A channel down this many times running: the files are given up, and named in a note.
ATTEMPTS = 8

# Writes the outbox rows of the fetched files (name, kind, mime, content) and of the problems.
Relay = Callable[
    [UnitOfWork, ConversationMessage, list[tuple[dict[str, Any], bytes]], list[str]],
    Awaitable[None],
]


class FileRelay(Drainer):
    def __init__(
        self,
        factory: SessionFactory,
        messengers: Mapping[str, Messenger],
        clock: Clock,
        *,
        relay: Relay,
        max_size: int,
        poll_interval: float,
        relayed: Callable[[], None] = lambda: None,
    ) -> None:
        self._factory = factory
        self._messengers = messengers
        self._clock = clock
        self._relay = relay
        self._max_size = max_size
        self._relayed = relayed
        super().__init__(
            "clients' files",
            batch=CLAIM,
            every=poll_interval,
            failing="failing (files stay queued)",
        )

    async def drain_once(self) -> int:
        async with UnitOfWork(self._factory) as uow:
            claimed = list(
                await uow.conversations.claim("fetching", self._clock.now(), CLAIM, LEASE)
            )
            await uow.commit()
        for message in claimed:
            await self._one(message)
        return len(claimed)

    async def _one(self, message: ConversationMessage) -> None:
        messenger = self._messengers.get(message.channel)
        fetched: list[tuple[dict[str, Any], bytes]] = []
        problems: list[str] = []
        later: str | None = None
        for item in message.attachments or []:
            if item.get("kind") not in FILES:
                continue
            name = str(item.get("name") or item.get("kind"))
            if messenger is None:
                problems.append(f"{name}: the channel {message.channel} is not configured")
                continue
            if int(item.get("size") or 0) > self._max_size:
                problems.append(f"{name}: {_megabytes(int(item['size']))} MB, too large")
                continue
            try:
                content = await messenger.fetch(_attachment(item))
            except (RetryAfter, Temporary) as exc:
                later = str(exc)
                break
            except (Unreachable, Rejected) as exc:
                problems.append(f"{name}: {exc}")
                continue
            if len(content) > self._max_size:
                problems.append(f"{name}: {_megabytes(len(content))} MB, too large")
                continue
            fetched.append((item, content))
        async with UnitOfWork(self._factory) as uow:
            row = await uow.conversations.message(message.id)
            if row is None:
                return
            if later is not None and row.attempts < ATTEMPTS:
                backoff = min(2.0**row.attempts, 300.0)
                row.next_attempt_at = self._clock.now() + timedelta(seconds=backoff)
                row.error = later[:500]
                await uow.commit()
                return
            if later is not None:
                problems.append(f"the channel did not give the files: {later}")
            await self._relay(uow, row, fetched, problems)
            row.status = "received"
            row.next_attempt_at = None
            await uow.commit()
        self._relayed()


def _attachment(item: dict[str, Any]) -> Attachment:
    return Attachment(
        kind=item["kind"],
        ref=str(item.get("ref") or ""),
        name=item.get("name"),
        mime=item.get("mime"),
        size=item.get("size"),
    )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"
