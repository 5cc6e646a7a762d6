"""The outbox: messages waiting to be delivered, claimed by the sender, then marked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, bindparam, func, or_, select, union, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage
from storage.repositories.bulk import table_of
from storage.repositories.leases import lease_due
from storage.repositories.sets import among, not_among


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def enqueue(self, rows: list[dict[str, Any]]) -> int:
        """Add messages; a row whose dedup key is already there is skipped. Returns the new."""
        if not rows:
            return 0
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(OutboxMessage).on_conflict_do_nothing().returning(OutboxMessage.id)
        return len((await self._session.execute(statement, rows)).all())

    async def claim(
        self, now: datetime, limit: int, lease: timedelta, *, skip_chats: Collection[int] = ()
    ) -> Sequence[OutboxMessage]:
        """Take due messages for sending: they stay leased until marked, or until ``lease``
        passes (a sender that died mid-way), after which they are due again. Messages for
        ``skip_chats`` (chats whose earlier messages the sender still holds) stay queued."""
        due = (
            select(OutboxMessage.id)
            .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
        if skip_chats:
            due = due.where(
                or_(
                    OutboxMessage.chat_id.is_(None),
                    not_among(self._session, OutboxMessage.chat_id, skip_chats),
                )
            )
        return await lease_due(self._session, OutboxMessage, due, now + lease)

    async def release(self, ids: Collection[int], at: datetime) -> None:
        """Give claimed messages back unsent, due again ``at``; not counted as an attempt."""
        if not ids:
            return
        await self._session.execute(
            update(OutboxMessage)
            .where(among(self._session, OutboxMessage.id, ids), OutboxMessage.status == "pending")
            .values(next_attempt_at=at, attempts=OutboxMessage.attempts - 1)
            .execution_options(synchronize_session=False)
        )

    async def get(self, message_id: int) -> OutboxMessage | None:
        return await self._session.get(OutboxMessage, message_id)

    async def mark(self, marks: Mapping[int, Mapping[str, object]]) -> None:
        """Write what became of messages: ``marks`` maps a message's id to its changed columns.
        One statement for each set of columns changed (a round of deliveries: one), each row
        changed where it is, not read first."""
        groups: dict[tuple[str, ...], list[dict[str, object]]] = defaultdict(list)
        for message_id, changes in marks.items():
            row = {f"new_{column}": value for column, value in changes.items()}
            groups[tuple(sorted(changes))].append(row | {"message_id": message_id})
        table = table_of(OutboxMessage)
        for columns, rows in groups.items():
            statement = (
                update(table)
                .where(table.c.id == bindparam("message_id"))
                .values({column: bindparam(f"new_{column}") for column in columns})
            )
            await self._session.execute(statement, rows)

    async def of_key(
        self, message_key: str
    ) -> Sequence[Row[int, str, int | None, str, str | None, int | None, str | None]]:
        """The messages of ``message_key``: the message itself, and the edits of it (a few);
        each with its id, channel, chat_id, status, message_key and its id in the chat
        (remote_message_id, remote_ref). Each half is found through its own index, the one
        condition the database is given (with a chat's as well it may read the chat's every
        message instead: SQLite, without statistics, takes the first index that fits)."""
        columns = (
            OutboxMessage.id,
            OutboxMessage.channel,
            OutboxMessage.chat_id,
            OutboxMessage.status,
            OutboxMessage.message_key,
            OutboxMessage.remote_message_id,
            OutboxMessage.remote_ref,
        )
        query = union(
            select(*columns).where(OutboxMessage.edit_key == message_key),
            select(*columns).where(OutboxMessage.message_key == message_key),
        )
        return (await self._session.execute(query)).all()

    async def take_key(self, message_id: int, message_key: str) -> bool:
        """Make this message the one ``message_key`` names in its chat (an edit about to go as
        a new message). False when another live message holds it already — taken a moment ago
        by another instance; the caller does not commit then."""
        try:
            await self._session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id)
                .values(message_key=message_key)
                .execution_options(synchronize_session=False)
            )
        except IntegrityError:
            return False
        return True

    async def people_of(self, key_prefix: str) -> list[int]:
        """The people messages whose dedup key starts with ``key_prefix`` went to, in order."""
        query = (
            select(OutboxMessage.manager_id)
            .where(
                OutboxMessage.dedup_key.startswith(key_prefix, autoescape=True),
                OutboxMessage.manager_id.is_not(None),
            )
            .order_by(OutboxMessage.id)
        )
        found = [m for m in (await self._session.scalars(query)).all() if m is not None]
        return list(dict.fromkeys(found))

    async def counts(self) -> dict[str, int]:
        rows = await self._session.execute(
            select(OutboxMessage.status, func.count(OutboxMessage.id)).group_by(
                OutboxMessage.status
            )
        )
        return {status: int(count) for status, count in rows}

    async def page(
        self, *, status: str | None, before_id: int | None, limit: int
    ) -> Sequence[OutboxMessage]:
        query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
        if status:
            query = query.where(OutboxMessage.status == status)
        if before_id is not None:
            query = query.where(OutboxMessage.id < before_id)
        return (await self._session.scalars(query)).all()
