"""Migrations agree with the models, and every revision upgrades and downgrades (both databases)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from config.settings import DatabaseSettings
from storage.db import create_engine
from storage.migrate import alembic_config, current_revision, downgrade, head_revision, upgrade
from storage.models import Base
from tests.conftest import fresh_pg_database  # noqa: TID
from tests.support.pg_cluster import Cluster


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    url = await fresh_pg_database(cluster)
    engine = create_engine(DatabaseSettings(url=url))
    await downgrade(engine, "base")  # the template is migrated; start from nothing
    await engine.dispose()
    return url


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_models_and_migrations_agree(empty_url: str) -> None:
    engine = create_engine(DatabaseSettings(url=empty_url))
    try:
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_diff) == []
    finally:
        await engine.dispose()


async def test_every_revision_upgrades_and_downgrades(empty_url: str) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert revisions[-1] == head_revision()
    engine = create_engine(DatabaseSettings(url=empty_url))
    try:
        for revision in revisions:
            await upgrade(engine, revision)
            assert await current_revision(engine) == revision
        for previous in [*reversed(revisions[:-1]), "base"]:
            await downgrade(engine, previous)
            assert await current_revision(engine) == (None if previous == "base" else previous)
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        assert set(tables) <= {"alembic_version"}
        await upgrade(engine)
        assert await current_revision(engine) == head_revision()
    finally:
        await engine.dispose()


async def test_builtin_lists_are_seeded(empty_url: str) -> None:
    from sqlalchemy import select

    from storage.models import NumberList

    engine = create_engine(DatabaseSettings(url=empty_url))
    try:
        await upgrade(engine)
        async with engine.connect() as conn:
            slugs = set((await conn.execute(select(NumberList.slug))).scalars())
        assert slugs == {"blacklist", "job_seekers", "suppliers", "spam", "personal"}
    finally:
        await engine.dispose()
