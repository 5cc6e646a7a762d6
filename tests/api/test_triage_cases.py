"""Triage through the API settles the number's callback case, and the queue shows each number's
age and owner, filtered and sorted."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hub.bootstrap.database import SESSIONS
from hub.bootstrap.outbox import ALERTS
from hub.domain.phone import Normalizer
from hub.services.csv_source import read_rows
from hub.services.importer import import_clients
from tests.support.api import Api
from tests.support.clock import TestClock
from tests.support.team import case_of, miss, outbox, sales_team

FIRST, SECOND, THIRD = "+79167770011", "+79167770022", "+79167770033"


async def test_spam_closes_the_case_and_it_escalates_no_more(api: Api) -> None:
    await sales_team(api)
    await miss(api, "c1", FIRST)
    body = await api.post(
        f"/api/v1/unknown-numbers/{FIRST}/triage", {"action": "list", "list": "spam"}, expect=200
    )
    assert (body["status"], body["resolution"], body["resolved_by"]) == (
        "resolved",
        "list:spam",
        "admin",
    )
    case = await case_of(api, FIRST)
    assert (case["status"], case["close_reason"], case["escalate_at"]) == (
        "closed",
        "list:spam",
        None,
    )


async def test_linking_gives_the_case_the_client_and_his_manager(api: Api) -> None:
    team = await sales_team(api)
    petr = await api.post("/api/v1/managers", {"name": "Пётр", "extension": "102"})
    card = await api.post(
        "/api/v1/clients", {"name": "ИП Васильков", "manager_id": petr["id"], "phones": []}
    )
    await miss(api, "c1", FIRST)
    assert (await case_of(api, FIRST))["manager_id"] == team["ivan"]["id"]
    await api.post(
        f"/api/v1/unknown-numbers/{FIRST}/triage",
        {"action": "link", "client_id": card["id"]},
        expect=200,
    )
    case = await case_of(api, FIRST)
    assert (case["status"], case["client_id"], case["manager_id"]) == (
        "open",
        card["id"],
        petr["id"],
    )
    assert case["responsible_reason"] == "personal_manager"
    # The next call routes to the client's manager.
    decision = await api.get(f"/api/v1/route?from=%2B{FIRST[1:]}")
    assert decision["target"]["manager_id"] == petr["id"]


async def test_the_queue_shows_age_and_owner_and_filters_and_sorts(
    api: Api, clock: TestClock
) -> None:
    team = await sales_team(api)
    petr = await api.post("/api/v1/managers", {"name": "Пётр", "extension": "102"})
    await miss(api, "c1", SECOND)
    clock.advance(timedelta(days=3))
    await miss(api, "c2", FIRST, "102")
    clock.advance(timedelta(days=7))
    await miss(api, "c3", THIRD)

    everything = await api.get("/api/v1/unknown-numbers")
    assert [(u["number"], u["age_days"], u["manager_id"]) for u in everything["items"]] == [
        (SECOND, 10, team["ivan"]["id"]),
        (FIRST, 7, petr["id"]),
        (THIRD, 0, team["ivan"]["id"]),
    ]
    ivans = await api.get(f"/api/v1/unknown-numbers?manager_id={team['ivan']['id']}")
    assert [u["number"] for u in ivans["items"]] == [SECOND, THIRD]
    old = await api.get("/api/v1/unknown-numbers?older_than_days=5&sort=age")
    assert [u["number"] for u in old["items"]] == [SECOND, FIRST]
    first_page = await api.get("/api/v1/unknown-numbers?sort=age&limit=2")
    assert [u["number"] for u in first_page["items"]] == [SECOND, FIRST]
    assert first_page["next"] == {"offset": 2}
    rest = await api.get("/api/v1/unknown-numbers?sort=age&limit=2&offset=2")
    assert [u["number"] for u in rest["items"]] == [THIRD]
    status, body = await api.call("GET", "/api/v1/unknown-numbers?sort=size")
    assert (status, body["error"]["field"]) == (400, "sort")
    status, body = await api.call("GET", "/api/v1/unknown-numbers?older_than_days=-1")
    assert (status, body["error"]["field"]) == (400, "older_than_days")


async def test_a_card_or_a_list_made_directly_settles_the_number_too(api: Api) -> None:
    team = await sales_team(api)
    petr = await api.post("/api/v1/managers", {"name": "Пётр", "extension": "102"})
    await miss(api, "c1", FIRST)
    await miss(api, "c2", SECOND)
    card = await api.post(
        "/api/v1/clients", {"name": "ИП Новиков", "manager_id": petr["id"], "phones": [FIRST]}
    )
    case = await case_of(api, FIRST)
    assert (case["client_id"], case["manager_id"], case["status"]) == (
        card["id"],
        petr["id"],
        "open",
    )
    await api.post("/api/v1/lists/spam/entries", {"number": SECOND})
    closed = await case_of(api, SECOND)
    assert (closed["status"], closed["close_reason"]) == ("closed", "list:spam")
    # Both left the triage queue, resolved by the change itself (nobody's triage).
    assert (await api.get("/api/v1/unknown-numbers"))["items"] == []
    resolved = await api.get("/api/v1/unknown-numbers?status=resolved")
    assert sorted((u["number"], u["resolution"], u["resolved_by"]) for u in resolved["items"]) == [
        (FIRST, f"client:{card['id']}", None),
        (SECOND, "list:spam", None),
    ]
    # A new personal manager on the card takes the client's open case with him.
    await api.call("PATCH", f"/api/v1/clients/{card['id']}", {"manager_id": team["ivan"]["id"]})
    assert (await case_of(api, FIRST))["manager_id"] == team["ivan"]["id"]


async def test_an_import_that_gives_the_number_a_card_settles_its_case(
    api: Api, tmp_path: Path
) -> None:
    team = await sales_team(api)
    await miss(api, "c1", FIRST)
    path = tmp_path / "clients.csv"
    path.write_text(f"name,manager,phones\nООО Импорт,101,{FIRST}\n", encoding="utf-8")
    rows, _, _ = read_rows(path)
    report = await import_clients(
        api.app[SESSIONS],
        rows,
        Normalizer("RU"),
        clock=api.clock,
        on_facts=api.app[ALERTS].react,
    )
    assert report.created == 1
    case = await case_of(api, FIRST)
    assert case["client_id"] is not None and case["manager_id"] == team["ivan"]["id"]
    assert (await api.get("/api/v1/unknown-numbers"))["items"] == []
    # The alerts are edited: the number is the client's now.
    edits = [r for r in await outbox(api) if r.dedup_key.startswith(f"case:{case['id']}:assigned")]
    assert {r.manager_id for r in edits} == {team["ivan"]["id"], team["boss"]["id"]}
    assert all("ООО Импорт" in r.text for r in edits)
