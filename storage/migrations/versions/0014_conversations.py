"""Clients' messages: conversations (a client on one messenger) and their messages; a case may
be a message nobody answered; people's staff channels beside Telegram (e-mail, MAX) and their
order; an outbox message may carry a text id and the conversation it relays.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("contact", sa.String(length=100), nullable=False),
        sa.Column("user_ref", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("phone_asked", sa.Boolean(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_message_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_in_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("awaiting_since", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reply_due_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_conversations_client_id_clients"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["managers.id"],
            name=op.f("fk_conversations_manager_id_managers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
        sa.UniqueConstraint("channel", "contact", name="uq_conversations_channel_contact"),
    )
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversations_client_id"), ["client_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_conversations_manager_id"), ["manager_id"], unique=False
        )
        batch_op.create_index(
            "ix_conversations_reply_due",
            ["reply_due_at"],
            unique=False,
            sqlite_where=sa.text("reply_due_at IS NOT NULL"),
            postgresql_where=sa.text("reply_due_at IS NOT NULL"),
        )

    op.create_table(
        "conversation_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("remote_id", sa.String(length=200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_conversation_messages_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["managers.id"],
            name=op.f("fk_conversation_messages_manager_id_managers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_messages")),
        sa.UniqueConstraint(
            "channel", "direction", "remote_id", name="uq_conversation_messages_remote"
        ),
    )
    with op.batch_alter_table("conversation_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_messages_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_conversation_messages_conversation_id"),
            ["conversation_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_conversation_messages_due", ["status", "next_attempt_at"], unique=False
        )

    with op.batch_alter_table("callback_cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=10), server_default="call", nullable=False)
        )
        batch_op.add_column(sa.Column("conversation_id", sa.Integer(), nullable=True))

    with op.batch_alter_table("managers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("max_user_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("channels", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("unreachable", sa.JSON(), server_default="[]", nullable=False)
        )
        batch_op.create_unique_constraint(batch_op.f("uq_managers_max_user_id"), ["max_user_id"])

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("remote_ref", sa.String(length=250), nullable=True))
        batch_op.add_column(sa.Column("conversation_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_outbox_remote", ["chat_id", "remote_message_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_remote")
        batch_op.drop_column("conversation_id")
        batch_op.drop_column("remote_ref")

    with op.batch_alter_table("managers", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_managers_max_user_id"), type_="unique")
        batch_op.drop_column("unreachable")
        batch_op.drop_column("channels")
        batch_op.drop_column("max_user_id")
        batch_op.drop_column("email")

    with op.batch_alter_table("callback_cases", schema=None) as batch_op:
        batch_op.drop_column("conversation_id")
        batch_op.drop_column("kind")

    with op.batch_alter_table("conversation_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_messages_due")
        batch_op.drop_index(batch_op.f("ix_conversation_messages_conversation_id"))
        batch_op.drop_index(batch_op.f("ix_conversation_messages_at"))

    op.drop_table("conversation_messages")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_conversations_reply_due",
            sqlite_where=sa.text("reply_due_at IS NOT NULL"),
            postgresql_where=sa.text("reply_due_at IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_conversations_manager_id"))
        batch_op.drop_index(batch_op.f("ix_conversations_client_id"))

    op.drop_table("conversations")
