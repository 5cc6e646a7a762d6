"""A big import's phones read ahead in a worker process (hub/services/phones_ahead.py): the
same cards and rejections as read in place, and in place whenever the worker is not there."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import DatabaseSettings
from hub.domain.phone import Normalizer
from hub.domain.written_phones import read_phones
from hub.services.csv_source import read_clients
from hub.services.importer import CHUNK, ImportReport, import_clients
from hub.services.phones_ahead import PhonesAhead
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.models import AuditEntry, Client, ClientPhone, Manager
from tests.conftest import fresh_pg_database
from tests.support.telegram_stub import until

NORMALIZE = Normalizer("RU")
ROWS = CHUNK * 2 + 17  # three chunks, the last one short


def _file(tmp_path: Path) -> Path:
    """Rows with phones as people write them: separators, extensions, a bad one, a repeat."""
    lines = ["name,manager,phones"]
    for i in range(ROWS):
        phones = f"8 (926) {i // 10000:03d}-{i % 10000 // 100:02d}-{i % 100:02d}"
        if i % 7 == 0:
            phones += f" доб. {i % 1000}"
        if i % 11 == 0:
            phones += f"; +7 495 {i:07d}"
        if i % 503 == 0:
            phones = "12-34"  # an extension, not an outside number: rejected
        lines.append(f"Client {i},{101 + i % 2},{phones}")
    lines.append("Client 5,101,+7 926 000-00-05")  # the same card again, by phone
    path = tmp_path / "clients.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def _database(url: str, engines: list[AsyncEngine]) -> SessionFactory:
    engine = create_engine(DatabaseSettings(url=url))
    engines.append(engine)
    sessions = create_session_factory(engine)
    async with sessions() as session:
        session.add_all(
            [
                Manager(name="Иван", role="manager", extension="101"),
                Manager(name="Ольга", role="manager", extension="102"),
            ]
        )
        await session.commit()
    return sessions


async def _stored(sessions: SessionFactory) -> tuple[list[tuple[object, ...]], ...]:
    async with sessions() as session:
        clients = (
            await session.execute(
                select(Client.id, Client.name, Client.manager_id, Client.notes).order_by(Client.id)
            )
        ).all()
        phones = (
            await session.execute(
                select(ClientPhone.client_id, ClientPhone.number, ClientPhone.ext).order_by(
                    ClientPhone.number
                )
            )
        ).all()
        audit = (
            await session.execute(
                select(AuditEntry.entity_id, AuditEntry.action, AuditEntry.after).order_by(
                    AuditEntry.id
                )
            )
        ).all()
    return [tuple(r) for r in clients], [tuple(r) for r in phones], [tuple(r) for r in audit]


@pytest.fixture
async def two(
    request: pytest.FixtureRequest, db_url: str, tmp_path: Path, sqlite_template: Path
) -> AsyncIterator[tuple[SessionFactory, SessionFactory]]:
    """Two empty databases of the kind under test: one imported into in place, one ahead."""
    if db_url.startswith("sqlite"):
        shutil.copy(sqlite_template, tmp_path / "ahead.db")
        second = f"sqlite+aiosqlite:///{tmp_path}/ahead.db"
    else:
        second = await fresh_pg_database(request.getfixturevalue("pg_cluster"))
    engines: list[AsyncEngine] = []
    yield await _database(db_url, engines), await _database(second, engines)
    for engine in engines:
        await engine.dispose()


def _same(report: ImportReport, other: ImportReport) -> None:
    assert (report.created, report.updated, report.unchanged) == (
        other.created,
        other.updated,
        other.unchanged,
    )
    assert report.rejected == other.rejected and report.names_differ == other.names_differ


async def test_read_ahead_in_a_worker_imports_what_in_place_does(
    two: tuple[SessionFactory, SessionFactory], tmp_path: Path
) -> None:
    rows, _ = read_clients(_file(tmp_path))
    in_place, ahead = two
    expected = await import_clients(in_place, rows, NORMALIZE, ahead_from=len(rows) + 1)
    found = await import_clients(ahead, rows, NORMALIZE, ahead_from=1)
    assert expected.created > 2 * CHUNK and len(expected.rejected) == ROWS // 503 + 1
    assert expected.updated == 1  # the repeated row, matched by phone
    _same(found, expected)
    stored, stored_ahead = await _stored(in_place), await _stored(ahead)
    assert [c[1:] for c in stored_ahead[0]] == [c[1:] for c in stored[0]]
    assert [p[1:] for p in stored_ahead[1]] == [p[1:] for p in stored[1]]
    assert any(ext for _, _, ext in stored_ahead[1])  # extensions came back from the worker
    assert [a[1:] for a in stored_ahead[2]] == [a[1:] for a in stored[2]]


async def test_a_worker_that_cannot_take_the_work_leaves_it_in_place(
    two: tuple[SessionFactory, SessionFactory], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rows, _ = read_clients(_file(tmp_path))
    in_place, ahead = two

    class Local(Normalizer):
        """Defined in a function: it cannot be pickled, so the worker cannot be given it."""

    unpicklable = Local("RU")
    expected = await import_clients(in_place, rows, NORMALIZE, ahead_from=len(rows) + 1)
    found = await import_clients(ahead, rows, unpicklable, ahead_from=1)
    assert "phones are read in place: the worker process failed" in caplog.text
    _same(found, expected)
    assert [c[1:] for c in (await _stored(ahead))[0]] == [
        c[1:] for c in (await _stored(in_place))[0]
    ]


async def test_a_chunk_the_worker_has_not_begun_is_read_in_place() -> None:
    cells = [[[f"+7926{c:03d}{i:04d}"] for i in range(1000)] for c in range(40)]
    with PhonesAhead(cells, NORMALIZE, apart=True) as ahead:
        assert ahead.waiting(0) is None  # the first chunk is read here, while the worker starts
        # The worker is still starting: the last chunk waits behind the others, so it is
        # taken back and read here (not waited for).
        pending, handed = ahead.waiting(39), ahead.waiting(1)
        assert pending is not None and handed is not None
        last = await ahead.chunk(39)
        assert pending.cancelled() and ahead.waiting(39) is None  # not kept once taken
        # Handed to the worker (its call queue): no longer taken back.
        await until(lambda: handed.running() or handed.done(), seconds=120)
        second = await ahead.chunk(1)
        assert not handed.cancelled() and handed.done()
        first = await ahead.chunk(0)
    assert last == read_phones(cells[39], NORMALIZE)
    assert second == read_phones(cells[1], NORMALIZE)
    assert first == read_phones(cells[0], NORMALIZE)
