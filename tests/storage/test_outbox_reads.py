"""The sender's questions about a message key — has a later edit reached this chat, has any
message of the key reached its person — find the key's messages and edits through their indexes
(both databases), not by reading every message stored since: an alert edited days later would
otherwise cost a scan of every message sent in between."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from notifications.rows import chat_row
from storage.db import SessionFactory
from storage.uow import UnitOfWork
from tests.support.query_plans import plans, statements_on

AT = datetime(2026, 11, 23, 12, tzinfo=UTC)
CHAT = 5001
STORED = 3000


def _row(n: int) -> dict[str, Any]:
    """Alerts of many cases to one chat, each case's alert followed by an edit of it."""
    case = n // 2
    key = f"case:{case}:to:1"
    if n % 2 == 0:
        return chat_row(f"alert:{n}", CHAT, "missed", "…", now=AT, message_key=key)
    return chat_row(f"edit:{n}", CHAT, "missed", "…", now=AT, edit_key=key)


async def test_a_keys_messages_and_edits_are_found_through_their_indexes(
    factory: SessionFactory,
) -> None:
    async with UnitOfWork(factory) as uow:
        await uow.outbox.enqueue([_row(n) for n in range(STORED)])
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        await uow.outbox.mark({n: {"status": "sent"} for n in range(1, 101)})
        await uow.commit()
    engine = factory.kw["bind"]
    with statements_on(engine, "outbox") as seen:
        async with UnitOfWork(factory) as uow:
            # The first case's alert (id 1) and its edit (id 2, delivered).
            newer = await uow.outbox.newer_sent("case:0:to:1", 1, channel="telegram", chat_id=CHAT)
            not_newer = await uow.outbox.newer_sent(
                "case:0:to:1", 2, channel="telegram", chat_id=CHAT
            )
            told = await uow.outbox.told_under("case:7:to:1", besides=15)
            untold = await uow.outbox.told_under("case:9999:to:1", besides=1)
            original = await uow.outbox.original("case:7:to:1", channel="telegram", chat_id=CHAT)
    assert (newer, not_newer, told, untold) == (True, False, True, False)
    assert original is not None and original.dedup_key == "alert:14"
    assert len(seen) == 5
    newer_plan, told_plan, original_plan = await plans(
        engine, "outbox", [seen[0], seen[2], seen[4]]
    )
    for plan in (newer_plan, told_plan):
        assert "ix_outbox_edit_key" in plan, plan
        assert _by_message_key(plan), plan
    assert _by_message_key(original_plan), original_plan


def _by_message_key(plan: str) -> bool:
    return "ix_outbox_message_key" in plan or "uq_outbox_live_message" in plan
