"""The outbox sender: delivers due messages within the per-chat and global rate limits.

Honours a messenger's "retry after" exactly, retries network errors and server errors with
exponential backoff (capped), stops for good on an unreachable chat (and tells the admin once),
and dead-letters what could not be delivered in time. A message is leased while it is being
sent; one whose sender died is due again when the lease runs out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from notifications.channels import Channel, Rejected, RetryAfter, Temporary, Unreachable
from storage.db import SessionFactory
from storage.models import OutboxMessage
from storage.types import utcnow
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=60)
CLAIM = 50


@dataclass(frozen=True, slots=True)
class SenderPolicy:
    per_chat_interval: float
    global_rate: float
    max_backoff: float
    dead_after: timedelta
    poll_interval: float


class OutboxSender:
    def __init__(
        self,
        factory: SessionFactory,
        channels: Mapping[str, Channel],
        policy: SenderPolicy,
        *,
        admin_chat_id: int | None = None,
    ) -> None:
        self._factory = factory
        self._channels = channels
        self._policy = policy
        self._admin_chat_id = admin_chat_id
        self._chat_ready: dict[int | None, float] = {}
        self._next_global = 0.0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._failing = False
        self.sent = 0

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                busy = await self.drain_once()
                if self._failing:
                    log.info("outbox delivery works again")
                    self._failing = False
            except Exception as exc:
                if not self._failing:
                    log.warning("outbox delivery failing (messages stay queued): %s", exc)
                    self._failing = True
                busy = 0
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._policy.poll_interval)
                self._wake.clear()

    async def drain_once(self) -> int:
        """Claim due messages and deliver them; returns how many were claimed."""
        now = utcnow()
        async with UnitOfWork(self._factory) as uow:
            claimed = list(await uow.outbox.claim(now, CLAIM, LEASE))
            await uow.commit()
        for message in claimed:
            await self._deliver(message)
        return len(claimed)

    async def _pace(self, chat_id: int | None) -> None:
        """Wait until both this chat's and the global limit allow one more message."""
        ready = max(self._chat_ready.get(chat_id, 0.0), self._next_global)
        delay = ready - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        now = time.monotonic()
        self._next_global = now + 1.0 / self._policy.global_rate
        self._chat_ready[chat_id] = now + self._policy.per_chat_interval

    async def _deliver(self, message: OutboxMessage) -> None:
        channel = self._channels.get(message.channel) or self._channels["console"]
        async with UnitOfWork(self._factory) as uow:
            row = await uow.outbox.get(message.id)
            if row is None or row.status != "pending":
                return
            now = utcnow()
            if now - row.created_at > self._policy.dead_after:
                row.status = "dead"
                await uow.commit()
                log.warning("outbox message %s dead-lettered after %s", row.id, row.last_error)
                return
            target_id: int | None = None
            if row.edit_key is not None:
                target = await uow.outbox.sent_message(row.edit_key)
                if target is None:
                    # The message to edit is not out yet: try again shortly.
                    row.next_attempt_at = now + timedelta(seconds=1)
                    await uow.commit()
                    return
                target_id = target.remote_message_id
            try:
                await self._pace(row.chat_id)
                if target_id is not None:
                    await channel.edit(row.chat_id, target_id, row.text, row.buttons)
                else:
                    row.remote_message_id = await channel.send(row.chat_id, row.text, row.buttons)
            except RetryAfter as exc:
                self._chat_ready[row.chat_id] = time.monotonic() + exc.seconds
                row.next_attempt_at = utcnow() + timedelta(seconds=exc.seconds)
                row.last_error = str(exc)
            except Unreachable as exc:
                row.status = "unreachable"
                row.last_error = str(exc)[:500]
                await self._unreachable(uow, row.manager_id, now)
            except Rejected as exc:
                row.status = "dead"
                row.last_error = str(exc)[:500]
                log.warning("outbox message %s refused by the messenger: %s", row.id, exc)
            except Temporary as exc:
                backoff = min(2.0 ** max(row.attempts - 1, 0), self._policy.max_backoff)
                row.next_attempt_at = utcnow() + timedelta(seconds=backoff)
                row.last_error = str(exc)[:500]
            else:
                row.status = "sent"
                row.sent_at = utcnow()
                self.sent += 1
            await uow.commit()

    async def _unreachable(self, uow: UnitOfWork, manager_id: int | None, now: datetime) -> None:
        manager = await uow.managers.get(manager_id) if manager_id else None
        if manager is None or manager.chat_unreachable:
            return
        manager.chat_unreachable = True
        log.warning("chat of manager %s is unreachable; their messages stop", manager.id)
        if self._admin_chat_id is None:
            return
        from notifications.catalogue import text

        await uow.outbox.enqueue(
            [
                {
                    "dedup_key": f"unreachable:{manager.id}:{manager.telegram_chat_id}",
                    "channel": "telegram",
                    "chat_id": self._admin_chat_id,
                    "manager_id": None,
                    "kind": "notice",
                    "text": text("unreachable_admin", "ru", manager=manager.name),
                    "buttons": None,
                    "message_key": None,
                    "edit_key": None,
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
            ]
        )
