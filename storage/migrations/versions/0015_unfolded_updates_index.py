"""The folder reads the call updates it has still to fold through an index of those alone
(``ix_call_events_unfolded``, partial), instead of one over the flag of every update ever stored.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNFOLDED = "folded = false"


def upgrade() -> None:
    op.create_index(
        "ix_call_events_unfolded",
        "call_events",
        ["id"],
        unique=False,
        sqlite_where=sa.text(UNFOLDED),
        postgresql_where=sa.text(UNFOLDED),
    )
    op.drop_index("ix_call_events_folded", table_name="call_events")


def downgrade() -> None:
    op.create_index("ix_call_events_folded", "call_events", ["folded"], unique=False)
    op.drop_index("ix_call_events_unfolded", table_name="call_events")
