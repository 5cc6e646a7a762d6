"""``/tokens``: a person makes an API token for himself (its secret shown once), sees his own
tokens only, revokes one; the token carries his scope, forms need their token, changes are
audited with his name."""

from __future__ import annotations

import html
import re

from tests.support.api import Api
from tests.support.console import logged_in
from tests.support.team import sales_team

SECRET = re.compile(r'id="token-secret" type="text" value="(dzv_[^"]+)"')


async def test_a_person_makes_sees_and_revokes_his_own_tokens(api: Api) -> None:
    team = await sales_team(api)
    anna = await api.post("/api/v1/managers", {"name": "Анна", "extension": "102"})
    await api.post("/api/v1/clients", {"name": "ООО Лютик", "manager_id": anna["id"]})
    await api.post("/api/v1/tokens", {"name": "anna", "role": "viewer", "manager_id": anna["id"]})
    browser = await logged_in(api, team["ivan"]["id"], "ivan", "correct horse")

    empty = await browser.get("/tokens")
    assert empty.status == 200
    assert "У вас пока нет токенов." in empty.text
    assert "anna" not in empty.text
    # A manager's token reads, or reads and changes; an admin's is not offered.
    assert re.findall(r'<option value="(\w+)"', empty.text) == ["viewer", "manager"]

    made = await browser.post("/tokens", {"csrf": empty.token, "name": "crm", "role": "manager"})
    assert made.status == 201
    found = SECRET.search(made.text)
    assert found is not None, made.text
    secret = found.group(1)
    # His token sees what he sees.
    clients = await api.get("/api/v1/clients", token=secret)
    assert [c["name"] for c in clients["items"]] == ["ООО Ромашка"]
    # The secret is shown once: the list never shows it again.
    listed = await browser.get("/tokens")
    assert secret not in listed.text
    assert "crm" in listed.text and "действует" in listed.text
    tokens = (await api.get("/api/v1/tokens"))["items"]
    mine = next(t for t in tokens if t["name"] == "crm")
    assert (mine["manager_id"], mine["role"], mine["created_by"]) == (
        team["ivan"]["id"],
        "manager",
        "Иван",
    )

    # Another's token is not his to revoke; his own goes, at once, audited with his name.
    others = next(t for t in tokens if t["name"] == "anna")
    refused = await browser.post(f"/tokens/{others['id']}/revoke", {"csrf": listed.token})
    assert refused.status == 404
    assert "Такого токена у вас нет." in refused.text
    assert (
        next(t for t in (await api.get("/api/v1/tokens"))["items"] if t["name"] == "anna")[
            "revoked_at"
        ]
        is None
    )
    revoked = await browser.post(f"/tokens/{mine['id']}/revoke", {"csrf": listed.token})
    assert (revoked.status, revoked.location) == (303, "/tokens")
    await api.call("GET", "/api/v1/clients", token=secret, expect=401)
    assert "отозван" in (await browser.get("/tokens")).text
    audit = (await api.get("/api/v1/audit?entity=token"))["items"]
    assert {(e["action"], e["actor"]) for e in audit if e["entity_id"] == str(mine["id"])} == {
        ("create", "Иван"),
        ("revoke", "Иван"),
    }


async def test_bad_input_is_said_and_changes_nothing(api: Api) -> None:
    team = await sales_team(api)
    browser = await logged_in(api, team["ivan"]["id"], "ivan", "correct horse")
    opened = await browser.get("/tokens")
    for fields, said in (
        ({"name": " ", "role": "viewer"}, "Дайте токену название"),
        ({"name": "root", "role": "admin"}, "Такие права токену вашей роли не положены."),
        ({"name": "<script>alert(1)</script>", "role": "pbx"}, "Такие права"),
    ):
        page = await browser.post("/tokens", {"csrf": opened.token, **fields})
        assert page.status == 400
        assert said in page.text
        assert "<script>alert(1)</script>" not in page.text
    assert html.escape("<script>alert(1)</script>") in page.text
    await browser.post("/tokens", {"csrf": opened.token, "name": "crm", "role": "viewer"})
    taken = await browser.post("/tokens", {"csrf": opened.token, "name": "crm", "role": "viewer"})
    assert (taken.status, "Токен с таким названием уже есть" in taken.text) == (400, True)
    beyond = await browser.post("/tokens/99999999999/revoke", {"csrf": opened.token})
    assert (beyond.status, "Такого токена у вас нет." in beyond.text) == (404, True)
    # A form without its token is refused and makes nothing.
    forged = await browser.post("/tokens", {"name": "forged", "role": "viewer"})
    assert forged.status == 403
    names = [t["name"] for t in (await api.get("/api/v1/tokens"))["items"]]
    assert names == ["crm"]
