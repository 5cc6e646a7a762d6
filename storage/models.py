"""The tables. Repositories read and write these; nothing else builds queries against them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from hub.domain.cases import CaseStatus
from storage.types import UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class Manager(Base):
    __tablename__ = "managers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    extension: Mapped[str | None] = mapped_column(String(20), unique=True)
    mobile: Mapped[str | None] = mapped_column(String(32))
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    chat_unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    supervisor_id: Mapped[int | None] = mapped_column(
        ForeignKey("managers.id", ondelete="SET NULL"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    timezone: Mapped[str | None] = mapped_column(String(64))
    working_hours: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The console: his own login (lower case; else he logs in with his extension) and an argon2
    # hash of his password (none: he cannot log in yet).
    # The staff channels beside Telegram, and the order he is told through (None: the
    # company's order, outbox.channels); channels found unreachable are skipped until he is
    # bound again.
    email: Mapped[str | None] = mapped_column(String(254))
    max_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    channels: Mapped[list[Any] | None] = mapped_column(JSON)
    unreachable: Mapped[list[Any]] = mapped_column(JSON, default=list)
    login: Mapped[str | None] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Absence(Base):
    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    manager_id: Mapped[int] = mapped_column(
        ForeignKey("managers.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    substitute_id: Mapped[int | None] = mapped_column(
        ForeignKey("managers.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(String(500), default="")


class Client(Base):
    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("managers.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(40), default="potential")
    status_set_by_hand_at: Mapped[datetime | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ClientPhone(Base):
    __tablename__ = "client_phones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    ext: Mapped[str | None] = mapped_column(String(20))  # dialled after the number answers


class NumberList(Base):
    __tablename__ = "number_lists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))
    target_extension: Mapped[str | None] = mapped_column(String(20))
    target_manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("managers.id", ondelete="SET NULL")
    )
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    opens_cases: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Sale(Base):
    """A purchase by a client: what his status (potential, new, regular...) is computed from."""

    __tablename__ = "sales"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    sold_on: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    source: Mapped[str] = mapped_column(String(200), default="")
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="")


class ListEntry(Base):
    __tablename__ = "list_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("number_lists.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(32), unique=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UnknownNumber(Base):
    __tablename__ = "unknown_numbers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    calls: Mapped[int] = mapped_column(Integer, default=0)
    manager_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    recording_urls: Mapped[list[Any]] = mapped_column(JSON, default=list)
    last_manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("managers.id", ondelete="SET NULL")
    )
    last_talked_at: Mapped[datetime | None]
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("managers.id", ondelete="SET NULL"), index=True
    )
    resolution: Mapped[str | None] = mapped_column(String(200))
    resolved_by: Mapped[str | None] = mapped_column(String(120))
    resolved_at: Mapped[datetime | None]


class Call(Base):
    __tablename__ = "calls"
    __table_args__ = (UniqueConstraint("connector", "vendor_call_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    connector: Mapped[str] = mapped_column(String(60))
    vendor_call_id: Mapped[str] = mapped_column(String(200))
    direction: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str | None] = mapped_column(String(12), index=True)
    caller: Mapped[str] = mapped_column(String(128))
    caller_kind: Mapped[str] = mapped_column(String(10))
    callee: Mapped[str] = mapped_column(String(128))
    callee_kind: Mapped[str] = mapped_column(String(10))
    external_number: Mapped[str | None] = mapped_column(String(128), index=True)
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="SET NULL"), index=True
    )
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("managers.id", ondelete="SET NULL"), index=True
    )
    extension: Mapped[str | None] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(index=True)
    answered_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    recording_url: Mapped[str | None] = mapped_column(String(2000))
    route: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # A call that looks missed while its PBX may still send a leg or its summary: when to decide
    # whether it opens a case, if nothing more has come by then.
    settle_at: Mapped[datetime | None] = mapped_column(index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# The updates the folder has still to fold: its one read, oldest first, goes through an index of
# these alone (ix_call_events_unfolded), never past the folded millions before them.
UNFOLDED = "folded = false"


class CallEvent(Base):
    __tablename__ = "call_events"
    __table_args__ = (
        UniqueConstraint("connector", "event_id", name="uq_call_events_event"),
        UniqueConstraint("connector", "state_key", name="uq_call_events_state"),
        Index("ix_call_events_call", "connector", "vendor_call_id"),
        Index(
            "ix_call_events_unfolded",
            "id",
            sqlite_where=text(UNFOLDED),
            postgresql_where=text(UNFOLDED),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    connector: Mapped[str] = mapped_column(String(60))
    vendor_call_id: Mapped[str] = mapped_column(String(200))
    event_id: Mapped[str | None] = mapped_column(String(200))
    state_key: Mapped[str] = mapped_column(String(500))
    direction: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(10))
    caller: Mapped[str] = mapped_column(String(128))
    callee: Mapped[str] = mapped_column(String(128))
    extension: Mapped[str | None] = mapped_column(String(20))
    leg: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(String(20))
    at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    recording_url: Mapped[str | None] = mapped_column(String(2000))
    folded: Mapped[bool] = mapped_column(Boolean, default=False)


class RouteDecisionRecord(Base):
    __tablename__ = "route_decisions"
    __table_args__ = (Index("ix_route_decisions_caller_at", "caller", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    caller: Mapped[str] = mapped_column(String(128))
    dialled: Mapped[str] = mapped_column(String(128))
    target: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(300))
    reason_code: Mapped[str] = mapped_column(String(40))
    call_ref: Mapped[str | None] = mapped_column(String(200), index=True)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class TalkEntry(Base):
    """A manager talked to a number that is nobody's: the feed that carries sticky routing to
    every instance (``unknown_numbers`` keeps only the latest talk, and no order of changes)."""

    __tablename__ = "talk_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32))
    manager_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(index=True)


class ApiToken(Base):
    """A bearer token of the API: kept as a hash, revoked but never deleted (unless its person
    is)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))
    revoked_at: Mapped[datetime | None]
    # The person whose token it is: it carries his scope. None: a token of the company (a PBX's,
    # an integration's), which sees everything its role allows. A person's tokens go with him.
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("managers.id", ondelete="CASCADE"), index=True
    )


class Invite(Base):
    """A one-time link that binds a person's Telegram chat to his manager record."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    manager_id: Mapped[int] = mapped_column(
        ForeignKey("managers.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_chat: Mapped[int | None] = mapped_column(BigInteger)


class BotUpdate(Base):
    """A Telegram update taken by one instance in webhook mode: Telegram may post it again
    (to any instance) if the answer was late, and it must be handled once."""

    __tablename__ = "bot_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    claimed_at: Mapped[datetime] = mapped_column(index=True)
    handled_at: Mapped[datetime | None]


ACTIVE_CASE = f"status IN ('{CaseStatus.OPEN}', '{CaseStatus.ESCALATED}')"
# A message on its way or delivered: what an edit of its key edits.
LIVE_STATUSES = ("pending", "sent")
LIVE_MESSAGE = f"message_key IS NOT NULL AND status IN ({', '.join(map(repr, LIVE_STATUSES))})"


class CallbackCase(Base):
    """The obligation to call a missed caller back: one active case per number."""

    __tablename__ = "callback_cases"
    __table_args__ = (
        Index(
            "uq_callback_cases_active_number",
            "number",
            unique=True,
            sqlite_where=text(ACTIVE_CASE),
            postgresql_where=text(ACTIVE_CASE),
        ),
        Index(
            "ix_callback_cases_due",
            "escalate_at",
            sqlite_where=text(f"status = '{CaseStatus.OPEN}'"),
            postgresql_where=text(f"status = '{CaseStatus.OPEN}'"),
        ),
    )

    # Nothing to read back after an insert: ``kind``'s server default filled the rows there were
    # when the column came, and the ORM always gives it. Without this the ORM reads the new
    # row back, which on SQLite takes an INSERT per case even with the ids drawn beforehand
    # (``CaseRepository.add_all``), instead of one for all the cases a fold pass opens.
    __mapper_args__ = {"eager_defaults": False}  # noqa: RUF012 - read once, by the mapper

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), index=True)
    # "call": a missed call to call back; "message": a client's message nobody answered.
    kind: Mapped[str] = mapped_column(String(10), default="call", server_default="call")
    conversation_id: Mapped[int | None] = mapped_column(Integer)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("managers.id", ondelete="SET NULL"), index=True
    )
    responsible_reason: Mapped[str | None] = mapped_column(String(40))
    told: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), index=True)
    missed_count: Mapped[int] = mapped_column(Integer, default=1)
    first_missed_at: Mapped[datetime]
    last_missed_at: Mapped[datetime]
    escalate_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]
    returned_by: Mapped[int | None] = mapped_column(ForeignKey("managers.id", ondelete="SET NULL"))
    returned_call: Mapped[str | None] = mapped_column(String(260))
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(120))
    close_reason: Mapped[str | None] = mapped_column(String(500))


class OutboxMessage(Base):
    """A message to a person, written with the fact that caused it and delivered later."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # A reply in a person's chat names the message it answers: which one it was.
        Index("ix_outbox_remote", "chat_id", "remote_message_id"),
        # One live message per key and chat: what later edits of that key edit.
        Index(
            "uq_outbox_live_message",
            "message_key",
            "channel",
            "chat_id",
            unique=True,
            sqlite_where=text(LIVE_MESSAGE),
            postgresql_where=text(LIVE_MESSAGE),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[Any] | None] = mapped_column(JSON)
    documents: Mapped[list[Any] | None] = mapped_column(JSON)
    message_key: Mapped[str | None] = mapped_column(String(200), index=True)
    # An edit names the message it edits: found by it when later ones ask what reached a chat.
    edit_key: Mapped[str | None] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    remote_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # A messenger whose message ids are text (MAX's "mid.…", an e-mail's Message-ID).
    remote_ref: Mapped[str | None] = mapped_column(String(250))
    # A client's message relayed to his manager: a reply to it goes back to this conversation.
    conversation_id: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))


class CalendarDay(Base):
    """A date of the company calendar that is not an ordinary day (hub/domain/calendar.py):
    a holiday, a shortened day, a weekend worked."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))


class ServiceSecret(Base):
    """A secret the service makes for itself once and every instance shares (the key that signs
    links in messages and reports)."""

    __tablename__ = "service_secrets"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class BotState(Base):
    """Where a person is in a dialogue with the staff bot (a typed name for triage, a reason):
    kept in the database, so any instance answers his next message."""

    __tablename__ = "bot_states"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(100))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ConsoleSession(Base):
    """A person logged in to the console: the cookie holds a random token, this row only its
    SHA-256; logging out deletes the row."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    manager_id: Mapped[int] = mapped_column(
        ForeignKey("managers.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class PasswordLink(Base):
    """A one-time link that lets a person set his console password (its code stored hashed)."""

    __tablename__ = "password_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    manager_id: Mapped[int] = mapped_column(
        ForeignKey("managers.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class Conversation(Base):
    """A client (or a contact not yet known) on one messenger: the chat his messages come from
    and replies go to, who answers for it, and whether a reply is awaited."""

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("channel", "contact", name="uq_conversations_channel_contact"),
        Index(
            "ix_conversations_reply_due",
            "reply_due_at",
            sqlite_where=text("reply_due_at IS NOT NULL"),
            postgresql_where=text("reply_due_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(40))  # the [messengers.NAME] it came through
    contact: Mapped[str] = mapped_column(String(100))
    user_ref: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(32))
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="SET NULL"), index=True
    )
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("managers.id", ondelete="SET NULL"), index=True
    )
    phone_asked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    last_message_at: Mapped[datetime]
    last_in_at: Mapped[datetime | None]
    # The first message since the last reply, and when a case opens if none comes.
    awaiting_since: Mapped[datetime | None]
    reply_due_at: Mapped[datetime | None]


class ConversationMessage(Base):
    """One message of a conversation, in (stored once per channel message id) or out (queued,
    sent with retries, its delivery state kept)."""

    __tablename__ = "conversation_messages"
    __table_args__ = (
        UniqueConstraint(
            "channel", "direction", "remote_id", name="uq_conversation_messages_remote"
        ),
        Index("ix_conversation_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(40))
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    remote_id: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    at: Mapped[datetime] = mapped_column(index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id", ondelete="SET NULL"))
    # in: received; out: pending → sent → delivered → read, or failed.
    status: Mapped[str] = mapped_column(String(12))
    error: Mapped[str | None] = mapped_column(String(500))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
