"""The ``dozvon`` command as an admin types it: its version and help, tokens (names of their own,
listed, revoked by name), managers (added, listed, their work handed to another)."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import dozvon


def test_version_and_help_are_plain(tmp_path: Path) -> None:
    done = dozvon(tmp_path, "--version")
    assert done.returncode == 0
    assert done.stdout.startswith("dozvon ")
    for args in (["--help"], ["managers", "reassign", "--help"], ["token", "create", "--help"]):
        shown = dozvon(tmp_path, *args)
        assert shown.returncode == 0, shown.stderr
        assert "``" not in shown.stdout and ":func:" not in shown.stdout
    # Every argument says what it is.
    reassign = dozvon(tmp_path, "managers", "reassign", "--help").stdout
    for word in ("FROM", "TO", "--clients"):
        line = next(line for line in reassign.splitlines() if line.strip().startswith(word))
        assert len(line.split()) > 1 or word == "--clients", line


def test_tokens_have_names_of_their_own_and_are_revoked_by_name(tmp_path: Path) -> None:
    made = dozvon(tmp_path, "token", "create", "asterisk", "--role", "pbx")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("dzv_")
    again = dozvon(tmp_path, "token", "create", "asterisk", "--role", "pbx")
    assert again.returncode == 2
    assert again.stderr.splitlines()[-1] == (
        "dozvon: a token named 'asterisk' exists (id 1): revoke it first, or choose another name"
    )
    listed = dozvon(tmp_path, "token", "list").stdout.splitlines()
    assert listed[0].split() == ["id", "name", "role", "person", "issued", "by", "revoked"]
    assert listed[1].split()[:3] == ["1", "asterisk", "pbx"]
    assert len(listed) == 2
    revoked = dozvon(tmp_path, "token", "revoke", "asterisk")
    assert revoked.stdout.strip() == "token 'asterisk' (id 1) revoked"
    assert len(dozvon(tmp_path, "token", "list").stdout.splitlines()[1].split()) == 8
    # The name is free again; an unknown one is said so.
    assert dozvon(tmp_path, "token", "create", "asterisk", "--role", "pbx").returncode == 0
    missing = dozvon(tmp_path, "token", "revoke", "freepbx")
    assert (missing.returncode, missing.stderr.splitlines()[-1]) == (
        2,
        "dozvon: no token named 'freepbx' (see dozvon token list)",
    )


def test_managers_are_added_listed_and_their_work_handed_over(tmp_path: Path) -> None:
    steps = [
        ["managers", "add", "Ольга", "--role", "supervisor", "--extension", "100"],
        ["managers", "add", "Иван", "--extension", "101", "--supervisor", "100"],
        ["managers", "add", "Пётр", "--extension", "102", "--supervisor", "Ольга"],
    ]
    for step in steps:
        done = dozvon(tmp_path, *step)
        assert done.returncode == 0, done.stderr
    assert dozvon(tmp_path, *steps[1]).returncode == 2  # extension 101 is taken
    bad = dozvon(tmp_path, "managers", "add", "X", "--extension", "1 2")
    assert bad.returncode == 2 and bad.stderr.splitlines()[-1].startswith("dozvon: extension:")
    rows = [line.split() for line in dozvon(tmp_path, "managers", "list").stdout.splitlines()]
    assert rows[1:] == [
        ["1", "Ольга", "supervisor", "100"],
        ["2", "Иван", "manager", "101", "Ольга"],
        ["3", "Пётр", "manager", "102", "Ольга"],
    ]
    handed = dozvon(tmp_path, "managers", "reassign", "101", "Пётр")
    assert handed.returncode == 0, handed.stderr
    assert handed.stdout.strip() == (
        "Иван → Пётр: 0 clients, 0 open cases, 0 numbers in the triage queue"
    )
    himself = dozvon(tmp_path, "managers", "reassign", "101", "2")
    assert himself.stderr.splitlines()[-1] == "dozvon: a manager's work cannot be handed to himself"
