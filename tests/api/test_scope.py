"""A person's API token carries his scope: a manager his own clients, cases and unknown numbers,
a supervisor his team's, a director everything; another team's record is a 404, an admin's
endpoint a 403; a case closed with a person's token names him. Tokens of nobody in particular
keep seeing the whole company."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.bootstrap.auth import VERIFIER
from hub.services.scope import BATCH, SCANNED, kept
from tests.support.api import Api, update
from tests.support.recordings import play
from tests.support.team import CALLER, case_of, miss, missed_call, sales_team

OTHER_CLIENT = "+79035556677"
IVANS_UNKNOWN, ANNAS_UNKNOWN = "+79167770011", "+79167770022"


async def two_teams(api: Api) -> dict[str, Any]:
    """The sales team (Ольга's: Иван, 101, with ООО Ромашка) and Сергей's (Анна, 102, with ООО
    Лютик); a missed call from each client and from an unknown number for each manager."""
    team = await sales_team(api)
    sergey = await api.post("/api/v1/managers", {"name": "Сергей", "role": "supervisor"})
    anna = await api.post(
        "/api/v1/managers", {"name": "Анна", "extension": "102", "supervisor_id": sergey["id"]}
    )
    other = await api.post(
        "/api/v1/clients",
        {"name": "ООО Лютик", "manager_id": anna["id"], "phones": [OTHER_CLIENT]},
    )
    await miss(api, "c1", CALLER, "101")
    await miss(api, "c2", OTHER_CLIENT, "102")
    await miss(api, "c3", IVANS_UNKNOWN, "101")
    await miss(api, "c4", ANNAS_UNKNOWN, "102")
    return {
        **team,
        "sergey": sergey,
        "anna": anna,
        "other": other,
        "case": await case_of(api, CALLER),
        "other_case": await case_of(api, OTHER_CLIENT),
    }


async def token_of(api: Api, person: dict[str, Any], role: str = "manager") -> str:
    body = {"name": f"{person['name']}-{role}", "role": role, "manager_id": person["id"]}
    issued = await api.post("/api/v1/tokens", body)
    assert issued["manager_id"] == person["id"]
    secret: str = issued["token"]
    return secret


def ids(body: dict[str, Any]) -> set[int]:
    return {item["id"] for item in body["items"]}


def numbers(body: dict[str, Any]) -> set[str]:
    return {item["number"] for item in body["items"]}


async def test_a_managers_token_sees_and_changes_his_own_only(api: Api) -> None:
    world = await two_teams(api)
    ivan = await token_of(api, world["ivan"])
    mine, theirs = world["client"]["id"], world["other"]["id"]

    assert ids(await api.get("/api/v1/clients", token=ivan)) == {mine}
    other_team = f"/api/v1/clients?manager_id={world['anna']['id']}"
    assert (await api.get(other_team, token=ivan))["items"] == []
    # Another team's card is as if it did not exist: the same answer as for a card never made.
    hidden = await api.call("GET", f"/api/v1/clients/{theirs}", token=ivan)
    never = await api.call("GET", "/api/v1/clients/999999", token=ivan)
    assert hidden[0] == never[0] == 404
    assert hidden[1]["error"]["message"] == f"client {theirs} does not exist"
    for method, path, body in (
        ("PATCH", f"/api/v1/clients/{theirs}", {"notes": "мой"}),
        ("DELETE", f"/api/v1/clients/{theirs}", None),
        ("GET", f"/api/v1/clients/{theirs}/calls", None),
        ("GET", f"/api/v1/clients/{theirs}/versions", None),
        ("POST", f"/api/v1/clients/{theirs}/phones", {"number": "+79035550000"}),
    ):
        await api.call(method, path, body, token=ivan, expect=404)
    assert (await api.get(f"/api/v1/clients/{theirs}"))["notes"] == ""
    await api.call("PATCH", f"/api/v1/clients/{mine}", {"notes": "звонить после 10"}, token=ivan)
    assert (await api.get(f"/api/v1/clients/{mine}"))["notes"] == "звонить после 10"

    # Giving his card away, or making one for another team, is refused and changes nothing.
    status, body = await api.call(
        "PATCH", f"/api/v1/clients/{mine}", {"manager_id": world["anna"]["id"]}, token=ivan
    )
    assert (status, body["error"]["code"]) == (403, "forbidden")
    assert (await api.get(f"/api/v1/clients/{mine}"))["manager_id"] == world["ivan"]["id"]
    await api.call(
        "POST",
        "/api/v1/clients",
        {"name": "ООО Чужой", "manager_id": world["anna"]["id"]},
        token=ivan,
        expect=403,
    )
    assert "ООО Чужой" not in {c["name"] for c in (await api.get("/api/v1/clients"))["items"]}
    # A card he makes without saying whose is his.
    made = await api.post("/api/v1/clients", {"name": "ООО Новый"}, token=ivan)
    assert made["manager_id"] == world["ivan"]["id"]

    # Managing people, lists and tokens is an admin's.
    for method, path, body in (
        ("GET", "/api/v1/tokens", None),
        ("POST", "/api/v1/managers", {"name": "Кто-то"}),
        ("GET", "/api/v1/audit", None),
        ("POST", "/api/v1/lists", {"slug": "x", "name": "X", "action": "reject"}),
    ):
        status, body = await api.call(method, path, body, token=ivan)
        assert (status, body["error"]["code"]) == (403, "forbidden"), path


async def test_a_managers_token_sees_his_cases_and_numbers_and_closes_his_own(api: Api) -> None:
    world = await two_teams(api)
    ivan = await token_of(api, world["ivan"])
    case, other_case = world["case"], world["other_case"]

    listed = await api.get("/api/v1/callback-cases", token=ivan)
    assert other_case["id"] not in ids(listed)
    assert case["id"] in ids(listed)
    assert {c["manager_id"] for c in listed["items"]} == {world["ivan"]["id"]}
    await api.call("GET", f"/api/v1/callback-cases/{other_case['id']}", token=ivan, expect=404)
    # Another's case cannot be closed with his token (nor is it there to be closed).
    await api.call(
        "POST",
        f"/api/v1/callback-cases/{other_case['id']}/close",
        {"reason": "не мой"},
        token=ivan,
        expect=404,
    )
    assert (await api.get(f"/api/v1/callback-cases/{other_case['id']}"))["status"] == "open"
    closed = (
        await api.call(
            "POST",
            f"/api/v1/callback-cases/{case['id']}/close",
            {"reason": "перезвонил с мобильного"},
            token=ivan,
            expect=200,
        )
    )[1]
    assert (closed["status"], closed["closed_by"]) == ("closed", "Иван")
    audit = (await api.get("/api/v1/audit?entity=callback_case"))["items"]
    assert any(e["actor"] == "Иван" and e["action"] == "close" for e in audit)

    queue = await api.get("/api/v1/unknown-numbers", token=ivan)
    assert IVANS_UNKNOWN in numbers(queue)
    assert ANNAS_UNKNOWN not in numbers(queue)
    assert ANNAS_UNKNOWN not in numbers(
        await api.get("/api/v1/unknown-numbers?sort=age", token=ivan)
    )
    status, body = await api.call(
        "POST",
        f"/api/v1/unknown-numbers/{ANNAS_UNKNOWN}/triage",
        {"action": "list", "list": "spam"},
        token=ivan,
    )
    assert (status, body["error"]["message"]) == (
        404,
        f"{ANNAS_UNKNOWN} is not in the unknown-numbers queue",
    )
    # His own number links to his own client only.
    status, body = await api.call(
        "POST",
        f"/api/v1/unknown-numbers/{IVANS_UNKNOWN}/triage",
        {"action": "link", "client_id": world["other"]["id"]},
        token=ivan,
    )
    assert (status, body["error"]["field"]) == (400, "client_id")
    anna = await token_of(api, world["anna"])
    assert numbers(await api.get("/api/v1/unknown-numbers", token=anna)) == {ANNAS_UNKNOWN}
    done = await api.post(
        f"/api/v1/unknown-numbers/{ANNAS_UNKNOWN}/triage",
        {"action": "list", "list": "spam"},
        token=anna,
        expect=200,
    )
    assert (done["status"], done["resolved_by"]) == ("resolved", "Анна")


async def test_a_supervisors_token_sees_his_team_and_a_directors_everything(api: Api) -> None:
    world = await two_teams(api)
    olga = await token_of(api, world["boss"], "viewer")
    director = await token_of(api, world["director"], "viewer")
    ivan = await token_of(api, world["ivan"], "viewer")
    mine, theirs = world["client"]["id"], world["other"]["id"]

    assert ids(await api.get("/api/v1/clients", token=olga)) == {mine}
    await api.call("GET", f"/api/v1/clients/{theirs}", token=olga, expect=404)
    cases = ids(await api.get("/api/v1/callback-cases", token=olga))
    assert world["case"]["id"] in cases
    assert world["other_case"]["id"] not in cases
    queue = numbers(await api.get("/api/v1/unknown-numbers", token=olga))
    assert (IVANS_UNKNOWN in queue, ANNAS_UNKNOWN in queue) == (True, False)
    # A viewer's token reads, and does not change.
    await api.call("PATCH", f"/api/v1/clients/{mine}", {"notes": "x"}, token=olga, expect=403)

    assert ids(await api.get("/api/v1/clients", token=director)) == {mine, theirs}
    cases = ids(await api.get("/api/v1/callback-cases", token=director))
    assert {world["case"]["id"], world["other_case"]["id"]} <= cases
    queue = numbers(await api.get("/api/v1/unknown-numbers", token=director))
    assert {IVANS_UNKNOWN, ANNAS_UNKNOWN} <= queue

    # Reports: a supervisor his team's lines, a director all, a manager's person none.
    team_lines = await api.get("/api/v1/reports/kpi", token=olga)
    assert {line["manager_id"] for line in team_lines["items"]} <= {
        world["boss"]["id"],
        world["ivan"]["id"],
    }
    other = f"/api/v1/reports/kpi?manager_id={world['anna']['id']}"
    await api.call("GET", other, token=olga, expect=403)
    await api.get(other, token=director)
    status, body = await api.call("GET", "/api/v1/reports/forgotten", token=ivan)
    assert (status, body["error"]["code"]) == (403, "forbidden")


async def test_a_token_is_no_more_than_its_person(api: Api) -> None:
    world = await two_teams(api)
    for person, role in (
        (world["ivan"], "admin"),
        (world["boss"], "admin"),
        (world["director"], "admin"),
        (world["ivan"], "pbx"),
    ):
        body = {"name": f"x-{role}", "role": role, "manager_id": person["id"]}
        status, answer = await api.call("POST", "/api/v1/tokens", body)
        assert (status, answer["error"]["field"]) == (400, "role"), (person["name"], role)
        assert answer["error"]["message"].endswith(f"tokens, not {role}")
    message = "role: Ольга is a supervisor and may hold only manager or viewer tokens, not admin"
    body = {"name": "x", "role": "admin", "manager_id": world["boss"]["id"]}
    assert (await api.call("POST", "/api/v1/tokens", body))[1]["error"]["message"] == message
    missing = {"name": "x", "role": "viewer", "manager_id": 999999}
    status, answer = await api.call("POST", "/api/v1/tokens", missing)
    assert (status, answer["error"]["field"]) == (400, "manager_id")
    assert (await api.get("/api/v1/tokens"))["items"] == []

    admin = await api.post("/api/v1/managers", {"name": "Админ", "role": "admin"})
    secret = await token_of(api, admin, "admin")
    assert ids(await api.get("/api/v1/clients", token=secret)) == {
        world["client"]["id"],
        world["other"]["id"],
    }
    await api.get("/api/v1/tokens", token=secret)

    # A person made inactive: his tokens stop working (at once here: the change is ours).
    ivan = await token_of(api, world["ivan"])
    await api.get("/api/v1/clients", token=ivan)
    await api.call("PATCH", f"/api/v1/managers/{world['ivan']['id']}", {"active": False})
    api.app[VERIFIER].forget()
    await api.call("GET", "/api/v1/clients", token=ivan, expect=401)


async def test_tokens_of_nobody_in_particular_see_the_whole_company(api: Api) -> None:
    world = await two_teams(api)
    ops = (await api.post("/api/v1/tokens", {"name": "ops", "role": "manager"}))["token"]
    listed = (await api.get("/api/v1/tokens"))["items"]
    assert [(t["name"], t["manager_id"]) for t in listed] == [("ops", None)]
    everyone = {world["client"]["id"], world["other"]["id"]}
    assert ids(await api.get("/api/v1/clients", token=ops)) == everyone
    closed = (
        await api.call(
            "POST",
            f"/api/v1/callback-cases/{world['other_case']['id']}/close",
            {"reason": "дубль"},
            token=ops,
            expect=200,
        )
    )[1]
    assert closed["closed_by"] == "token:ops"


async def test_the_scope_is_cached_with_the_token_until_the_cache_lets_go(api: Api) -> None:
    world = await two_teams(api)
    olga = await token_of(api, world["boss"], "viewer")
    sergey = await token_of(api, world["sergey"], "viewer")
    mine = world["client"]["id"]
    assert ids(await api.get("/api/v1/clients", token=olga)) == {mine}
    # Иван moves to Сергей's team: Ольга's token, verified a moment ago, keeps its scope (no
    # query on the request path) until the cache lets go (its TTL; here, at once).
    await api.call(
        "PATCH",
        f"/api/v1/managers/{world['ivan']['id']}",
        {"supervisor_id": world["sergey"]["id"]},
        expect=200,
    )
    assert ids(await api.get("/api/v1/clients", token=olga)) == {mine}
    api.app[VERIFIER].forget()
    assert ids(await api.get("/api/v1/clients", token=olga)) == set()
    assert mine in ids(await api.get("/api/v1/clients", token=sergey))


async def test_a_managers_token_rings_his_own_phone_only(api: Api) -> None:
    world = await two_teams(api)
    ivan = await token_of(api, world["ivan"])
    path = "/api/v1/calls/originate"
    others = {"manager_id": world["anna"]["id"], "number": OTHER_CLIENT}
    status, body = await api.call("POST", path, others, token=ivan)
    assert (status, body["error"]["code"]) == (403, "forbidden")
    own = {"manager_id": world["ivan"]["id"], "number": CALLER}
    assert (await api.call("POST", path, own, token=ivan))[0] == 503  # allowed; no PBX here


async def _queue_status(api: Api, number: str) -> str:
    queue = await api.get("/api/v1/unknown-numbers?status=all&limit=1000")
    found: str = next(u["status"] for u in queue["items"] if u["number"] == number)
    return found


async def test_a_managers_token_takes_no_number_from_another_team(api: Api) -> None:
    world = await two_teams(api)
    ivan = await token_of(api, world["ivan"])
    mine = world["client"]["id"]
    annas_case = await case_of(api, ANNAS_UNKNOWN)
    refusal = f"number {ANNAS_UNKNOWN} is another team's: ask their supervisor"

    # Анна's unknown number on a list, or as a phone of his own card (added, written over the
    # card's phones, or on a new card): refused, naming the number, and nothing changes.
    for method, path, body in (
        ("POST", "/api/v1/lists/spam/entries", {"number": ANNAS_UNKNOWN}),
        ("POST", f"/api/v1/clients/{mine}/phones", {"number": ANNAS_UNKNOWN}),
        ("PATCH", f"/api/v1/clients/{mine}", {"phones": [CALLER, ANNAS_UNKNOWN]}),
        ("POST", "/api/v1/clients", {"name": "ООО Захват", "phones": [ANNAS_UNKNOWN]}),
    ):
        status, answer = await api.call(method, path, body, token=ivan)
        assert (status, answer["error"]["message"]) == (403, refusal), path
    assert await _queue_status(api, ANNAS_UNKNOWN) == "open"
    assert (await case_of(api, ANNAS_UNKNOWN))["id"] == annas_case["id"]
    assert (await case_of(api, ANNAS_UNKNOWN))["status"] == "open"
    assert (await api.get("/api/v1/lists/spam/entries"))["items"] == []
    assert (await api.get(f"/api/v1/clients/{mine}"))["phones"] == [CALLER]
    assert "ООО Захват" not in {c["name"] for c in (await api.get("/api/v1/clients"))["items"]}

    # Another team's client's number, whose missed call Анна answers for: not his to take
    # either (the card is gone, its case is still hers).
    await api.call("DELETE", f"/api/v1/clients/{world['other']['id']}", expect=204)
    status, answer = await api.call(
        "POST", "/api/v1/lists/spam/entries", {"number": OTHER_CLIENT}, token=ivan
    )
    assert (status, answer["error"]["code"]) == (403, "forbidden")
    assert (await case_of(api, OTHER_CLIENT))["status"] == "open"

    # His own unknown number goes on a list: it leaves the queue and its case closes.
    await api.post("/api/v1/lists/spam/entries", {"number": IVANS_UNKNOWN}, token=ivan)
    assert await _queue_status(api, IVANS_UNKNOWN) == "resolved"
    assert (await case_of(api, IVANS_UNKNOWN))["status"] == "closed"
    # Анна's supervisor may take it for the team.
    sergey = await token_of(api, world["sergey"])
    await api.post("/api/v1/lists/spam/entries", {"number": ANNAS_UNKNOWN}, token=sergey)
    assert await _queue_status(api, ANNAS_UNKNOWN) == "resolved"


async def test_a_missed_call_is_its_clients_managers_and_one_of_nobody_supervisors(
    api: Api,
) -> None:
    world = await two_teams(api)
    recording = "https://rec.example/r1.mp3"
    await api.hook(
        [
            update("r1", "ringing", caller=OTHER_CLIENT, extension="102"),
            update(
                "r1",
                "ended",
                caller=OTHER_CLIENT,
                extension="102",
                reason="no_answer",
                recording_url=recording,
            ),
        ]
    )
    nobodys_number = "+79167770033"
    await api.hook(missed_call("n1", nobodys_number))
    everything = (await api.get("/api/v1/calls"))["items"]
    missed = next(c for c in everything if c["call_id"] == "r1")
    nobodys = next(c for c in everything if c["call_id"] == "n1")
    assert (missed["manager_id"], missed["client_id"]) == (None, world["other"]["id"])
    assert (nobodys["manager_id"], nobodys["client_id"]) == (None, None)

    # Ольга supervises another team: Лютик's missed calls are not hers to see or hear.
    olga = await token_of(api, world["boss"], "viewer")
    seen = {c["call_id"] for c in (await api.get("/api/v1/calls", token=olga))["items"]}
    assert "r1" not in seen and "c2" not in seen
    assert {"c1", "n1"} <= seen
    await api.call("GET", f"/api/v1/calls/{missed['id']}", token=olga, expect=404)
    assert (await play(api, missed["id"], token=olga)).status == 404
    assert (await api.get(f"/api/v1/calls/{nobodys['id']}", token=olga))["call_id"] == "n1"

    # Сергей's team's client: he and Анна see it and hear it; a call of nobody is his too.
    for person, role in ((world["sergey"], "viewer"), (world["anna"], "manager")):
        secret = await token_of(api, person, role)
        seen = {c["call_id"] for c in (await api.get("/api/v1/calls", token=secret))["items"]}
        assert {"r1", "c2"} <= seen and "c1" not in seen, person["name"]
        assert ("n1" in seen) == (role == "viewer"), person["name"]
        got = await api.get(f"/api/v1/calls/{missed['id']}", token=secret)
        assert got["call_id"] == "r1"
        played = await play(api, missed["id"], token=secret)
        assert (played.status, played.location) == (302, recording)


async def test_the_oldest_first_offset_is_bounded(api: Api) -> None:
    world = await two_teams(api)
    ivan = await token_of(api, world["ivan"])
    for token in (None, ivan):
        path = "/api/v1/unknown-numbers?sort=age&offset=10001"
        status, answer = await api.call("GET", path, token=token)
        assert (status, answer["error"]["field"]) == (400, "offset")
        assert answer["error"]["message"] == "offset must be an integer from 0 to 10000"
    edge = await api.get("/api/v1/unknown-numbers?sort=age&offset=10000", token=ivan)
    assert edge["items"] == []
    assert numbers(await api.get("/api/v1/unknown-numbers?sort=age&offset=0", token=ivan)) == {
        IVANS_UNKNOWN
    }


@dataclass(frozen=True)
class _Row:
    id: int


async def test_a_scoped_list_reads_a_bounded_number_of_rows_and_says_where_to_go_on() -> None:
    table = [_Row(i) for i in range(1, 3 * SCANNED)]
    read: list[int] = []

    async def fetch(last: _Row | None, size: int) -> list[_Row]:
        start = 0 if last is None else last.id
        rows = table[start : start + size]
        read.append(len(rows))
        return rows

    # The person's rows lie far beyond the bound: a short page, and where the next one starts.
    found = await kept(fetch, lambda row: row.id > 2 * SCANNED, 10)
    assert (found.rows, found.resume) == ([], SCANNED)
    assert sum(read) == SCANNED
    read.clear()
    found = await kept(fetch, lambda row: row.id % 2 == 0, 10)
    assert ([r.id for r in found.rows], found.resume) == (list(range(2, 21, 2)), None)
    assert sum(read) == BATCH
