"""``dozvon token create NAME --manager EXT --role ...``: a token of a person, which works with his
scope in the running service; a role beyond the person is refused with a clear error (both
databases)."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

from hub.bootstrap.core import SETTINGS
from tests.support.api import Api
from tests.support.cli import dozvon
from tests.support.team import sales_team


async def run(api: Api, directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``dozvon ARGS`` on the database the app under test uses (the app keeps serving)."""
    url = api.app[SETTINGS].database.url
    return await asyncio.to_thread(dozvon, directory, *args, DOZVON_DATABASE__URL=url)


async def test_a_persons_token_from_the_command_line_carries_his_scope(
    api: Api, tmp_path: Path
) -> None:
    team = await sales_team(api)
    anna = await api.post("/api/v1/managers", {"name": "Анна", "extension": "102"})
    theirs = await api.post("/api/v1/clients", {"name": "ООО Лютик", "manager_id": anna["id"]})

    made = await run(
        api, tmp_path, "token", "create", "ivan-crm", "--manager", "101", "--role", "manager"
    )
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip()
    assert secret.startswith("dzv_")
    assert "Иван's" in made.stderr
    listed = (await api.get("/api/v1/tokens"))["items"]
    assert [(t["name"], t["role"], t["manager_id"]) for t in listed] == [
        ("ivan-crm", "manager", team["ivan"]["id"])
    ]
    clients = await api.get("/api/v1/clients", token=secret)
    assert [c["id"] for c in clients["items"]] == [team["client"]["id"]]
    await api.call("GET", f"/api/v1/clients/{theirs['id']}", token=secret, expect=404)
    await api.call("GET", "/api/v1/tokens", token=secret, expect=403)

    shown = (await run(api, tmp_path, "token", "list")).stdout.splitlines()
    assert shown[0].split()[:4] == ["id", "name", "role", "person"]
    assert shown[1].split()[:4] == ["1", "ivan-crm", "manager", "Иван"]


async def test_a_role_beyond_the_person_is_refused(api: Api, tmp_path: Path) -> None:
    await sales_team(api)
    refused = await run(
        api, tmp_path, "token", "create", "ivan-root", "--manager", "101", "--role", "admin"
    )
    assert refused.returncode == 2
    assert refused.stderr.splitlines()[-1] == (
        "dozvon: role: Иван is a manager and may hold only manager or viewer tokens, not admin"
    )
    nobody = await run(
        api, tmp_path, "token", "create", "x", "--manager", "999", "--role", "viewer"
    )
    assert nobody.returncode == 2
    assert nobody.stderr.splitlines()[-1] == "dozvon: no manager with extension, id or name '999'"
    assert (await api.get("/api/v1/tokens"))["items"] == []
