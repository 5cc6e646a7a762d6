"""The outbox's edits are found by the message they edit (``ix_outbox_edit_key``): whether a later
edit reached a chat, or any message of a key reached its person, was read by scanning every
message stored since, which grew with the outbox.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_outbox_edit_key", "outbox", ["edit_key"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_outbox_edit_key", table_name="outbox")
