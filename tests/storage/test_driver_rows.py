"""Rows handed to the driver as they are (storage/driver_rows.py): what the ORM reads back is
what was given, in the session's transaction; a row naming no column of the table is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from storage.db import SessionFactory
from storage.driver_rows import Shape, insert_many, sqlite_converter
from storage.models import AuditEntry, Client, NumberList
from storage.repositories.bulk import table_of

MOSCOW_TIME = timezone(timedelta(hours=3))
AT = datetime(2026, 11, 23, 15, 0, 0, 123456, tzinfo=MOSCOW_TIME)


async def test_rows_read_back_through_the_orm_as_given(factory: SessionFactory) -> None:
    audit: list[dict[str, Any]] = [
        {
            "at": AT + timedelta(seconds=i),
            "actor": "import",
            "action": "create",
            "entity": "client",
            "entity_id": str(i),
            "before": None if i else {"name": "было"},
            "after": {"name": f"Клиент {i}", "phones": ["+79161234567"], "n": i},
        }
        for i in range(3)
    ]
    lists = [
        {
            "slug": slug,
            "title": slug,
            "action": "block",
            "builtin": builtin,
            "opens_cases": not builtin,
            "created_at": AT,
        }
        for slug, builtin in (("bulk-a", True), ("bulk-b", False))
    ]
    async with factory() as session:
        await insert_many(session, table_of(AuditEntry), audit)
        await insert_many(session, table_of(NumberList), lists)
        await insert_many(
            session,
            table_of(Client),
            [
                {
                    "id": 77,
                    "name": "ООО Ромашка",
                    "status": "potential",
                    "notes": "",
                    "created_at": AT,
                    "updated_at": AT,
                    "status_set_by_hand_at": None,
                }
            ],
        )
        await session.commit()
    async with factory() as session:
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
        kept = {n.slug: n for n in (await session.scalars(select(NumberList))).all()}
        client = await session.get(Client, 77)
    assert [(e.at, e.entity_id, e.before, e.after) for e in entries] == [
        (r["at"].astimezone(UTC), r["entity_id"], r["before"], r["after"]) for r in audit
    ]
    assert entries[0].at.tzinfo is not None
    assert (kept["bulk-a"].builtin, kept["bulk-a"].opens_cases) == (True, False)
    assert (kept["bulk-b"].builtin, kept["bulk-b"].opens_cases) == (False, True)
    assert client is not None and client.name == "ООО Ромашка"
    assert client.created_at == AT and client.status_set_by_hand_at is None


async def test_rows_are_part_of_the_sessions_transaction(factory: SessionFactory) -> None:
    async with factory() as session:
        await insert_many(
            session,
            table_of(AuditEntry),
            [{"at": AT, "actor": "a", "action": "x", "entity": "e", "entity_id": "1"}],
        )
        await session.rollback()
    async with factory() as session:
        assert (await session.scalars(select(AuditEntry))).all() == []


def test_a_column_the_table_lacks_is_named() -> None:
    with pytest.raises(ValueError, match="audit_log has no column colour"):
        Shape(table_of(AuditEntry), sqlite_converter, ["actor", "colour"])
    shape = Shape(table_of(AuditEntry), sqlite_converter, ["actor", "at"])
    assert shape.names == ["at", "actor"]  # the table's order
    with pytest.raises(ValueError, match="parameter style 'pyformat' is not supported"):
        shape.insert("pyformat")
    with pytest.raises(ValueError, match="naive datetimes are not stored"):
        shape.values({"actor": "a", "at": datetime(2026, 1, 1)})  # noqa: DTZ001 - naive on purpose


async def test_json_none_and_a_repeated_hour_are_stored_as_the_orm_stores_them(
    factory: SessionFactory,
) -> None:
    """None in a JSON column is JSON's ``null`` (SQLAlchemy's default), not SQL NULL; the two
    moments of a zone's repeated hour (equal to Python) are stored an hour apart."""
    berlin = ZoneInfo("Europe/Berlin")
    first = datetime(2025, 10, 26, 2, 30, tzinfo=berlin)  # clocks go back at 03:00
    second = first.replace(fold=1)
    row = {"actor": "a", "action": "x", "entity": "e", "before": None, "after": {"n": 1}}
    async with factory() as session:
        session.add(AuditEntry(at=first, entity_id="orm", **row))
        await session.flush()
        await insert_many(
            session,
            table_of(AuditEntry),
            [{**row, "at": at, "entity_id": f"bulk {n}"} for n, at in enumerate((first, second))],
        )
        await session.commit()
    async with factory() as session:
        nulls = (
            await session.execute(text("SELECT entity_id, before IS NULL FROM audit_log"))
        ).all()
        kept = dict((await session.execute(select(AuditEntry.entity_id, AuditEntry.at))).all())
    assert sorted((e, bool(n)) for e, n in nulls) == [
        ("bulk 0", False),
        ("bulk 1", False),
        ("orm", False),
    ]
    assert kept["bulk 0"] == kept["orm"] == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)
    assert kept["bulk 1"] == datetime(2025, 10, 26, 1, 30, tzinfo=UTC)
