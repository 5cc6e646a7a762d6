"""A client's phone keeps the extension dialled after the number answers («доб. 123»).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("client_phones", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ext", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("client_phones", schema=None) as batch_op:
        batch_op.drop_column("ext")
