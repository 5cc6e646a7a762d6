"""What a test's code asked the database about one table, and how the database would answer it:
the statements recorded as they go, and each one's plan (EXPLAIN on PostgreSQL, after ANALYZE;
EXPLAIN QUERY PLAN on SQLite) as text, for a test to look for the index it should use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

Statement = tuple[str, Any]


@contextmanager
def statements_on(engine: AsyncEngine, table: str) -> Iterator[list[Statement]]:
    """Record every statement reading ``table`` while the block runs, with its parameters."""
    seen: list[Statement] = []

    def _note(_c: Connection, _cursor: Any, statement: str, parameters: Any, *_a: Any) -> None:
        if f"FROM {table}" in statement:
            seen.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", _note)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", _note)


async def plans(engine: AsyncEngine, table: str, statements: list[Statement]) -> list[str]:
    """How the database would run each statement, the table's statistics fresh."""
    found = []
    async with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            await conn.execute(text(f"ANALYZE {table}"))
            explain = "EXPLAIN "
        else:
            explain = "EXPLAIN QUERY PLAN "
        for statement, parameters in statements:
            rows = (await conn.exec_driver_sql(explain + statement, parameters)).all()
            found.append(str(rows))
    return found
