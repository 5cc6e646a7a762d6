"""``dozvon managers set-password``: a one-time link to set a person's console password."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.cli import dozvon

LINK = re.compile(r"^Иван Петров: (\S+)/password/([A-Za-z0-9_-]{32})$")


def test_set_password_prints_a_link(tmp_path: Path) -> None:
    added = dozvon(tmp_path, "managers", "add", "Иван Петров", "--extension", "101")
    assert added.returncode == 0, added.stderr
    done = dozvon(tmp_path, "managers", "set-password", "101", "--login", "ivan")
    assert done.returncode == 0, done.stderr
    found = LINK.match(done.stdout.strip())
    assert found is not None, done.stdout
    assert found.group(1) == "http://127.0.0.1:8080"
    assert "log in as 'ivan'" in done.stderr
    public = dozvon(
        tmp_path,
        "managers",
        "set-password",
        "Иван Петров",
        DOZVON_HTTP__PUBLIC_URL="https://dozvon.example.com/",
    )
    assert public.returncode == 0, public.stderr
    again = LINK.match(public.stdout.strip())
    assert again is not None and again.group(1) == "https://dozvon.example.com"
    assert again.group(2) != found.group(2)
    missing = dozvon(tmp_path, "managers", "set-password", "999")
    assert missing.returncode == 2
    assert missing.stderr.splitlines()[-1] == "dozvon: no manager with extension, id or name '999'"
    taken = dozvon(tmp_path, "managers", "set-password", "101", "--login", "12")
    assert taken.returncode == 2
    assert "a login of digits alone" in taken.stderr
