"""Rows handed to the database driver as they are, without the ORM's or Core's per-row work.

An ``executemany`` through SQLAlchemy converts every value of every row through its column
type's bind processor and builds a parameter mapping per row: for a hundred thousand rows that
is most of the time an insert takes. Here each table's columns are read once, each value is
converted as the column type would convert it (an aware datetime as UTC — SQLite's text form
without the offset —, JSON as text, booleans as SQLite's integers), and the driver gets tuples
— or, for the writer's batches on PostgreSQL, each table's rows as one JSON document
(``Shape.document``), which PostgreSQL reads into rows of the table's type with each column's
own checks (a value too long for its column is refused, not cut). What is read back through
the ORM is the same either way (``tests/storage/test_driver_rows.py``).

Used where rows are many and their columns plain: the writer's batches (``storage/intake.py``)
and the client import.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import JSON, Boolean, Column, Table
from sqlalchemy.ext.asyncio import AsyncSession

from storage.types import UTCDateTime

Row = Mapping[str, Any]
Convert = Callable[[Any], Any]


def sqlite_moment(value: datetime | None) -> str | None:
    """As UTCDateTime and SQLite's DATETIME store it: UTC, without the offset."""
    return None if value is None else _sqlite_text(_aware(value), value.fold)


def _postgres_moment(value: datetime | None) -> datetime | None:
    return None if value is None else _utc(_aware(value), value.fold)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetimes are not stored; attach a time zone")
    return value


# A batch's rows mostly share their moments (the time of the batch): each is converted once.
# ``fold`` is part of the key: two moments of a zone's repeated hour compare equal but are not.
@lru_cache(maxsize=256)
def _utc(value: datetime, fold: int) -> datetime:
    return value.astimezone(UTC)


@lru_cache(maxsize=256)
def _sqlite_text(value: datetime, fold: int) -> str:
    return _utc(value, fold).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _json_text(value: Any) -> str | None:
    """SQL NULL for None (a column declared ``none_as_null``)."""
    return None if value is None else orjson.dumps(value).decode()


def _json_document(value: Any) -> str:
    """As SQLAlchemy's JSON type stores by default: None as the JSON ``null``."""
    return orjson.dumps(value).decode()


def _sqlite_flag(value: Any) -> int | None:
    return None if value is None else int(bool(value))


def _same(value: Any) -> Any:
    return value


def _json(column: Column[Any]) -> Convert:
    return _json_text if getattr(column.type, "none_as_null", False) else _json_document


def sqlite_converter(column: Column[Any]) -> Convert:
    if isinstance(column.type, UTCDateTime):
        return sqlite_moment
    if isinstance(column.type, Boolean):
        return _sqlite_flag
    if isinstance(column.type, JSON):
        return _json(column)
    return _same


def postgres_converter(column: Column[Any]) -> Convert:
    if isinstance(column.type, UTCDateTime):
        return _postgres_moment
    if isinstance(column.type, JSON):
        return _json(column)
    return _same


def postgres_document_converter(column: Column[Any]) -> Convert:
    """For rows sent to PostgreSQL as one JSON document (``Shape.document``): a JSON column's
    value goes in as it is, as part of the document. A JSON ``null`` becomes SQL NULL there
    whatever the column's ``none_as_null``: only for columns that never hold None."""
    if isinstance(column.type, UTCDateTime):
        return _postgres_moment
    return _same


def converter_for(dialect: str) -> Callable[[Column[Any]], Convert]:
    return sqlite_converter if dialect == "sqlite" else postgres_converter


class Shape:
    """Some of a table's columns, in order, and how each value is converted for the driver.
    ``names``: which columns (by default all but the primary key)."""

    def __init__(
        self,
        table: Table,
        converter: Callable[[Column[Any]], Convert],
        names: Collection[str] | None = None,
    ) -> None:
        self.table = table
        self.columns = [
            column
            for column in table.columns
            if (not column.primary_key if names is None else column.name in names)
        ]
        if names is not None and len(self.columns) != len(names):
            unknown = sorted(set(names) - {column.name for column in self.columns})
            raise ValueError(f"{table.name} has no column {', '.join(unknown)}")
        self.names = [column.name for column in self.columns]
        converters = [converter(column) for column in self.columns]
        # Only the values whose type changes them are touched.
        self._convert = [(i, c) for i, c in enumerate(converters) if c is not _same]

    def values(self, row: Row) -> tuple[Any, ...]:
        values = [row.get(name) for name in self.names]
        for i, convert in self._convert:
            values[i] = convert(values[i])
        return tuple(values)

    def document(self, rows: Sequence[Row]) -> str:
        """The rows as one JSON array of objects (for PostgreSQL's ``json_populate_recordset``):
        one parameter, serialised at once, where arrays column by column cost the driver's
        encoder a call per value (a third of a millisecond more per batch of 16)."""
        names = self.names
        objects = [dict(zip(names, self.values(row), strict=True)) for row in rows]
        return orjson.dumps(objects).decode()

    def insert(self, paramstyle: str) -> str:
        """``INSERT INTO table (columns) VALUES (placeholders)`` in the driver's parameter style."""
        if paramstyle == "qmark":
            marks = ["?"] * len(self.names)
        elif paramstyle == "numeric_dollar":
            marks = [f"${n}" for n in range(1, len(self.names) + 1)]
        else:
            raise ValueError(f"parameter style {paramstyle!r} is not supported")
        return (
            f"INSERT INTO {self.table.name} ({', '.join(self.names)}) VALUES ({', '.join(marks)})"  # noqa: S608 - the names are storage.models' own, the values bound
        )


_SHAPES: dict[tuple[str, str, tuple[str, ...]], tuple[Shape, str]] = {}


async def insert_many(session: AsyncSession, table: Table, rows: Sequence[Row]) -> None:
    """Insert ``rows`` (each with the same keys: the columns they set) in the session's
    transaction: one driver ``executemany`` on SQLite, a ``COPY`` on PostgreSQL. Column defaults
    are not applied: every column the database cannot fill itself must be given."""
    if not rows:
        return
    connection = await session.connection()
    dialect = connection.dialect
    names = tuple(rows[0])
    key = (dialect.name, table.name, names)
    if key not in _SHAPES:
        shape = Shape(table, converter_for(dialect.name), names)
        _SHAPES[key] = (shape, shape.insert(dialect.paramstyle))
    shape, statement = _SHAPES[key]
    values = [shape.values(row) for row in rows]
    if dialect.name == "postgresql":
        # COPY, several times an executemany's speed for a large batch, in the session's
        # transaction: SQLAlchemy begins it on the driver's connection with the first statement
        # it runs, so one runs first when none has yet.
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        if not driver.is_in_transaction():
            await connection.exec_driver_sql("SELECT 1")
        await driver.copy_records_to_table(shape.table.name, records=values, columns=shape.names)
        return
    await connection.exec_driver_sql(statement, values)
