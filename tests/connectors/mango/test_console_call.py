"""«Позвонить» on the console's cases board: the PBX (the stand-in Mango API) is asked to ring the
person's extension, then the client of the case; a person without an extension gets no button,
and a case he does not see is not called."""

from __future__ import annotations

from typing import Any

import pytest

from tests.connectors.mango.payloads import CLIENT, KEY, LINE, SALT, account, event, missed_call
from tests.connectors.mango.stand_in import MangoApi
from tests.connectors.service import service
from tests.support.api import Api
from tests.support.console import Browser, with_password


@pytest.fixture
async def api(mango_api: MangoApi, aiohttp_client: Any, db_url: str) -> Api:
    mango_api.key, mango_api.salt = KEY, SALT
    config = account(api_url=mango_api.url, callback_line_number=LINE)
    return await service(aiohttp_client, db_url, mg=config)


async def test_call_back_from_the_board(api: Api, mango_api: MangoApi) -> None:
    boss = await api.post("/api/v1/managers", {"name": "Ольга", "role": "supervisor"})
    ivan = await api.post(
        "/api/v1/managers", {"name": "Иван", "extension": "101", "supervisor_id": boss["id"]}
    )
    stranger = await api.post("/api/v1/managers", {"name": "Анна", "extension": "102"})
    card = {"name": "Ромашка", "manager_id": ivan["id"], "phones": [f"+{CLIENT}"]}
    await api.post("/api/v1/clients", card)
    for path, body in missed_call("in-1"):
        assert (await event(api, path, body))[0] == 200
    [case] = (await api.get("/api/v1/callback-cases?status=open"))["items"]
    for person, login in ((ivan, "ivan"), (boss, "olga"), (stranger, "anna")):
        await with_password(api, person["id"], "correct horse", login=login)

    browser = Browser(api)
    await browser.log_in("olga", "correct horse")
    board = await browser.get("/cases")
    assert "Ромашка" in board.text
    assert f"/cases/{case['id']}/call" not in board.text  # no extension: the PBX cannot ring her

    await browser.log_out()
    await browser.log_in("anna", "correct horse")
    refused = await browser.submit(f"/cases/{case['id']}/call", {}, form="/cases")
    assert refused.status == 303 and refused.location == "/cases?error=gone"
    assert mango_api.callbacks == []

    await browser.log_out()
    await browser.log_in("ivan", "correct horse")
    board = await browser.get("/cases")
    assert f"/cases/{case['id']}/call" in board.text
    placed = await browser.submit(f"/cases/{case['id']}/call", {}, form="/cases")
    assert placed.status == 303 and placed.location == f"/cases?calling={CLIENT}"
    assert [(c["from"], c["to_number"]) for c in mango_api.callbacks] == [
        ({"extension": "101"}, CLIENT)
    ]
    shown = await browser.get(placed.location)
    assert f"+{CLIENT}" in shown.text and 'role="status"' in shown.text
    audit = (await api.get("/api/v1/audit?entity=call"))["items"]
    assert [(entry["action"], entry["actor"]) for entry in audit] == [("originate", "Иван")]
