"""Queued rows taken by a worker for a while: the due ones leased and read back in one statement.

A queue's rows (the outbox's messages, clients' replies and files) carry ``next_attempt_at`` and
``attempts``. A worker takes the first due ones: each is due again only once its lease has passed
(a worker that died mid-way), its attempt counted. On PostgreSQL rows another instance's claim
holds are skipped, not waited for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any, TypeVar

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base

Q = TypeVar("Q", bound=Base)


async def lease_due(
    session: AsyncSession,
    model: type[Q],
    due: Select[Any],
    until: datetime,
) -> Sequence[Q]:
    """Lease the rows ``due`` selects (their ids, in order, with their limit) until ``until``;
    returned in the order they were queued (by id)."""
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    # Taken once, whatever the plan: a subquery the planner ran again for each row could skip
    # other rows the second time, and lease more than the limit.
    taken = due.cte("due").prefix_with("MATERIALIZED")
    columns = model.__table__.c
    claim = (
        update(model)
        .where(columns.id.in_(select(taken.c.id)))
        .values(next_attempt_at=until, attempts=columns.attempts + 1)
        .returning(model)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    claimed = (await session.scalars(claim)).all()
    return sorted(claimed, key=attrgetter("id"))
