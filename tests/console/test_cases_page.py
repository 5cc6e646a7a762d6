"""``/cases``: each person sees the cases of his own part — a manager of another team neither sees
nor closes them — and closing needs a reason."""

from __future__ import annotations

from tests.support.api import Api
from tests.support.console import Browser, with_password
from tests.support.team import CALLER, case_of, miss, sales_team


async def test_another_teams_manager_neither_sees_nor_closes_a_case(api: Api) -> None:
    await sales_team(api)
    other = await api.post("/api/v1/managers", {"name": "Пётр Чужой", "extension": "202"})
    await with_password(api, other["id"], "correct horse", login="petr")
    case = await miss(api, "m1", CALLER)
    browser = Browser(api)
    await browser.log_in("petr", "correct horse")
    board = await browser.get("/cases")
    assert board.status == 200
    assert "ООО Ромашка" not in board.text and CALLER not in board.text
    refused = await browser.post(f"/cases/{case['id']}/close", {"csrf": board.token, "reason": "x"})
    assert (refused.status, refused.location) == (303, "/cases?error=closed")
    assert (await case_of(api, CALLER))["status"] == "open"


async def test_the_responsible_manager_closes_with_a_reason_only(api: Api) -> None:
    team = await sales_team(api)
    await with_password(api, team["ivan"]["id"], "correct horse", login="ivan")
    case = await miss(api, "m1", CALLER)
    browser = Browser(api)
    await browser.log_in("ivan", "correct horse")
    board = await browser.get("/cases")
    assert "ООО Ромашка" in board.text and "Иван" in board.text
    assert f'href="/clients/{team["client"]["id"]}"' in board.text
    empty = await browser.post(f"/cases/{case['id']}/close", {"csrf": board.token, "reason": " "})
    assert empty.location == "/cases?error=reason"
    assert "Укажите причину" in (await browser.get("/cases?error=reason")).text
    done = await browser.post(
        f"/cases/{case['id']}/close", {"csrf": board.token, "reason": "перезвонил с мобильного"}
    )
    assert done.location == "/cases?closed=1"
    assert "Случай закрыт." in (await browser.get(done.location)).text
    closed = await case_of(api, CALLER)
    assert (closed["status"], closed["closed_by"]) == ("closed", "Иван")
    assert "ООО Ромашка" not in (await browser.get("/cases")).text


async def test_an_id_no_case_can_have_is_no_such_case(api: Api) -> None:
    team = await sales_team(api)
    await with_password(api, team["director"]["id"], "correct horse", login="boss")
    browser = Browser(api)
    await browser.log_in("boss", "correct horse")
    board = await browser.get("/cases")
    for path in ("/cases/99999999999/close", "/cases/0/call", "/cases/99999999999/call"):
        answer = await browser.post(path, {"csrf": board.token, "reason": "x"})
        assert (answer.status, answer.location) == (303, "/cases?error=gone"), path
    assert "Такого случая нет." in (await browser.get("/cases?error=gone")).text
