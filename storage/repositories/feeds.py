"""Tables followed by id as change feeds (the audit log, the talk log), and the question a
follower asks PostgreSQL to know when a gap in those ids can no longer fill.

A ``serial`` id is drawn when a row is inserted, not when its transaction commits, so on
PostgreSQL id 7 can be visible while id 6 is still on its way. The follower that reads these
rows (``hub/services/change_feed.py``) keeps such gaps and reads them again until every
transaction that was running when it saw them has ended: ``horizon()`` gives it the bounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage.models import AuditEntry, TalkEntry

# Ranges of ids per query when gaps are read again (each is an indexed range scan).
RANGES_PER_QUERY = 100


class FeedRepository:
    """Rows of one table by id: ``columns`` come after the id in every row returned."""

    def __init__(
        self,
        session: AsyncSession,
        id_column: InstrumentedAttribute[int],
        *columns: InstrumentedAttribute[Any],
    ) -> None:
        self._session = session
        self._id = id_column
        self._columns = columns

    async def newest(self) -> int:
        """The largest id visible now (0 for an empty table)."""
        return int(await self._session.scalar(select(func.max(self._id))) or 0)

    async def after(self, top: int, limit: int) -> list[tuple[Any, ...]]:
        """Rows with an id above ``top``, oldest first, at most ``limit``."""
        query = (
            select(self._id, *self._columns).where(self._id > top).order_by(self._id).limit(limit)
        )
        return [tuple(row) for row in await self._session.execute(query)]

    async def within(self, ranges: Sequence[tuple[int, int]]) -> list[tuple[Any, ...]]:
        """Rows whose id lies in one of the inclusive ``ranges``."""
        found: list[tuple[Any, ...]] = []
        for start in range(0, len(ranges), RANGES_PER_QUERY):
            part = ranges[start : start + RANGES_PER_QUERY]
            query = select(self._id, *self._columns).where(
                or_(*(and_(self._id >= lo, self._id <= hi) for lo, hi in part))
            )
            found += [tuple(row) for row in await self._session.execute(query)]
        return found

    async def ids_between(self, low: int, high: int) -> list[int]:
        """The visible ids from ``low`` to ``high`` (inclusive), in order."""
        query = select(self._id).where(self._id >= low, self._id <= high).order_by(self._id)
        return list((await self._session.scalars(query)).all())


def audit_feed(session: AsyncSession) -> FeedRepository:
    """Directory changes: (id, entity, entity id)."""
    return FeedRepository(session, AuditEntry.id, AuditEntry.entity, AuditEntry.entity_id)


def talk_feed(session: AsyncSession) -> FeedRepository:
    """Talks with numbers that are nobody's: (id, number, manager id, when)."""
    return FeedRepository(
        session, TalkEntry.id, TalkEntry.number, TalkEntry.manager_id, TalkEntry.at
    )


class TalkLogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, number: str, manager_id: int, at: datetime) -> None:
        self._session.add(TalkEntry(number=number, manager_id=manager_id, at=at))

    async def forget_before(self, moment: datetime) -> int:
        """Delete talks older than ``moment`` (beyond the sticky window they route nothing)."""
        result = await self._session.execute(delete(TalkEntry).where(TalkEntry.at < moment))
        return int(getattr(result, "rowcount", 0) or 0)


async def horizon(session: AsyncSession) -> tuple[int, int] | None:
    """PostgreSQL: (the oldest transaction still running, the next transaction id to be given).

    Every transaction below the first has ended; every transaction running now is below the
    second. ``None`` on SQLite, whose writers take turns and commit in the order of their ids.
    """
    if session.get_bind().dialect.name != "postgresql":
        return None
    row = (
        await session.execute(
            text(
                "SELECT pg_snapshot_xmin(s)::text::bigint, pg_snapshot_xmax(s)::text::bigint"
                " FROM pg_current_snapshot() AS s"
            )
        )
    ).one()
    return int(row[0]), int(row[1])
