"""The sender's pacing: chats take turns, a chat's messages keep their order, limits hold."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from config.settings import DatabaseSettings
from hub.domain.clock import SystemClock
from notifications.channels import ConsoleChannel
from notifications.rows import HANDED_OVER, chat_row, document
from notifications.sender import MARK_BATCH, TURN, OutboxSender, SenderPolicy
from storage.db import create_engine, create_session_factory
from storage.models import OutboxMessage
from storage.repositories.outbox import OutboxRepository
from storage.types import utcnow
from storage.uow import UnitOfWork
from tests.support.outbox_sender import queued_sender, stand_in_sender
from tests.support.telegram_stub import BotApiStub, until, until_true
from tests.support.turns import turns_taken


def _row(key: str, chat: int) -> dict[str, Any]:
    return chat_row(key, chat, "missed", key, now=utcnow())


def _relayed_with_a_file(now: datetime) -> dict[str, Any]:
    """A client's message relayed to the log, with the file he sent."""
    price = document("price.pdf", b"%PDF-1.4", "application/pdf")
    return chat_row(
        "relay", None, "relay", "👤 ООО Ромашка", now=now, conversation_id=7, documents=[price]
    )


def _marks_refused_once(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The outbox's next write of marks fails as if the database were away; the list counts
    the refusals."""
    refused: list[int] = []
    mark = OutboxRepository.mark

    async def refuse_once(self: OutboxRepository, marks: Any) -> None:
        if not refused:
            refused.append(1)
            raise OperationalError("UPDATE outbox", {}, Exception("the database is away"))
        await mark(self, marks)

    monkeypatch.setattr(OutboxRepository, "mark", refuse_once)
    return refused


def _policy(
    *,
    per_chat_interval: float = 0.5,
    global_rate: float = 20,
    dead_after: timedelta = timedelta(hours=1),
) -> SenderPolicy:
    return SenderPolicy(
        per_chat_interval=per_chat_interval,
        global_rate=global_rate,
        max_backoff=1,
        dead_after=dead_after,
        poll_interval=0.1,
    )


async def test_a_busy_chat_does_not_hold_the_others_up(
    stub: tuple[BotApiStub, TestServer], db_url: str
) -> None:
    fake, server = stub
    engine = create_engine(DatabaseSettings(url=db_url))
    factory = create_session_factory(engine)
    # Eight messages for one chat first, then one each for six others.
    rows = [_row(f"busy-{i}", 1) for i in range(8)] + [_row(f"other-{c}", c) for c in range(2, 8)]
    sender, bot = await queued_sender(
        factory, server, rows, per_chat_interval=0.5, global_rate=20, poll_interval=0.1
    )
    sender.start()
    try:
        await until(lambda: len(fake.calls("sendMessage")) == len(rows), seconds=20)

        async def all_marked_sent() -> bool:
            async with UnitOfWork(factory, read_only=True) as uow:
                return await uow.outbox.counts() == {"sent": len(rows)}

        await until_true(all_marked_sent)  # marked once Telegram's answer is read
    finally:
        await sender.stop()
        await bot.session.close()
        await engine.dispose()
    sent = fake.calls("sendMessage")
    texts = [r.params["text"] for r in sent]
    # The other chats did not wait behind the busy one: all out before its third message.
    assert max(texts.index(f"other-{c}") for c in range(2, 8)) < texts.index("busy-2")
    busy = [r for r in sent if r.params["chat_id"] == "1"]
    assert [r.params["text"] for r in busy] == [f"busy-{i}" for i in range(8)]
    gaps = [b.at - a.at for a, b in itertools.pairwise(busy)]
    assert min(gaps) >= 0.45  # per-chat interval 0.5 s (stand-in clock vs ours)
    spacing = [b.at - a.at for a, b in itertools.pairwise(sent)]
    assert min(spacing) >= 0.04  # global 20/s


async def test_edits_without_an_original_go_once_as_new_and_never_step_back(
    stub: tuple[BotApiStub, TestServer], db_url: str
) -> None:
    """Edits of a message that never reached the chat: the newest goes as a new message, an
    older one delivered late says nothing, a later one edits it; and the key is taken in the
    database, so a second instance cannot send the same message as new again."""
    fake, server = stub
    engine = create_engine(DatabaseSettings(url=db_url))
    factory = create_session_factory(engine)
    now = utcnow()
    late = chat_row("edit-2", 5, "missed", "пропущено: 2", now=now, edit_key="case:1:to:5")
    late["next_attempt_at"] = now + timedelta(hours=1)  # held back by a retry
    newest = chat_row("edit-3", 5, "missed", "пропущено: 3", now=now, edit_key="case:1:to:5")
    async with UnitOfWork(factory) as uow:
        await uow.outbox.enqueue([late, newest])
        await uow.commit()
    policy = _policy(per_chat_interval=0, global_rate=100, dead_after=timedelta(hours=2))
    sender, bot = stand_in_sender(factory, server, policy)
    try:
        assert await sender.drain_once() == 1
        assert [r.params["text"] for r in fake.calls("sendMessage")] == ["пропущено: 3"]
        async with UnitOfWork(factory) as uow:
            rows = {
                r.dedup_key: r for r in await uow.outbox.page(status=None, before_id=None, limit=9)
            }
            # Another instance holding an edit of the same message cannot take the key now.
            assert not await uow.outbox.take_key(rows["edit-2"].id, "case:1:to:5")
        async with UnitOfWork(factory) as uow:
            held = await uow.outbox.get(rows["edit-2"].id)
            assert held is not None
            held.next_attempt_at = utcnow()  # its retry comes round
            await uow.commit()
        assert await sender.drain_once() == 1
        assert len(fake.calls("sendMessage")) == 1 and not fake.calls("editMessageText")
        final = chat_row("closed", 5, "closed", "закрыто", now=utcnow(), edit_key="case:1:to:5")
        async with UnitOfWork(factory) as uow:
            await uow.outbox.enqueue([final])
            await uow.commit()
        assert await sender.drain_once() == 1
        edits = fake.calls("editMessageText")
        assert [(e.params["text"], int(e.params["message_id"])) for e in edits] == [
            ("закрыто", rows["edit-3"].remote_message_id)
        ]
        async with UnitOfWork(factory, read_only=True) as uow:
            assert await uow.outbox.counts() == {"sent": 2, "superseded": 1}
    finally:
        await bot.session.close()
        await engine.dispose()


async def test_a_handed_over_notice_edits_the_old_managers_alert_and_never_goes_as_new(
    stub: tuple[BotApiStub, TestServer], db_url: str
) -> None:
    """The «handed over» notice edits the alert of the manager a case was taken from; one whose
    alert reached another of his chats gets it as a new message there; one who never had the
    alert gets nothing."""
    fake, server = stub
    engine = create_engine(DatabaseSettings(url=db_url))
    factory = create_session_factory(engine)
    now = utcnow()
    alerts = [
        chat_row("opened", 5, "missed", "пропущено", now=now, message_key="case:1:to:5"),
        # Person 7's alert went to his old chat, 70; his notice goes to the chat he has now.
        chat_row("opened-7", 70, "missed", "пропущено", now=now, message_key="case:1:to:7"),
    ]
    handed = [
        chat_row(f"handed-{chat}", chat, HANDED_OVER, "передано", now=now, edit_key=key)
        for chat, key in ((5, "case:1:to:5"), (6, "case:1:to:6"), (71, "case:1:to:7"))
    ]
    async with UnitOfWork(factory) as uow:
        await uow.outbox.enqueue(alerts)
        await uow.commit()
    policy = _policy(per_chat_interval=0, global_rate=100)
    sender, bot = stand_in_sender(factory, server, policy)
    try:
        assert await sender.drain_once() == 2
        async with UnitOfWork(factory) as uow:
            await uow.outbox.enqueue(handed)
            await uow.commit()
        assert await sender.drain_once() == 3
        await sender.drain_once()  # what became of them is written
        sent = [(r.params["chat_id"], r.params["text"]) for r in fake.calls("sendMessage")]
        edits = [(e.params["chat_id"], e.params["text"]) for e in fake.calls("editMessageText")]
        assert sorted(sent) == [("5", "пропущено"), ("70", "пропущено"), ("71", "передано")]
        assert edits == [("5", "передано")]
        async with UnitOfWork(factory, read_only=True) as uow:
            rows = {
                r.dedup_key: r.status
                for r in await uow.outbox.page(status=None, before_id=None, limit=9)
            }
        assert rows == {
            "opened": "sent",
            "opened-7": "sent",
            "handed-5": "sent",
            "handed-6": "superseded",
            "handed-71": "sent",
        }
    finally:
        await bot.session.close()
        await engine.dispose()


async def test_what_became_of_a_round_of_messages_is_written_in_few_transactions(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """120 messages for people without a chat (the log takes them at once): all marked sent,
    in a handful of write transactions rather than one per message."""
    engine = create_engine(DatabaseSettings(url=db_url))
    factory = create_session_factory(engine)
    rows = [chat_row(f"log-{i}", None, "missed", f"log-{i}", now=utcnow()) for i in range(120)]
    async with UnitOfWork(factory) as uow:
        await uow.outbox.enqueue(rows)
        await uow.commit()
    writes = 0
    enter = UnitOfWork.__aenter__

    async def counted(self: UnitOfWork) -> UnitOfWork:
        nonlocal writes
        writes += not self._read_only
        return await enter(self)

    monkeypatch.setattr(UnitOfWork, "__aenter__", counted)
    policy = _policy()
    sent = 0

    class Console(ConsoleChannel):
        async def send(self, chat_id: int | None, text: str, buttons: Any) -> int:
            nonlocal sent
            sent += 1
            return await super().send(chat_id, text, buttons)

    sender = OutboxSender(factory, {"console": Console()}, policy, SystemClock())
    claimed = []
    try:
        async with turns_taken(lambda: sent) as turns:
            while taken := await sender.drain_once():
                claimed.append(taken)
    finally:
        await sender.stop()
    # The log takes a message at once: the sender still lets other tasks (a routing request)
    # in after every TURN messages, not after a whole claim.
    assert set(range(TURN, 120, TURN)) <= set(turns)
    async with UnitOfWork(factory, read_only=True) as uow:
        assert await uow.outbox.counts() == {"sent": 120}
    await engine.dispose()
    assert sum(claimed) == 120
    # Claims (50 at a time) and marks (MARK_BATCH at a time), not 120 marks.
    assert writes <= 2 * len(claimed) + 1 + 120 // MARK_BATCH


async def test_a_chat_s_messages_beyond_the_few_held_go_on_without_waiting_for_the_poll(
    stub: tuple[BotApiStub, TestServer], db_url: str
) -> None:
    """Twelve messages for one chat: the sender holds five and gives the rest back due at once;
    those are claimed again as soon as the five are out, not at the next poll (a minute here)."""
    fake, server = stub
    engine = create_engine(DatabaseSettings(url=db_url))
    factory = create_session_factory(engine)
    rows = [_row(f"many-{i}", 1) for i in range(12)]
    sender, bot = await queued_sender(
        factory, server, rows, per_chat_interval=0.01, global_rate=100, poll_interval=60
    )
    sender.start()
    try:
        await until(lambda: len(fake.calls("sendMessage")) == len(rows), seconds=20)
    finally:
        await sender.stop()
        await bot.session.close()
        await engine.dispose()
    texts = [r.params["text"] for r in fake.calls("sendMessage")]
    assert texts == [f"many-{i}" for i in range(12)]


async def test_a_relayed_message_s_id_is_written_before_anything_else_goes(db_url: str) -> None:
    """A person may answer a client's relayed message the moment it arrives, and his answer
    finds the client by the id the message went out as: that id is in the database before the
    sender sends the message's file, or the next message of its round — not only when the
    round ends."""
    engine = create_engine(DatabaseSettings(url=db_url))
    factory = create_session_factory(engine)
    now = utcnow()
    rows = [_relayed_with_a_file(now)]
    rows += [chat_row(f"log-{i}", None, "missed", f"log-{i}", now=now) for i in range(3)]
    async with UnitOfWork(factory) as uow:
        await uow.outbox.enqueue(rows)
        await uow.commit()
    seen: dict[str, object] = {}

    async def relay_id() -> object:
        async with UnitOfWork(factory, read_only=True) as uow:
            relay = await uow.session.scalar(
                select(OutboxMessage).where(OutboxMessage.dedup_key == "relay")
            )
        return relay.remote_message_id if relay else None

    class Console(ConsoleChannel):
        async def send(self, chat_id: int | None, text: str, buttons: Any) -> int:
            if text == "log-0":
                seen["at the next message"] = await relay_id()
            return await super().send(chat_id, text, buttons)

        async def send_document(
            self,
            chat_id: int | None,
            filename: str,
            content: bytes,
            caption: str = "",
            buttons: Any = None,
        ) -> int:
            seen["at its file"] = await relay_id()
            return await super().send_document(chat_id, filename, content, caption, buttons)

    sender = OutboxSender(factory, {"console": Console()}, _policy(), SystemClock())
    try:
        assert await sender.drain_once() == len(rows)
    finally:
        await sender.stop()
        await engine.dispose()
    assert seen.keys() == {"at its file", "at the next message"}
    assert None not in seen.values(), seen


async def test_a_relayed_message_whose_id_cannot_be_written_yet_still_goes_whole(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database refuses the early write of a relayed message's id: its file still goes
    (the text not again), and the id is written with the round."""
    engine = create_engine(DatabaseSettings(url=db_url))
    factory = create_session_factory(engine)
    now = utcnow()
    async with UnitOfWork(factory) as uow:
        await uow.outbox.enqueue([_relayed_with_a_file(now)])
        await uow.commit()
    refused = _marks_refused_once(monkeypatch)
    sent: list[str] = []

    class Console(ConsoleChannel):
        async def send(self, chat_id: int | None, text: str, buttons: Any) -> int:
            sent.append(text)
            return await super().send(chat_id, text, buttons)

        async def send_document(
            self,
            chat_id: int | None,
            filename: str,
            content: bytes,
            caption: str = "",
            buttons: Any = None,
        ) -> int:
            sent.append(filename)
            return await super().send_document(chat_id, filename, content, caption, buttons)

    sender = OutboxSender(factory, {"console": Console()}, _policy(), SystemClock())
    try:
        assert await sender.drain_once() == 1
        async with UnitOfWork(factory, read_only=True) as uow:
            relay = await uow.session.scalar(select(OutboxMessage))
    finally:
        await sender.stop()
        await engine.dispose()
    assert refused == [1]
    assert sent == ["👤 ООО Ромашка", "price.pdf"]
    assert relay is not None
    assert (relay.status, relay.remote_message_id is not None) == ("sent", True)


async def test_a_round_goes_on_while_what_became_of_it_cannot_be_written(
    stub: tuple[BotApiStub, TestServer], db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before waiting for a chat's interval the sender writes what became of the round so far;
    the database refusing that write (a moment away) does not stop the round: the claimed
    messages still go, and are marked with the round's end."""
    fake, server = stub
    engine = create_engine(DatabaseSettings(url=db_url))
    factory = create_session_factory(engine)
    rows = [_row(f"busy-{i}", 1) for i in range(2)]
    refused = _marks_refused_once(monkeypatch)
    sender, bot = await queued_sender(
        factory, server, rows, per_chat_interval=0.2, global_rate=20, poll_interval=60
    )
    try:
        assert await sender.drain_once() == len(rows)
        async with UnitOfWork(factory, read_only=True) as uow:
            counts = await uow.outbox.counts()
    finally:
        await sender.stop()
        await bot.session.close()
        await engine.dispose()
    assert refused == [1]
    assert [r.params["text"] for r in fake.calls("sendMessage")] == ["busy-0", "busy-1"]
    assert counts == {"sent": 2}
