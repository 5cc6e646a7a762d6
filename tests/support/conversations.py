"""Conversations with clients written straight into the database, for the pages and the bot's
views to show: a conversation on a channel and its messages, in and out, in the states a
channel's receipts leave them."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from hub.bootstrap.core import CLOCK
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.messengers import MESSENGERS
from hub.bootstrap.pipeline import HANDLERS
from hub.services.conversations.overdue import open_overdue
from storage.db import SessionFactory
from storage.models import CallbackCase, Conversation, ConversationMessage
from storage.uow import UnitOfWork

_remote = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Said:
    """One message of a conversation: ``ago`` before the conversation's ``now``; ``by`` the
    person who wrote ours (None: the bot); ``status`` received for the client's, else how far
    ours got."""

    direction: str
    text: str
    ago: timedelta
    by: int | None = None
    status: str | None = None
    error: str | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)


def said_in(text: str, ago: timedelta, **values: Any) -> Said:
    return Said("in", text, ago, status="received", **values)


def said_out(text: str, ago: timedelta, status: str, **values: Any) -> Said:
    return Said("out", text, ago, status=status, **values)


async def conversation(
    factory: SessionFactory,
    *,
    channel: str,
    contact: str,
    now: datetime,
    messages: Sequence[Said] = (),
    client_id: int | None = None,
    manager_id: int | None = None,
    name: str = "",
    phone: str | None = None,
    awaiting: timedelta | None = None,
    last_in: timedelta | None = None,
    overdue: timedelta | None = None,
) -> int:
    """A conversation with its messages; ``awaiting``: since how long it waits for an answer;
    ``last_in``: how long ago the client last wrote (by default his latest message's time);
    ``overdue``: how long ago the answer was due (a case opens for it at the next sweep).
    Returns its id."""
    ins = [m.ago for m in messages if m.direction == "in"]
    last_in = last_in if last_in is not None else (min(ins) if ins else None)
    async with UnitOfWork(factory) as uow:
        talk = Conversation(
            channel=channel,
            contact=contact,
            name=name,
            phone=phone,
            client_id=client_id,
            manager_id=manager_id,
            phone_asked=False,
            created_at=now - max((m.ago for m in messages), default=timedelta()),
            last_message_at=now - min((m.ago for m in messages), default=timedelta()),
            last_in_at=now - last_in if last_in is not None else None,
            awaiting_since=now - awaiting if awaiting is not None else None,
            reply_due_at=now - overdue if overdue is not None else None,
        )
        uow.session.add(talk)
        await uow.flush()
        for said in messages:
            uow.conversations.add(
                ConversationMessage(
                    conversation_id=talk.id,
                    channel=channel,
                    direction=said.direction,
                    remote_id=f"r{next(_remote)}",
                    text=said.text,
                    attachments=said.attachments,
                    at=now - said.ago,
                    manager_id=said.by,
                    status=said.status or "received",
                    error=said.error,
                    attempts=0,
                    next_attempt_at=None,
                )
            )
        await uow.commit()
        return talk.id


async def open_overdue_cases(app: Any) -> int:
    """The sweep of unanswered messages, run now: a case for each overdue conversation."""
    found = app[MESSENGERS]
    return await open_overdue(
        app[SESSIONS], app[HANDLERS], found.policy, found.escalation, app[CLOCK].now()
    )


async def message_case(
    factory: SessionFactory,
    conversation_id: int,
    *,
    number: str,
    manager_id: int | None,
    since: datetime,
    client_id: int | None = None,
) -> int:
    """An open case of kind message for a conversation, written as the sweep writes one (but
    without its alerts); returns its id."""
    async with UnitOfWork(factory) as uow:
        case = CallbackCase(
            number=number,
            kind="message",
            conversation_id=conversation_id,
            client_id=client_id,
            manager_id=manager_id,
            responsible_reason="last_talked",
            told=[],
            status="open",
            missed_count=1,
            first_missed_at=since,
            last_missed_at=since,
            escalate_at=since + timedelta(hours=24),
        )
        uow.cases.add(case)
        await uow.flush()
        await uow.commit()
        return case.id


async def messages_of(factory: SessionFactory, conversation_id: int) -> list[ConversationMessage]:
    """A conversation's messages, oldest first."""
    async with factory() as session:
        rows = await session.scalars(
            select(ConversationMessage)
            .where(ConversationMessage.conversation_id == conversation_id)
            .order_by(ConversationMessage.id)
        )
        return list(rows.all())


async def conversation_row(factory: SessionFactory, conversation_id: int) -> Conversation:
    async with factory() as session:
        found = await session.get(Conversation, conversation_id)
        assert found is not None
        return found
