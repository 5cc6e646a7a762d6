"""A column matched against a set of values: ``IN (…)`` on SQLite, one array on PostgreSQL.

An ``IN`` list has a bound parameter for each value, so its SQL differs with their count: on
PostgreSQL each new count is a statement parsed, planned and prepared again (the driver keeps
prepared statements by their text, and a folding pass or an import chunk brings a new count
nearly every time), and the list is rendered anew on every run. ``column = ANY($1)`` binds
the whole set as one array: one statement for any count, prepared once. SQLite has no arrays;
there the values go in ``IN`` lists. A caller that may hold many values reads them in
:func:`batches`: ``IN`` lists of at most ``IN_BATCH`` (within every driver's limit on bound
parameters), arrays of at most ``ARRAY_BATCH``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Enum, String, all_, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from storage.repositories.bulk import IN_BATCH

T = TypeVar("T")
# Values in one array on PostgreSQL: a query each, so that no single message grows unbounded.
ARRAY_BATCH = 20_000

Column = QueryableAttribute[Any] | ColumnElement[Any]


def _arrays(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def among(session: AsyncSession, column: Column, values: Collection[Any]) -> ColumnElement[bool]:
    """``column`` is one of ``values``."""
    if _arrays(session):
        return column == any_(_array(column, values))
    return column.in_(list(values))


def not_among(
    session: AsyncSession, column: Column, values: Collection[Any]
) -> ColumnElement[bool]:
    """``column`` is none of ``values``; as with ``NOT IN``, a NULL is not, unless ``values``
    is empty."""
    if _arrays(session):
        return column != all_(_array(column, values))
    return column.not_in(list(values))


def batches(session: AsyncSession, values: Sequence[T]) -> list[Sequence[T]]:
    """``values`` in the portions one query of :func:`among` takes (none for none)."""
    size = ARRAY_BATCH if _arrays(session) else IN_BATCH
    return [values[start : start + size] for start in range(0, len(values), size)]


def _array(column: Column, values: Collection[Any]) -> ColumnElement[Any]:
    # Text without the column's length: a cast to ``varchar(n)[]`` would cut a longer value
    # to n characters, and a value no row holds could match one.
    text = isinstance(column.type, String) and not isinstance(column.type, Enum)
    item = String() if text else column.type
    return bindparam(None, list(values), type_=ARRAY(item))
