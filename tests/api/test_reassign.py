"""A leaving manager's work handed to another: his clients route to the new manager at once, his
open cases and queued numbers move, everything audited; removing a manager who still has clients
says how many and how to hand them over."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.support.api import Api
from tests.support.team import miss, outbox, sales_team

FIRST, SECOND = "+79161110001", "+79161110002"
STRANGER = "+79165550199"


async def _route(api: Api, number: str) -> Any:
    return (await api.get(f"/api/v1/route?from=%2B{number[1:]}"))["target"]["manager_id"]


async def test_all_of_a_managers_work_moves_and_routing_follows(api: Api) -> None:
    team = await sales_team(api, [("ООО Первый", FIRST), ("ООО Второй", SECOND)])
    ivan = team["ivan"]["id"]
    petr = await api.post("/api/v1/managers", {"name": "Пётр", "extension": "102"})
    case = await miss(api, "m1", FIRST)
    # Rang Иван: his case, and his in the triage queue.
    stranger = await miss(api, "m2", STRANGER)
    assert case["manager_id"] == stranger["manager_id"] == ivan
    done = await api.post(f"/api/v1/managers/{ivan}/reassign", {"to": petr["id"]}, expect=200)
    assert done == {"clients": 2, "cases": 2, "unknown_numbers": 1}
    assert [await _route(api, n) for n in (FIRST, SECOND)] == [petr["id"], petr["id"]]
    moved = await api.get(f"/api/v1/callback-cases/{case['id']}")
    assert (moved["manager_id"], moved["status"]) == (petr["id"], "open")
    assert petr["id"] in moved["told"] and ivan not in moved["told"]
    queued = (await api.get(f"/api/v1/unknown-numbers?manager_id={petr['id']}"))["items"]
    assert [u["number"] for u in queued] == [STRANGER]
    audit = (await api.get("/api/v1/audit?limit=1000"))["items"]
    assert sorted(a["entity"] for a in audit if a["action"] == "reassign") == [
        "callback_case",
        "callback_case",
        "client",
        "client",
        "manager",
    ]
    # With nobody's clients left, Иван can go.
    await api.call("DELETE", f"/api/v1/managers/{ivan}", expect=204)


async def test_some_clients_move_with_their_cases_and_the_rest_stay(api: Api) -> None:
    team = await sales_team(api, [("ООО Первый", FIRST), ("ООО Второй", SECOND)])
    ivan = team["ivan"]["id"]
    petr = await api.post("/api/v1/managers", {"name": "Пётр", "extension": "102"})
    clients = {c["name"]: c["id"] for c in (await api.get("/api/v1/clients"))["items"]}
    first, second = await miss(api, "m1", FIRST), await miss(api, "m2", SECOND)
    stranger = await miss(api, "m3", STRANGER)
    done = await api.post(
        f"/api/v1/managers/{ivan}/reassign",
        {"to": petr["id"], "clients": [clients["ООО Второй"]]},
        expect=200,
    )
    assert done == {"clients": 1, "cases": 1, "unknown_numbers": 0}
    assert [await _route(api, n) for n in (FIRST, SECOND)] == [ivan, petr["id"]]
    # The moved client's open case went with him; Иван's other cases and his queue stayed.
    owners = {}
    for case in (first, second, stranger):
        found = await api.get(f"/api/v1/callback-cases/{case['id']}")
        owners[case["number"]] = (found["manager_id"], found["status"], ivan in found["told"])
    assert owners == {
        FIRST: (ivan, "open", True),
        SECOND: (petr["id"], "open", False),
        STRANGER: (ivan, "open", True),
    }
    queued = (await api.get(f"/api/v1/unknown-numbers?manager_id={ivan}"))["items"]
    assert [u["number"] for u in queued] == [STRANGER]
    status, body = await api.call("DELETE", f"/api/v1/managers/{ivan}")
    assert (status, body["error"]["message"]) == (
        409,
        f"manager {ivan} (Иван) is the personal manager of 1 clients: hand them to another "
        f"first (POST /api/v1/managers/{ivan}/reassign, or dozvon managers reassign {ivan} TO)",
    )


async def test_bad_reassignments_change_nothing(api: Api) -> None:
    team = await sales_team(api)
    ivan, boss = team["ivan"]["id"], team["boss"]["id"]
    other = (await api.get("/api/v1/clients"))["items"][0]["id"]
    for body, field in (
        ({"to": ivan}, "to"),
        ({"to": 9999}, "to"),
        ({"to": boss, "clients": [other + 100]}, "clients"),
        ({"to": boss, "clients": "some"}, "clients"),
        ({"to": boss, "extra": 1}, "extra"),
    ):
        status, error = await api.call("POST", f"/api/v1/managers/{ivan}/reassign", body)
        assert (status, error["error"]["field"]) == (400, field), body
    await api.call("POST", "/api/v1/managers/9999/reassign", {"to": boss}, expect=404)
    assert [c["manager_id"] for c in (await api.get("/api/v1/clients"))["items"]] == [ivan]


async def test_a_cards_new_manager_takes_its_open_case(api: Api) -> None:
    team = await sales_team(api, [("ООО Первый", FIRST), ("ООО Второй", SECOND)])
    ivan = team["ivan"]["id"]
    petr = await api.post(
        "/api/v1/managers", {"name": "Пётр", "extension": "102", "telegram_chat_id": 1002}
    )
    clients = {c["name"]: c["id"] for c in (await api.get("/api/v1/clients"))["items"]}
    first, second = await miss(api, "m1", FIRST), await miss(api, "m2", SECOND)
    await api.call(
        "PATCH", f"/api/v1/clients/{clients['ООО Второй']}", {"notes": "VIP"}, expect=200
    )
    await api.call(
        "PATCH", f"/api/v1/clients/{clients['ООО Второй']}", {"manager_id": petr["id"]}, expect=200
    )
    moved = await api.get(f"/api/v1/callback-cases/{second['id']}")
    assert (moved["manager_id"], petr["id"] in moved["told"], ivan in moved["told"]) == (
        petr["id"],
        True,
        False,
    )
    stayed = await api.get(f"/api/v1/callback-cases/{first['id']}")
    assert stayed["manager_id"] == ivan
    audit = (await api.get("/api/v1/audit?entity=callback_case&limit=100"))["items"]
    assert [(a["action"], a["entity_id"]) for a in audit] == [("reassign", str(second["id"]))]
    # He is told of it: the case's alert, with him responsible, goes to him; the supervisor's
    # alert is edited to name him.
    told = [m for m in await outbox(api) if m.dedup_key.startswith(f"case:{second['id']}:assigned")]
    assert sorted(m.chat_id or 0 for m in told) == [1000, 1002]
    assert all(SECOND in m.text and "Пётр" in m.text for m in told)
    # Иван's alert is edited to say whom the case went to, its buttons gone.
    handed = [m for m in await outbox(api) if m.dedup_key.startswith(f"case:{second['id']}:handed")]
    assert [(m.chat_id, m.edit_key, m.buttons) for m in handed] == [
        (1001, f"case:{second['id']}:to:{ivan}", None)
    ]
    assert handed[0].text.startswith("➡️ Передано: теперь отвечает Пётр")
    assert not any(
        m.chat_id == 1002
        for m in await outbox(api)
        if m.dedup_key.startswith(f"case:{first['id']}")
    )


async def _away(api: Api, manager_id: int, substitute_id: int | None) -> None:
    now = api.clock.now()
    await api.post(
        f"/api/v1/managers/{manager_id}/absences",
        {
            "starts_at": (now - timedelta(hours=1)).isoformat(),
            "ends_at": (now + timedelta(days=1)).isoformat(),
            "substitute_id": substitute_id,
        },
    )


async def _owner_of(api: Api, case: dict[str, Any]) -> Any:
    return (await api.get(f"/api/v1/callback-cases/{case['id']}"))["manager_id"]


async def test_a_case_goes_to_whoever_stands_in_for_the_new_manager(api: Api) -> None:
    # An absent manager is never responsible: his substitute takes it; a person nobody stands
    # in for, or gone inactive, takes nothing and the case stays where it was.
    team = await sales_team(api, [("ООО Первый", FIRST), ("ООО Второй", SECOND)])
    ivan, olga = team["ivan"]["id"], team["boss"]["id"]
    petr = (await api.post("/api/v1/managers", {"name": "Пётр", "extension": "102"}))["id"]
    gone = (await api.post("/api/v1/managers", {"name": "Ушёл", "extension": "103"}))["id"]
    await api.call("PATCH", f"/api/v1/managers/{gone}", {"active": False}, expect=200)
    clients = {c["name"]: c["id"] for c in (await api.get("/api/v1/clients"))["items"]}
    first, second = await miss(api, "m1", FIRST), await miss(api, "m2", SECOND)
    await _away(api, petr, olga)
    await api.call(
        "PATCH", f"/api/v1/clients/{clients['ООО Первый']}", {"manager_id": petr}, expect=200
    )
    assert await _owner_of(api, first) == olga
    await api.call(
        "PATCH", f"/api/v1/clients/{clients['ООО Второй']}", {"manager_id": gone}, expect=200
    )
    assert await _owner_of(api, second) == ivan


async def test_a_restored_version_brings_its_manager_the_case(api: Api) -> None:
    team = await sales_team(api, [("ООО Первый", FIRST)])
    ivan = team["ivan"]["id"]
    petr = (await api.post("/api/v1/managers", {"name": "Пётр", "extension": "102"}))["id"]
    client_id = team["client"]["id"]
    await api.call("PATCH", f"/api/v1/clients/{client_id}", {"manager_id": petr}, expect=200)
    case = await miss(api, "m1", FIRST)
    assert await _owner_of(api, case) == petr
    await api.call("POST", f"/api/v1/clients/{client_id}/restore", {"version": 1}, expect=200)
    assert await _owner_of(api, case) == ivan
