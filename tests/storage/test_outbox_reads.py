"""The sender reads a message key's messages — the message, and the edits of it — through their
indexes (both databases), not by reading every message stored since: an alert edited days later
would otherwise cost a scan of every message sent in between."""

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
    engine = factory.kw["bind"]
    with statements_on(engine, "outbox") as seen:
        async with UnitOfWork(factory) as uow:
            # Case 7's alert (id 15) and its edit (id 16); no case 9999.
            found = await uow.outbox.of_key("case:7:to:1")
            none = await uow.outbox.of_key("case:9999:to:1")
    assert sorted((m.id, m.message_key, m.chat_id) for m in found) == [
        (15, "case:7:to:1", CHAT),
        (16, None, CHAT),
    ]
    assert none == []
    assert len(seen) == 2
    (plan,) = await plans(engine, "outbox", seen[:1])
    assert "ix_outbox_edit_key" in plan, plan
    assert "ix_outbox_message_key" in plan or "uq_outbox_live_message" in plan, plan
