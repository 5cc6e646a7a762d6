"""An API token may belong to a person: it carries his scope (his own records, his team's, or
everything). Tokens without one (those issued before) keep seeing the whole company.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("manager_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_api_tokens_manager_id_managers"),
            "managers",
            ["manager_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(batch_op.f("ix_api_tokens_manager_id"), ["manager_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_manager_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_api_tokens_manager_id_managers"), type_="foreignkey"
        )
        batch_op.drop_column("manager_id")
