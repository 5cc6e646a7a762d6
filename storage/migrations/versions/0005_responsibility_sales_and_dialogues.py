"""Who is responsible for a case and who was told; sales and a closed set of client statuses;
who an unknown number belongs to and who triaged it; documents in the outbox; bot dialogues;
the job seekers' list opens no callback cases.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("potential", "new", "regular", "lapsed", "churned")


def upgrade() -> None:
    with op.batch_alter_table("callback_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("responsible_reason", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("told", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "status_set_by_hand_at", storage.types.UTCDateTime(timezone=True), nullable=True
            )
        )
    clients = sa.table("clients", sa.column("status", sa.String))
    op.execute(clients.update().where(clients.c.status.not_in(STATUSES)).values(status="potential"))
    with op.batch_alter_table("unknown_numbers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("manager_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("resolved_by", sa.String(length=120), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_unknown_numbers_manager_id_managers"),
            "managers",
            ["manager_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            batch_op.f("ix_unknown_numbers_manager_id"), ["manager_id"], unique=False
        )
    op.execute("UPDATE unknown_numbers SET manager_id = last_manager_id")
    # A job seeker's missed call is no sales callback: put on that list, the case closes.
    op.execute("UPDATE number_lists SET opens_cases = false WHERE slug = 'job_seekers'")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("documents", sa.JSON(), nullable=True))
    op.create_table(
        "sales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("sold_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("dedup_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_sales_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales")),
        sa.UniqueConstraint("dedup_key", name=op.f("uq_sales_dedup_key")),
    )
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sales_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sales_sold_on"), ["sold_on"], unique=False)
    op.create_table(
        "bot_states",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=100), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_bot_states")),
    )


def downgrade() -> None:
    op.execute("UPDATE number_lists SET opens_cases = true WHERE slug = 'job_seekers'")
    op.drop_table("bot_states")
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_sold_on"))
        batch_op.drop_index(batch_op.f("ix_sales_client_id"))
    op.drop_table("sales")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("documents")
    with op.batch_alter_table("unknown_numbers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unknown_numbers_manager_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_unknown_numbers_manager_id_managers"), type_="foreignkey"
        )
        batch_op.drop_column("resolved_by")
        batch_op.drop_column("manager_id")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("status_set_by_hand_at")
    with op.batch_alter_table("callback_cases", schema=None) as batch_op:
        batch_op.drop_column("told")
        batch_op.drop_column("responsible_reason")
