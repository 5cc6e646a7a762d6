"""Where a person is told, from the command line: ``managers add`` with his e-mail, MAX user id
and order of channels, ``managers channels`` showing and changing them (an empty value clears),
refusals in one line naming the field, and each change in the audit log as the command's."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from hub.cli import main


class Shell:
    """``dozvon`` as typed in a shell, on a database of its own (run in this process: a command
    starts its own event loop, as from the shell)."""

    def __init__(self, directory: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.database = directory / "dozvon.db"
        self.config = directory / "dozvon.toml"
        self.config.write_text(
            f'[database]\nurl = "sqlite+aiosqlite:///{self.database}"\n', encoding="utf-8"
        )
        self._capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        """The exit status, stdout and the last line of stderr."""
        self._capsys.readouterr()
        try:
            code = main(["--config", str(self.config), *args])
        except SystemExit as stopped:  # argparse refusing an option
            code = int(stopped.code or 0)
        out, err = self._capsys.readouterr()
        return code, out, (err.splitlines() or [""])[-1]


@pytest.fixture
def dozvon(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Shell:
    return Shell(tmp_path, capsys)


def _audit(shell: Shell) -> list[tuple[str, str, dict[str, object] | None]]:
    """The managers' audit entries, oldest first: action, actor, the record after."""
    with closing(sqlite3.connect(shell.database)) as db:
        rows = db.execute(
            "SELECT action, actor, after FROM audit_log WHERE entity = 'manager' ORDER BY id"
        ).fetchall()
    return [(action, actor, json.loads(after) if after else None) for action, actor, after in rows]


def test_a_person_added_with_his_channels_and_changed(dozvon: Shell) -> None:
    added = dozvon(
        *("managers", "add", "Иван", "--extension", "101", "--email", "Ivan@Example.RU"),
        *("--max-user", "555", "--channels", "max, Email"),
    )
    assert added[0] == 0, added
    code, out, _ = dozvon("managers", "channels", "101")
    assert (code, out.splitlines()) == (
        0,
        ["Иван (id 1)", "1. max: user 555", "2. email: Ivan@example.ru"],
    )
    code, out, err = dozvon(
        "managers", "channels", "Иван", "--channels", "", "--email", "", "--max-user", ""
    )
    assert code == 0, err
    assert out.splitlines() == [
        "Иван (id 1)",
        "1. telegram: not set",
        "2. max: not set",
        "3. email: not set",
    ]
    [(created, by, first), (updated, by_again, after)] = _audit(dozvon)
    assert (created, by, updated, by_again) == ("create", "cli", "update", "cli")
    assert first is not None and (first["email"], first["max_user_id"], first["channels"]) == (
        "Ivan@example.ru",
        555,
        ["max", "email"],
    )
    assert after is not None and (after["email"], after["max_user_id"], after["channels"]) == (
        None,
        None,
        ["telegram", "max", "email"],
    )


def test_the_list_says_which_channels_reach_each_person(dozvon: Shell) -> None:
    for step in (
        ["managers", "add", "Иван", "--extension", "101", "--email", "ivan@example.ru"],
        ["managers", "add", "Ольга", "--extension", "100", "--max-user", "7"],
        ["managers", "add", "Пётр", "--extension", "102", "--channels", "email"],
    ):
        assert dozvon(*step)[0] == 0, step
    code, out, _ = dozvon("managers", "list")
    assert code == 0
    rows = [line.split() for line in out.splitlines()]
    assert rows[0] == ["id", "name", "role", "extension", "supervisor", "channels", "active"]
    # Пётр chose e-mail alone and has no address: nothing reaches him.
    assert rows[1:] == [
        ["1", "Иван", "manager", "101", "email"],
        ["2", "Ольга", "manager", "100", "max"],
        ["3", "Пётр", "manager", "102"],
    ]


def test_refusals_name_the_field_and_change_nothing(dozvon: Shell) -> None:
    assert dozvon("managers", "add", "Иван", "--max-user", "555")[0] == 0
    cases = [
        (
            ["managers", "add", "Ольга", "--email", "olga at example.ru"],
            "dozvon: email: an e-mail address has no spaces, line breaks or control characters",
        ),
        (
            ["managers", "add", "Ольга", "--max-user", "555"],
            "dozvon: MAX user 555 is already bound to manager 1",
        ),
        (
            ["managers", "channels", "1", "--channels", "max,sms"],
            "dozvon: channels.1: Input should be 'telegram', 'max' or 'email'",
        ),
        (
            ["managers", "channels", "1", "--channels", "max,max"],
            "dozvon: channels: max is named twice: each channel once, in the order to try",
        ),
        (
            ["managers", "channels", "Пётр", "--email", "petr@example.ru"],
            "dozvon: no manager with extension, id or name 'Пётр'",
        ),
    ]
    for args, says in cases:
        code, _, err = dozvon(*args)
        assert (code, err) == (2, says), args
    code, _, err = dozvon("managers", "channels", "1", "--max-user", "12ab")
    assert code == 2 and err.endswith("'12ab' is not a MAX user id (digits)"), err
    assert [action for action, _, _ in _audit(dozvon)] == ["create"]
