"""The outbox sender: delivers due messages within the per-chat and global rate limits.

A message's documents (a report's files) follow its text, each sent once even across retries. A
message with a picture (a digest's chart, a client's photo relayed) goes as that picture with the
text as its caption, one message, and so does one with a file marked to be the message (a
client's document relayed: a reply to it is a reply to the message); a text too long for a
caption goes first, the picture or file after it — the text then stays the message that an edit
would replace, and the figures are read before the picture is looked at.
Honours a messenger's "retry after" exactly, retries network errors and server errors with
exponential backoff (capped), stops for good on an unreachable chat (and tells the admin once),
and dead-letters what could not be delivered in time. A message is leased while it is being
sent; one whose sender died is due again when the lease runs out.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hub.domain.clock import Clock
from hub.runtime.pacing import GiveWay
from hub.runtime.worker import Drainer
from notifications.catalogue import Language, text
from notifications.channels import Channel, Rejected, RetryAfter, Temporary, Unreachable
from notifications.edits import Edit, Keyed, edit_step
from notifications.rows import FILE, PHOTO, SEND_AS, chat_row, reach
from storage.db import SessionFactory
from storage.models import Manager, OutboxMessage
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
# How long a claimed message is ours; a messenger request gives up well before (the Telegram
# channel after 20 s), so no other instance takes over a message that is still being sent.
LEASE = timedelta(seconds=60)
CLAIM = 50
# Rather than wait longer than this for the chat that is ready soonest, claim more messages.
DEFER_AFTER = 0.05
# At most this many claimed messages per chat, and in all, wait in memory (well within LEASE).
HOLD_PER_CHAT = 5
MAX_HELD = 250
# After a wake-up (alerts put in the outbox), gather for this long: a steady trickle of alerts
# is then claimed and marked a few at a time, not two transactions for every message.
GATHER = 0.25
# What became of delivered messages is written for this many at once (and before any wait).
MARK_BATCH = 50
# Messages delivered between two turns of the other tasks (a console delivery, a log line,
# takes some 50 µs: a turn every half a millisecond).
TURN = 10
# Telegram's longest caption, in UTF-16 code units (an emoji counts two).
CAPTION_LIMIT = 1024


def fits_caption(text: str) -> bool:
    return len(text.encode("utf-16-le")) // 2 <= CAPTION_LIMIT


def short_caption(text: str) -> str:
    """A picture's caption when the text went on its own: the text's first line (its title)."""
    line = text.split("\n", 1)[0]
    return line if fits_caption(line) else line[: CAPTION_LIMIT // 2 - 1] + "…"


@dataclass(frozen=True, slots=True)
class SenderPolicy:
    per_chat_interval: float
    global_rate: float
    max_backoff: float
    dead_after: timedelta
    poll_interval: float


class OutboxSender(Drainer):
    def __init__(
        self,
        factory: SessionFactory,
        channels: Mapping[str, Channel],
        policy: SenderPolicy,
        clock: Clock,
        *,
        admin_chat_id: int | None = None,
        language: Language = "ru",
    ) -> None:
        self._factory = factory
        self._channels = channels
        self._policy = policy
        self._clock = clock
        self._admin_chat_id = admin_chat_id
        self._language: Language = language
        self._chat_ready: dict[int | None, float] = {}
        self._names: dict[int, str] = {}
        self._next_global = 0.0
        # What became of messages handled since the last write (see _mark), and their edit keys.
        self._marks: dict[int, dict[str, object]] = {}
        self._marked_keys: set[str] = set()
        # Whether this round gave messages back due at once (a chat's beyond the first few).
        self._gave_back = False
        super().__init__(
            "outbox delivery",
            batch=CLAIM,
            every=policy.poll_interval,
            gather=GATHER,
            failing="failing (messages stay queued)",
        )

    async def drain_once(self) -> int:
        """Claim due messages and deliver them; returns how many were claimed (a whole batch
        when some went back due at once, a chat's beyond the first few: more is waiting).

        A chat's messages go in their order, but chats take turns: the next message is always
        one whose chat is ready soonest, so a busy chat does not hold the others up. While even
        that chat must wait, messages for other chats are claimed and sent meanwhile.
        """
        queues: dict[int | None, deque[OutboxMessage]] = {}
        self._gave_back = False
        # What became of an earlier round's messages, if the database was away when it ended:
        # written before anything is claimed, so that none of them is claimed and sent again.
        await self._write_marks()
        try:
            total = await self._claim_into(queues)
            total += await self._drain(queues)
        finally:
            await self._write_marks()
        return max(total, CLAIM) if self._gave_back else total

    async def _drain(self, queues: dict[int | None, deque[OutboxMessage]]) -> int:
        total = 0
        give_way = GiveWay(TURN)
        while queues:
            chat = min(queues, key=self._ready_at)
            held = sum(len(queue) for queue in queues.values())
            if self._ready_at(chat) - time.monotonic() > DEFER_AFTER and held < MAX_HELD:
                more = await self._claim_into(queues)
                total += more
                if more:
                    continue
            await self._deliver(queues[chat].popleft())
            if not queues[chat]:
                del queues[chat]
            # A channel that answers at once (the console's log) would otherwise deliver a whole
            # claim without letting a routing request in.
            await give_way.tick()
        return total

    def _ready_at(self, chat_id: int | None) -> float:
        return self._chat_ready.get(chat_id, 0.0)

    async def _claim_into(self, queues: dict[int | None, deque[OutboxMessage]]) -> int:
        """Claim due messages for chats not in ``queues`` and queue them per chat; a chat's
        messages beyond the first few go back, due at once (not counted as an attempt)."""
        now = self._clock.now()
        busy = {chat for chat in queues if chat is not None}
        async with UnitOfWork(self._factory) as uow:
            claimed = await uow.outbox.claim(now, CLAIM, LEASE, skip_chats=busy)
            surplus: list[int] = []
            for message in claimed:
                queue = queues.setdefault(message.chat_id, deque())
                if len(queue) < HOLD_PER_CHAT or message.chat_id is None:
                    queue.append(message)
                else:
                    surplus.append(message.id)
            await uow.outbox.release(surplus, now)
            await uow.commit()
        self._gave_back = self._gave_back or bool(surplus)
        return len(claimed)

    async def _pace(self, chat_id: int | None) -> None:
        """Wait until both this chat's and the global limit allow one more message."""
        ready = max(self._chat_ready.get(chat_id, 0.0), self._next_global)
        delay = ready - time.monotonic()
        if delay > 0:
            await self._write_marks_meanwhile()
            delay = ready - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        now = time.monotonic()
        self._next_global = now + 1.0 / self._policy.global_rate
        self._chat_ready[chat_id] = now + self._policy.per_chat_interval

    async def _deliver(self, message: OutboxMessage) -> None:
        """Send one claimed message. No transaction is open while waiting for the rate limits
        or for the messenger: SQLite has one write lock, and ingestion needs it."""
        now = self._clock.now()
        channel = self._channels.get(message.channel)
        if channel is None and message.channel not in ("telegram", "console"):
            # A staff channel this service has no settings for: the person's next one.
            await self._reroute(message, f"channel {message.channel} is not configured")
            return
        channel = channel or self._channels["console"]
        if now - message.created_at > self._policy.dead_after:
            log.warning(
                "outbox message %s dead-lettered: not delivered within %s (last error: %s)",
                message.id,
                self._policy.dead_after,
                message.last_error or "none",
            )
            await self._mark(message.id, {"status": "dead"}, message.edit_key)
            return
        target_id: int | str | None = None
        changes: dict[str, object] = {}
        if message.edit_key is not None:
            step = await self._edit_step(message)
            if step is Edit.WAIT:
                # The message to edit is not out yet: try again shortly.
                await self._mark(
                    message.id, {"next_attempt_at": now + timedelta(seconds=1)}, message.edit_key
                )
                return
            if step is Edit.SUPERSEDED:
                await self._mark(message.id, {"status": "superseded"}, message.edit_key)
                return
            target_id = step if isinstance(step, int | str) else None
        if message.channel != "console":
            await self._pace(message.chat_id)
        unreachable = False
        progress: dict[str, object] = {}
        documents = [dict(document) for document in message.documents or []]
        try:
            if target_id is not None:
                await channel.edit(message.chat_id, target_id, message.text, message.buttons)
                changes = {"status": "sent", "sent_at": self._clock.now()}
            else:
                if message.remote_message_id is None and message.remote_ref is None:
                    remote = await self._send_message(channel, message, documents, progress)
                    progress |= _remote(remote)
                    if message.conversation_id is not None:
                        await self._relayed(message.id, progress)
                await self._send_documents(channel, message, documents, progress)
                changes |= {"status": "sent", "sent_at": self._clock.now()}
        except RetryAfter as exc:
            self._chat_ready[message.chat_id] = time.monotonic() + exc.seconds
            changes = {
                "next_attempt_at": self._clock.now() + timedelta(seconds=exc.seconds),
                "last_error": str(exc),
            }
        except Unreachable as exc:
            changes = {"status": "unreachable", "last_error": str(exc)[:500]}
            unreachable = True
        except Rejected as exc:
            log.warning("outbox message %s refused by the messenger: %s", message.id, exc)
            changes = {"status": "dead", "last_error": str(exc)[:500]}
        except Temporary as exc:
            backoff = min(2.0 ** max(message.attempts - 1, 0), self._policy.max_backoff)
            changes = {
                "next_attempt_at": self._clock.now() + timedelta(seconds=backoff),
                "last_error": str(exc)[:500],
            }
        # What went out before a failure stays recorded: a retry sends it not again.
        changes = progress | changes
        if changes.get("status") == "sent":
            log.info(
                "outbox #%d (%s) to %s%s: %s",
                message.id,
                message.kind,
                await self._name(message.manager_id),
                f", chat {message.chat_id}" if message.chat_id is not None else "",
                "edited" if target_id is not None else "sent",
            )
        await self._mark(message.id, changes, message.edit_key)
        if unreachable:
            await self._reroute(message, str(changes.get("last_error") or ""), unreachable=True)

    async def _name(self, manager_id: int | None) -> str:
        """Whom a message went to, for the log: the person's name (loaded once, and again for
        someone added since)."""
        if manager_id is None:
            return "the admin chat"
        if manager_id not in self._names:
            async with UnitOfWork(self._factory, read_only=True) as uow:
                self._names = {m.id: m.name for m in await uow.managers.list()}
        return self._names.get(manager_id, f"manager {manager_id}")

    async def _send_message(
        self,
        channel: Channel,
        message: OutboxMessage,
        documents: list[dict[str, object]],
        progress: dict[str, object],
    ) -> int | str:
        """Send the message itself: its picture or file with the text as the caption when it
        has one and the text fits, else the text. The file so sent is marked like a document."""
        own = next((d for d in documents if d.get(SEND_AS) in (PHOTO, FILE)), None)
        if own is None or own.get("sent") or not fits_caption(message.text):
            return await channel.send(message.chat_id, message.text, message.buttons)
        content = base64.b64decode(str(own["content"]))
        if own[SEND_AS] == PHOTO:
            remote = await channel.send_photo(
                message.chat_id, content, message.text, message.buttons
            )
        else:
            remote = await channel.send_document(
                message.chat_id, str(own["filename"]), content, message.text, message.buttons
            )
        own["sent"] = True
        progress["documents"] = documents
        return remote

    async def _send_documents(
        self,
        channel: Channel,
        message: OutboxMessage,
        documents: list[dict[str, object]],
        progress: dict[str, object],
    ) -> None:
        """Send the message's documents after its text, each once: a document sent is marked
        in ``progress`` (and so in the row), and a retry after a failure skips it. A picture
        not sent as the message goes as a picture, captioned with the text's title."""
        for document in documents:
            if document.get("sent"):
                continue
            if message.channel != "console":
                await self._pace(message.chat_id)
            content = base64.b64decode(str(document["content"]))
            if document.get(SEND_AS) == PHOTO:
                caption = short_caption(message.text)
                await channel.send_photo(message.chat_id, content, caption, None)
            else:
                await channel.send_document(message.chat_id, str(document["filename"]), content)
            document["sent"] = True
            progress["documents"] = documents

    async def _edit_step(self, message: OutboxMessage) -> int | str | Edit:
        """What an edit does (see edit_step), read from its key's messages in one statement; a
        «handed over» notice to someone who never had the alert is not sent. Going as new, the
        edit takes the key in the database: of two instances sending edits of one message at the
        same moment, one sends it as new and the other then edits it."""
        key = message.edit_key or ""
        if key in self._marked_keys:
            await self._write_marks()  # what became of an earlier message under this key
        async with UnitOfWork(self._factory, read_only=True) as uow:
            messages = [_keyed(row, key) for row in await uow.outbox.of_key(key)]
        step = edit_step(_keyed(message, key), message.kind, messages)
        if step is Edit.NEVER_TOLD:
            log.info(
                "outbox #%d (handed over): the person never had the alert, not sent", message.id
            )
            return Edit.SUPERSEDED
        if step is Edit.NEW:
            async with UnitOfWork(self._factory) as uow:
                if not await uow.outbox.take_key(message.id, key):
                    return Edit.WAIT
                await uow.commit()
        return step

    async def _mark(
        self, message_id: int, changes: dict[str, object], edit_key: str | None = None
    ) -> None:
        """Note what became of a message; written with the others of its round (MARK_BATCH at
        most), before the sender waits for anything, and at the end of each round: one
        transaction, not one per message."""
        self._marks[message_id] = self._marks.get(message_id, {}) | changes
        if edit_key is not None:
            self._marked_keys.add(edit_key)
        if len(self._marks) >= MARK_BATCH:
            await self._write_marks_meanwhile()

    async def _relayed(self, message_id: int, progress: dict[str, object]) -> None:
        """A client's message relayed is out: its id in the chat is written now, not with the
        round (nor after its files), since the person may answer it at once, and his answer
        finds the client by that id. If the database is away, it goes with the round."""
        await self._mark(message_id, dict(progress))
        await self._write_marks_meanwhile()

    async def _write_marks_meanwhile(self) -> None:
        """Write what became of the round's messages so far, while the round goes on; if the
        database is away, they are kept for the round's end (or the next round's start), and
        the messages already claimed are still delivered."""
        try:
            await self._write_marks()
        except Exception as exc:
            log.warning(
                "outbox: what became of %d messages not written yet: %s", len(self._marks), exc
            )

    async def _write_marks(self) -> None:
        if not self._marks:
            return
        marks, self._marks = self._marks, {}
        keys, self._marked_keys = self._marked_keys, set()
        try:
            async with UnitOfWork(self._factory) as uow:
                await uow.outbox.mark(marks)
                await uow.commit()
        except BaseException:
            # Kept for the next try (a message sent stays marked as such, not sent again).
            self._marks = marks | self._marks
            self._marked_keys |= keys
            raise

    async def stop(self) -> None:
        await super().stop()
        try:
            await self._write_marks()
        except Exception as exc:
            log.warning("outbox: what became of %d messages not written: %s", len(self._marks), exc)

    async def _reroute(
        self, message: OutboxMessage, why: str, *, unreachable: bool = False
    ) -> None:
        """The message did not reach its person on its channel: send it through his next
        channel that reaches him (a copy, with its own key), and — when the channel found him
        unreachable (a blocked bot, a bounced address) — remember that and tell the admin once.
        """
        await self._write_marks()  # its own, first: it was found unreachable
        now = self._clock.now()
        async with UnitOfWork(self._factory) as uow:
            row = await uow.outbox.get(message.id)
            person = await uow.managers.get(message.manager_id) if message.manager_id else None
            if row is not None and row.status == "pending":
                row.status = "rerouted"
                row.last_error = why[:500]
            if person is not None:
                channel, chat_id = reach(person, after=message.channel)
                if unreachable:
                    await self._unreachable(uow, person, message.channel, channel, now)
                if channel != "console":  # no channel left: it stays undelivered
                    copy = chat_row(
                        f"{message.dedup_key}>{channel}"[-200:],
                        chat_id,
                        message.kind,
                        message.text,
                        now=now,
                        manager_id=person.id,
                        buttons=message.buttons,
                        # An edit's copy edits what reached the next channel, or goes as new
                        # there and takes the key itself: the key this edit took on a try here
                        # would clash with the message the copy is to edit.
                        message_key=message.message_key if message.edit_key is None else None,
                        edit_key=message.edit_key,
                        documents=_unsent(message.documents),
                        channel=channel,
                        conversation_id=message.conversation_id,
                    )
                    await uow.outbox.enqueue([copy])
            await uow.commit()
        self.wake()

    async def _unreachable(
        self, uow: UnitOfWork, manager: Manager, channel: str, then: str, now: datetime
    ) -> None:
        """Remember that ``channel`` does not reach ``manager`` and tell the admin once (per
        address), saying where his messages go ``then``."""
        if channel == "telegram":
            if manager.chat_unreachable:
                return
            manager.chat_unreachable = True
        else:
            if channel in (manager.unreachable or []):
                return
            manager.unreachable = [*(manager.unreachable or []), channel]
        log.warning("%s of manager %s is unreachable; his messages go on", channel, manager.id)
        if self._admin_chat_id is None:
            return
        lang = self._language
        goes = (
            text("unreachable_then", lang, channel=_TITLES[then])
            if then in _TITLES
            else text("unreachable_then_none", lang)
        )
        notice = text(f"unreachable_admin_{channel}", lang, manager=manager.name, then=goes)
        key = f"unreachable:{manager.id}:{channel}:{address_key(manager, channel)}"
        await uow.outbox.enqueue([chat_row(key, self._admin_chat_id, "notice", notice, now=now)])


_TITLES = {"telegram": "Telegram", "max": "MAX", "email": "e-mail"}


def address_key(manager: Manager, channel: str) -> str:
    """What identifies the person's address on ``channel`` (a new one is told about anew)."""
    if channel == "telegram":
        return str(manager.telegram_chat_id)
    if channel == "max":
        return str(manager.max_user_id)
    return manager.email or ""


def _remote(remote: int | str) -> dict[str, object]:
    """Where a sent message's id is kept: a number's column, or a text's."""
    if isinstance(remote, int):
        return {"remote_message_id": remote}
    return {"remote_ref": str(remote)[:250]}


def _unsent(documents: list[Any] | None) -> list[Any] | None:
    """A copy's documents: all of them, none marked sent (a new channel gets them all)."""
    if not documents:
        return None
    return [{k: v for k, v in dict(d).items() if k != "sent"} for d in documents]


def _keyed(message: Any, key: str) -> Keyed:
    """A message of ``key`` (an outbox row, or its columns read), as edit_step sees it."""
    return Keyed(
        id=message.id,
        channel=message.channel,
        chat_id=message.chat_id,
        status=message.status,
        names_key=message.message_key == key,
        remote=message.remote_message_id or message.remote_ref,
    )
