"""``managers reassign`` from the command line: the open cases it hands over are told to their
new manager through the outbox (the running service delivers them), in the command's
transaction."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from config.settings import DatabaseSettings
from hub.cli import main
from storage.db import create_engine, create_session_factory
from storage.models import CallbackCase
from storage.uow import UnitOfWork

NUMBER = "+79161234567"


def _run(config: Path, *args: str) -> int:
    return main(["--config", str(config), *args])


async def _open_case(url: str) -> int:
    engine = create_engine(DatabaseSettings(url=url))
    try:
        async with UnitOfWork(create_session_factory(engine)) as uow:
            ivan = await uow.managers.by_extension("101")
            client = (await uow.clients.page(name="Ромашка"))[0]
            assert ivan is not None
            missed = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
            case = CallbackCase(
                number=NUMBER,
                status="open",
                first_missed_at=missed,
                last_missed_at=missed,
                manager_id=ivan.id,
                client_id=client.id,
                told=[ivan.id],
            )
            uow.session.add(case)
            await uow.commit()
            return case.id
    finally:
        await engine.dispose()


def test_the_cases_handed_over_are_told_to_their_new_manager(tmp_path: Path) -> None:
    database = tmp_path / "dozvon.db"
    url = f"sqlite+aiosqlite:///{database}"
    config = tmp_path / "dozvon.toml"
    config.write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")
    assert _run(config, "managers", "add", "Иван", "--extension", "101") == 0
    assert _run(config, "managers", "add", "Пётр", "--extension", "102") == 0
    table = tmp_path / "clients.csv"
    table.write_text(f"name,manager,phones\nООО Ромашка,101,{NUMBER}\n", encoding="utf-8")
    assert _run(config, "import", "clients", "--quiet", str(table)) == 0
    case_id = asyncio.run(_open_case(url))
    assert _run(config, "managers", "reassign", "101", "102") == 0
    with closing(sqlite3.connect(database)) as db:
        owner = db.execute("SELECT manager_id FROM callback_cases WHERE id = ?", (case_id,))
        petr = db.execute("SELECT id FROM managers WHERE extension = '102'").fetchone()[0]
        assert owner.fetchone()[0] == petr
        rows = db.execute(
            "SELECT dedup_key, text FROM outbox WHERE dedup_key LIKE ?",
            (f"case:{case_id}:assigned:%:{petr}",),
        ).fetchall()
    assert len(rows) == 1 and NUMBER in rows[0][1] and "Пётр" in rows[0][1]
