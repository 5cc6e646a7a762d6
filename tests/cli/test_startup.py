"""Start-up failures of the real ``dozvon`` command: one line on stderr naming the cause and what
to do, a non-zero exit status, and nothing written — and the commands say which database they
opened, a dry run writing nothing anywhere."""

from __future__ import annotations

import socket
from pathlib import Path

import aiohttp

from tests.support.cli import dozvon
from tests.support.imports import loaded
from tests.support.service import serving


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if not line.startswith("database: ")]
    assert len(lines) == 1, stderr
    return lines[0]


def test_a_taken_port_is_one_line_before_anything_is_written(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = dozvon(tmp_path, "serve", DOZVON_HTTP__PORT=str(port))
    assert done.returncode == 1
    assert _one_line(done.stderr) == (
        f"dozvon: cannot listen on 127.0.0.1:{port}: the port is taken (another dozvon, or "
        "another service): stop it, or set http.port (DOZVON_HTTP__PORT)"
    )
    assert list(tmp_path.iterdir()) == []  # no database made, no migration run


def test_an_unreachable_postgresql_is_one_line_without_its_password(tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nobody listens there once closed
    url = f"postgresql+asyncpg://dozvon:hunter2@127.0.0.1:{port}/dozvon"
    done = dozvon(tmp_path, "serve", DOZVON_DATABASE__URL=url)
    assert done.returncode == 1
    line = _one_line(done.stderr)
    assert line.startswith(
        f"dozvon: cannot reach the database postgresql+asyncpg://dozvon:***@127.0.0.1:{port}/"
        "dozvon: "
    ), line
    assert "is it running" in line
    assert "hunter2" not in done.stderr


def test_a_database_url_in_another_form_is_answered_with_the_accepted_one(tmp_path: Path) -> None:
    done = dozvon(tmp_path, "db", "current", DOZVON_DATABASE__URL="postgres://u:secret@db/dozvon")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "dozvon: configuration error: database.url (from DOZVON_DATABASE__URL): "
        "write it postgresql+asyncpg://u:…@db/dozvon"
    )


def test_a_configured_file_in_a_missing_directory_is_not_made(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/nonexistent/dir/x.db"
    done = dozvon(tmp_path, "serve", DOZVON_DATABASE__URL=url)
    assert done.returncode == 1
    assert _one_line(done.stderr) == (
        f"dozvon: the database's directory {tmp_path}/nonexistent/dir does not exist "
        f"(database.url = {url}): create it, or correct the URL"
    )
    assert not (tmp_path / "nonexistent").exists()


def test_a_dry_run_writes_nothing_anywhere_and_says_which_database(tmp_path: Path) -> None:
    source = tmp_path / "clients.csv"
    source.write_text("name,phone\nООО Ромашка,+79161234567\n", encoding="utf-8")
    done = dozvon(tmp_path, "import", "clients", str(source), "--dry-run", "--quiet")
    assert done.returncode == 0, done.stderr
    assert (
        "database: sqlite+aiosqlite:///./var/dozvon.db does not exist yet: "
        "checking against an empty one"
    ) in done.stderr
    assert "1 created" in done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clients.csv"]
    # For real, the default location is made and named.
    done = dozvon(tmp_path, "import", "clients", str(source), "--quiet")
    assert done.returncode == 0, done.stderr
    assert "database: sqlite+aiosqlite:///./var/dozvon.db\n" in done.stderr
    assert (tmp_path / "var" / "dozvon.db").exists()


async def test_the_access_log_shows_each_request_without_its_query(tmp_path: Path) -> None:
    settings = {"DOZVON_LOG__ACCESS": "true", "DOZVON_ADMIN__TOKEN": "t"}
    route = "/api/v1/route?from=%2B79161234567&route_key=s3cret"
    async with (
        serving(tmp_path, settings) as base,
        aiohttp.ClientSession() as session,
        session.get(base + route),
    ):
        pass
    log = (tmp_path / "dozvon.log").read_text(errors="replace")
    assert "aiohttp.access: GET /api/v1/route 401 " in log, log
    assert "s3cret" not in log
    assert "apscheduler" not in log  # the jobs' every tick is not logged


def test_the_command_starts_without_the_bot_library() -> None:
    """aiogram takes seconds to import (it builds every Bot API type's schema): reading the
    configuration, with a Telegram section or not, does not need it, so ``dozvon import``,
    ``dozvon db`` and the service's own processes start without it."""
    statements = (
        "from hub.cli import main; from connectors.messengers import MESSENGERS; "
        "assert MESSENGERS['telegram'].settings.__name__ == 'TelegramSettings'"
    )
    assert loaded(statements, ("aiogram",)) == []


def test_the_service_starts_without_the_bot_library() -> None:
    """The service itself (``dozvon serve``) imports aiogram only when a Telegram token is set:
    a deployment with the staff bot on MAX, or with no bot, starts without it."""
    assert loaded("import hub.app", ("aiogram",)) == []
