"""The client sender: replies (and phone requests, templates) go out to clients' chats.

Outbound messages are the queue (``conversation_messages`` with status ``pending``): claimed
with a lease, sent through the conversation's channel, and marked ``sent`` with the channel's
id — or retried: exactly after a 429's wait, with a capped backoff after a network error or a
5xx. A chat the client closed to us, or a message the channel refuses for good, is ``failed``
and the person who wrote it is told. Each send carries the hub's key of the message, so a
channel that deduplicates (VK) never shows a retry twice; a file goes with the text as its
caption, and its content is dropped once sent; no transaction is open while a
channel is called.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from connectors.messaging import Messenger, OutgoingFile
from hub.domain.clock import Clock
from hub.domain.delivery import Rejected, RetryAfter, Temporary, Unreachable
from hub.runtime.worker import Drainer
from hub.services.conversations.replies import ASK_PHONE, TEMPLATE
from storage.db import SessionFactory
from storage.models import ConversationMessage
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=60)
CLAIM = 20


@dataclass(frozen=True, slots=True)
class SendPolicy:
    max_backoff: timedelta
    dead_after: timedelta
    poll_interval: float
    # The text of the button that shares a phone, per language already chosen.
    phone_button: str


# Tells the author of a message that could not be delivered (outbox rows in ``uow``).
Undelivered = Callable[[UnitOfWork, ConversationMessage, str], Awaitable[None]]


class ClientSender(Drainer):
    def __init__(
        self,
        factory: SessionFactory,
        messengers: Mapping[str, Messenger],
        policy: SendPolicy,
        clock: Clock,
        *,
        undelivered: Undelivered | None = None,
    ) -> None:
        self._factory = factory
        self._messengers = messengers
        self._policy = policy
        self._clock = clock
        self._undelivered = undelivered
        super().__init__(
            "client messages",
            batch=CLAIM,
            every=policy.poll_interval,
            failing="failing (replies stay queued)",
        )

    async def drain_once(self) -> int:
        async with UnitOfWork(self._factory) as uow:
            claimed = list(
                await uow.conversations.claim("pending", self._clock.now(), CLAIM, LEASE)
            )
            contacts: dict[int, str | None] = {}
            for message in claimed:
                conversation = await uow.conversations.get(message.conversation_id)
                contacts[message.id] = conversation.contact if conversation else None
            await uow.commit()
        for message in claimed:
            await self._deliver(message, contacts.get(message.id))
        return len(claimed)

    async def _deliver(self, message: ConversationMessage, contact: str | None) -> None:
        now = self._clock.now()
        changes: dict[str, object] = {}
        failure: str | None = None
        messenger = self._messengers.get(message.channel)
        if contact is None or messenger is None:
            failure = f"the channel {message.channel!r} is not configured"
        elif now - message.at > self._policy.dead_after:
            failure = f"not delivered within {self._policy.dead_after}"
        else:
            try:
                remote = await self._send(messenger, message, contact)
                changes = {
                    "status": "sent",
                    "remote_id": remote[:200],
                    "error": None,
                    # A file's content is kept only until it is sent.
                    "attachments": [
                        {k: v for k, v in dict(a).items() if k != "content"}
                        for a in message.attachments or []
                    ],
                }
            except RetryAfter as exc:
                changes = {
                    "next_attempt_at": self._clock.now() + timedelta(seconds=exc.seconds),
                    "error": str(exc),
                }
            except Temporary as exc:
                backoff = min(
                    2.0 ** max(message.attempts - 1, 0), self._policy.max_backoff.total_seconds()
                )
                changes = {
                    "next_attempt_at": self._clock.now() + timedelta(seconds=backoff),
                    "error": str(exc)[:500],
                }
            except (Unreachable, Rejected) as exc:
                failure = str(exc)
        if failure is not None:
            log.warning("message %s to a client not delivered: %s", message.id, failure)
            changes = {"status": "failed", "error": failure[:500]}
        async with UnitOfWork(self._factory) as uow:
            row = await uow.conversations.message(message.id)
            if row is None:
                return
            for key, value in changes.items():
                setattr(row, key, value)
            if failure is not None and self._undelivered is not None:
                await self._undelivered(uow, row, failure)
            await uow.commit()

    async def _send(self, messenger: Messenger, message: ConversationMessage, contact: str) -> str:
        kinds = {str(a.get("kind")) for a in message.attachments or []}
        key = f"m{message.id}"
        if ASK_PHONE in kinds:
            return await messenger.ask_phone(contact, message.text, self._policy.phone_button)
        if TEMPLATE in kinds:
            return await messenger.send_template(contact)
        for item in message.attachments or []:
            if "content" in item:
                file = OutgoingFile(
                    kind=item["kind"],
                    filename=str(item.get("name") or "file"),
                    content=base64.b64decode(str(item["content"])),
                    caption=message.text,
                )
                return await messenger.send_file(contact, file, key=key)
        return await messenger.send(contact, message.text, key=key)
