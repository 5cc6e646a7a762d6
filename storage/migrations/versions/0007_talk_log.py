"""The talk log: who talked to a number that is nobody's, followed by every instance's routing.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "talk_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talk_log")),
    )
    with op.batch_alter_table("talk_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_talk_log_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("talk_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_talk_log_at"))
    op.drop_table("talk_log")
