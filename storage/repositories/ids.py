"""Reserve primary keys for rows that a bulk insert writes with explicit ids.

Reading ids back row by row (INSERT ... RETURNING with order) is what makes a 100k-row import
slow on SQLite; drawing them up front lets one multi-row INSERT do the work.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute


async def reserve_ids(
    session: AsyncSession, column: InstrumentedAttribute[int], count: int
) -> list[int]:
    """``count`` unused ids for ``column`` (an integer primary key), valid in this transaction.

    PostgreSQL draws them from the column's sequence. SQLite continues after the largest id; the
    transaction holds the write lock from its start (BEGIN IMMEDIATE), so nobody else can take
    them before it commits.
    """
    if count <= 0:
        return []
    table = column.class_.__tablename__
    if session.get_bind().dialect.name == "postgresql":
        rows = await session.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, :column))"
                " FROM generate_series(1, :n)"
            ),
            {"table": table, "column": column.key, "n": count},
        )
        return [int(value) for (value,) in rows]
    top = int(await session.scalar(select(func.coalesce(func.max(column), 0))) or 0)
    return list(range(top + 1, top + count + 1))
