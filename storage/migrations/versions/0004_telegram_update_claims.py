"""Telegram updates claimed by an instance (webhook mode: handled once across instances).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bot_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("claimed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("handled_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_bot_updates")),
    )
    with op.batch_alter_table("bot_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bot_updates_claimed_at"), ["claimed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bot_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bot_updates_claimed_at"))
    op.drop_table("bot_updates")
