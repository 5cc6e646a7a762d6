"""Conversations with clients on messengers and their messages: all their SQL.

An inbound message is inserted once per (channel, message id) whatever the channel redelivers;
outbound messages are a queue claimed with a lease, as the outbox is; conversations whose reply
is overdue are claimed once, so a case opens once whichever instance gets there first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Conversation, ConversationMessage, OutboxMessage
from storage.repositories.leases import lease_due
from storage.repositories.sets import among


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _insert(self) -> Any:
        dialect = self._session.get_bind().dialect.name
        return postgresql.insert if dialect == "postgresql" else sqlite.insert

    def _locks(self) -> bool:
        return self._session.get_bind().dialect.name == "postgresql"

    async def get(self, conversation_id: int) -> Conversation | None:
        return await self._session.get(Conversation, conversation_id)

    async def open(self, channel: str, contact: str, now: datetime) -> Conversation:
        """The conversation with ``contact`` on ``channel``, made if it is his first message
        (two instances making it at once: one insert wins, both read the same row)."""
        await self._session.execute(
            self._insert()(Conversation)
            .values(
                channel=channel,
                contact=contact,
                name="",
                phone_asked=False,
                created_at=now,
                last_message_at=now,
            )
            .on_conflict_do_nothing()
        )
        query = select(Conversation).where(
            Conversation.channel == channel, Conversation.contact == contact
        )
        if self._locks():
            query = query.with_for_update()
        return (await self._session.scalars(query.execution_options(populate_existing=True))).one()

    async def receive(self, row: dict[str, Any]) -> ConversationMessage | None:
        """Store an inbound message; None when this channel message is stored already."""
        inserted = await self._session.execute(
            self._insert()(ConversationMessage)
            .values(direction="in", status="received", attempts=0, **row)
            .on_conflict_do_nothing()
            .returning(ConversationMessage.id)
        )
        new = inserted.scalar_one_or_none()
        return None if new is None else await self._session.get(ConversationMessage, new)

    def add(self, message: ConversationMessage) -> None:
        self._session.add(message)

    async def message(self, message_id: int) -> ConversationMessage | None:
        return await self._session.get(ConversationMessage, message_id)

    async def list(
        self,
        *,
        client_id: int | None = None,
        manager_ids: Sequence[int] | None = None,
        awaiting: bool | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> Sequence[Conversation]:
        """Conversations, the latest first; ``manager_ids`` keeps those these people answer
        for (None: everyone's)."""
        query = select(Conversation).order_by(
            Conversation.last_message_at.desc(), Conversation.id.desc()
        )
        if client_id is not None:
            query = query.where(Conversation.client_id == client_id)
        if manager_ids is not None:
            query = query.where(Conversation.manager_id.in_(list(manager_ids)))
        if awaiting is True:
            query = query.where(Conversation.awaiting_since.is_not(None))
        elif awaiting is False:
            query = query.where(Conversation.awaiting_since.is_(None))
        return (await self._session.scalars(query.limit(limit).offset(offset))).all()

    async def of_client(self, client_id: int) -> Sequence[Conversation]:
        return await self.list(client_id=client_id)

    async def many(self, ids: Iterable[int]) -> dict[int, Conversation]:
        """These conversations by id (those that exist)."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        query = select(Conversation).where(among(self._session, Conversation.id, wanted))
        return {c.id: c for c in (await self._session.scalars(query)).all()}

    async def messages(
        self, conversation_id: int, *, limit: int = 100, before: int | None = None
    ) -> Sequence[ConversationMessage]:
        """A conversation's messages, the latest ``limit`` (before message ``before``), oldest
        first."""
        query = (
            select(ConversationMessage)
            .where(ConversationMessage.conversation_id == conversation_id)
            .order_by(ConversationMessage.id.desc())
            .limit(limit)
        )
        if before is not None:
            query = query.where(ConversationMessage.id < before)
        rows = list((await self._session.scalars(query)).all())
        rows.reverse()
        return rows

    async def recent_of_clients(
        self, client_ids: Sequence[int], limit: int
    ) -> Sequence[tuple[ConversationMessage, Conversation]]:
        """The latest messages with these clients on every channel, the newest first."""
        if not client_ids:
            return []
        query = (
            select(ConversationMessage, Conversation)
            .join(Conversation, Conversation.id == ConversationMessage.conversation_id)
            .where(Conversation.client_id.in_(list(client_ids)))
            .order_by(ConversationMessage.at.desc(), ConversationMessage.id.desc())
            .limit(limit)
        )
        return [(m, c) for m, c in (await self._session.execute(query)).all()]

    async def claim(
        self, status: str, now: datetime, limit: int, lease: timedelta
    ) -> Sequence[ConversationMessage]:
        """Take due messages in ``status`` (``pending``: replies to send; ``fetching``: a
        client's files to relay), leased until marked or until ``lease`` passes (a worker that
        died mid-way: due again)."""
        due = (
            select(ConversationMessage.id)
            .where(
                ConversationMessage.status == status,
                ConversationMessage.next_attempt_at <= now,
            )
            .order_by(ConversationMessage.next_attempt_at, ConversationMessage.id)
            .limit(limit)
        )
        return await lease_due(self._session, ConversationMessage, due, now + lease)

    async def sent(self, channel: str, remote_id: str) -> ConversationMessage | None:
        """Our message the channel names ``remote_id`` (its statuses come by that id)."""
        query = select(ConversationMessage).where(
            ConversationMessage.channel == channel,
            ConversationMessage.direction == "out",
            ConversationMessage.remote_id == remote_id,
        )
        return (await self._session.scalars(query)).first()

    async def claim_overdue(self, now: datetime, limit: int) -> Sequence[Conversation]:
        """Conversations whose reply is overdue, taken once: their due time is cleared by the
        claim, so one sweep (of one instance) opens their case."""
        due = (
            select(Conversation.id)
            .where(Conversation.reply_due_at.is_not(None), Conversation.reply_due_at <= now)
            .order_by(Conversation.reply_due_at)
            .limit(limit)
        )
        if self._locks():
            due = due.with_for_update(skip_locked=True)
        ids = list((await self._session.scalars(due)).all())
        if not ids:
            return []
        claimed = await self._session.execute(
            update(Conversation)
            .where(
                among(self._session, Conversation.id, ids), Conversation.reply_due_at.is_not(None)
            )
            .values(reply_due_at=None)
            .returning(Conversation.id)
            .execution_options(synchronize_session=False)
        )
        won = [row[0] for row in claimed]
        query = (
            select(Conversation)
            .where(among(self._session, Conversation.id, won))
            .order_by(Conversation.id)
            .execution_options(populate_existing=True)
        )
        return (await self._session.scalars(query)).all() if won else []

    async def relayed(self, chat_id: int, message_id: int) -> int | None:
        """The conversation whose message went to chat ``chat_id`` as message ``message_id``
        (what a reply to it answers)."""
        query = select(OutboxMessage.conversation_id).where(
            OutboxMessage.chat_id == chat_id,
            OutboxMessage.remote_message_id == message_id,
            OutboxMessage.conversation_id.is_not(None),
        )
        return (await self._session.scalars(query.limit(1))).first()

    async def relayed_ref(self, ref: str, *, chat_id: int | None = None) -> int | None:
        """The conversation whose message was delivered as ``ref`` — a messenger's text id (a
        MAX mid) — in chat ``chat_id`` when given (what a reply to it answers)."""
        query = select(OutboxMessage.conversation_id).where(
            OutboxMessage.remote_ref == ref, OutboxMessage.conversation_id.is_not(None)
        )
        if chat_id is not None:
            query = query.where(OutboxMessage.chat_id == chat_id)
        return (await self._session.scalars(query.limit(1))).first()

    async def tie(self, channel: str, contact: str, client_id: int) -> None:
        """Tie the conversation with ``contact`` on ``channel`` to client ``client_id``."""
        await self._session.execute(
            update(Conversation)
            .where(Conversation.channel == channel, Conversation.contact == contact)
            .values(client_id=client_id)
            .execution_options(synchronize_session=False)
        )

    async def count_awaiting(self, manager_ids: Sequence[int] | None = None) -> int:
        query = select(func.count(Conversation.id)).where(Conversation.awaiting_since.is_not(None))
        if manager_ids is not None:
            query = query.where(Conversation.manager_id.in_(list(manager_ids)))
        return int((await self._session.scalar(query)) or 0)
