"""``/unknown``: the triage queue a person sees (his part only), with names, age, calls and the
recording; triage to a list, to a new client or to a client found by the search box, audited
with the person's name; a number outside his part is a 404, a form without its token a 403, and
bad input changes nothing."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from tests.support.api import Api, update
from tests.support.clock import TestClock
from tests.support.console import Browser, with_password
from tests.support.team import miss, sales_team

STRANGER = "+79165550177"
TRIAGE = f"/unknown/{quote(STRANGER)}/triage"


async def _team_with_a_stranger(api: Api, clock: TestClock) -> dict[str, Any]:
    """The sales team; a number nobody knows rang Иван (101) and was missed, two hours ago."""
    team = await sales_team(api)
    await miss(api, "s1", STRANGER, "101")
    clock.advance(timedelta(hours=26))
    await with_password(api, team["boss"]["id"], "correct horse", login="olga")
    await with_password(api, team["ivan"]["id"], "correct horse", login="ivan")
    return team


async def _entry(api: Api) -> dict[str, Any]:
    found = await api.get("/api/v1/unknown-numbers?status=all")
    entries: list[dict[str, Any]] = [u for u in found["items"] if u["number"] == STRANGER]
    [entry] = entries
    return entry


async def _logged_in(api: Api, login: str) -> Browser:
    """A browser of ``login`` (the test client has one cookie jar: whoever was in is out)."""
    browser = Browser(api)
    browser.forget_cookies()
    assert (await browser.log_in(login, "correct horse")).status == 303
    return browser


async def test_a_supervisor_sees_the_number_and_moves_it_to_a_list(
    api: Api, clock: TestClock
) -> None:
    await _team_with_a_stranger(api, clock)
    browser = await _logged_in(api, "olga")
    queue = await browser.get("/unknown")
    assert queue.status == 200
    row = queue.text[queue.text.index(f'data-number="{STRANGER}"') :]
    row = row[: row.index("</tr>")]
    # The number, its age (1 day 2 hours), one call, Иван by name, no recording.
    assert "1 д 2 ч" in row and '">1</td>' in row and '">Иван</td>' in row
    assert "<audio" not in row
    assert 'value="job_seekers"' in row and "Соискатели" in row
    moved = await browser.post(
        TRIAGE,
        {"csrf": queue.token, "action": "list", "list": "job_seekers", "note": "резюме <b>"},
    )
    assert moved.status == 303
    assert moved.location == f"/unknown?done=list&number={quote(STRANGER)}"
    after = await browser.get(moved.location)
    assert f"Номер {STRANGER} перенесён в список." in after.text
    assert f'data-number="{STRANGER}"' not in after.text
    entry = await _entry(api)
    assert (entry["status"], entry["resolution"], entry["resolved_by"]) == (
        "resolved",
        "list:job_seekers",
        "Ольга",
    )
    entries = await api.get("/api/v1/lists/job_seekers/entries")
    assert [(e["number"], e["note"]) for e in entries["items"]] == [(STRANGER, "резюме <b>")]
    audit = await api.get("/api/v1/audit?entity=unknown_number")
    assert [(a["actor"], a["entity_id"]) for a in audit["items"]] == [("Ольга", STRANGER)]


async def test_a_manager_makes_a_new_client_of_his_number(api: Api, clock: TestClock) -> None:
    team = await _team_with_a_stranger(api, clock)
    browser = await _logged_in(api, "ivan")
    queue = await browser.get("/unknown")
    assert STRANGER in queue.text
    made = await browser.post(
        TRIAGE, {"csrf": queue.token, "action": "new_client", "name": "ООО <Новая>"}
    )
    assert made.location == f"/unknown?done=new_client&number={quote(STRANGER)}"
    found = await api.get(f"/api/v1/clients?phone={quote(STRANGER)}")
    [card] = found["items"]
    assert (card["name"], card["manager_id"], card["phones"]) == (
        "ООО <Новая>",
        team["ivan"]["id"],
        [STRANGER],
    )
    assert (await _entry(api))["resolved_by"] == "Иван"


async def test_the_search_box_finds_clients_in_scope_and_links_the_number(
    api: Api, clock: TestClock
) -> None:
    team = await _team_with_a_stranger(api, clock)
    await api.post("/api/v1/clients", {"name": "<script>alert(1)</script> Ромашкин", "phones": []})
    browser = await _logged_in(api, "ivan")
    found = await browser.get("/unknown/clients?q=" + quote("ромаш"))
    assert found.status == 200
    options = found.text
    romashka = team["client"]
    assert f'<option value="{romashka["id"]}">ООО Ромашка · +79031112233</option>' in options
    # A card without a manager is a supervisor's, not Иван's; never shown unescaped anyway.
    assert "<script>" not in options and "Ромашкин" not in options
    olga = await _logged_in(api, "olga")
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; Ромашкин"
        in (await olga.get("/unknown/clients?q=" + quote("ромаш"))).text
    )
    browser = await _logged_in(api, "ivan")
    queue = await browser.get("/unknown")
    linked = await browser.post(
        TRIAGE, {"csrf": queue.token, "action": "link", "client_id": str(romashka["id"])}
    )
    assert linked.location == f"/unknown?done=link&number={quote(STRANGER)}"
    card = await api.get(f"/api/v1/clients/{romashka['id']}")
    assert card["phones"] == sorted(["+79031112233", STRANGER])


async def test_another_teams_manager_neither_sees_nor_triages_the_number(
    api: Api, clock: TestClock
) -> None:
    await _team_with_a_stranger(api, clock)
    other = await api.post("/api/v1/managers", {"name": "Пётр Чужой", "extension": "202"})
    await with_password(api, other["id"], "correct horse", login="petr")
    browser = await _logged_in(api, "petr")
    queue = await browser.get("/unknown")
    assert queue.status == 200
    assert STRANGER not in queue.text and "Неразобранных номеров нет." in queue.text
    refused = await browser.post(TRIAGE, {"csrf": queue.token, "action": "list", "list": "spam"})
    assert refused.status == 404
    assert "Номер не найден" in refused.text
    # A number that was never in the queue looks just the same.
    never = await browser.post(
        f"/unknown/{quote('+79990000000')}/triage",
        {"csrf": queue.token, "action": "list", "list": "spam"},
    )
    assert never.status == 404
    assert (await _entry(api))["status"] == "open"


async def test_a_form_without_its_token_or_with_bad_input_changes_nothing(
    api: Api, clock: TestClock
) -> None:
    team = await _team_with_a_stranger(api, clock)
    browser = await _logged_in(api, "olga")
    forged = await browser.post(TRIAGE, {"action": "list", "list": "spam"})
    assert forged.status == 403
    queue = await browser.get("/unknown")
    bad = {
        "name": {"action": "new_client", "name": "  "},
        "list": {"action": "list", "list": "no_such_list"},
        "client": {"action": "link", "client_id": "999999"},
        "action": {"action": "forget"},
    }
    for error, fields in bad.items():
        answer = await browser.post(TRIAGE, {"csrf": queue.token, **fields})
        assert answer.location == f"/unknown?error={error}&number={quote(STRANGER)}", error
    shown = await browser.get(f"/unknown?error=name&number={quote(STRANGER)}")
    assert f"Номер {STRANGER} не разобран: укажите название клиента" in shown.text
    # A link cannot make the page say words of its own.
    made_up = await browser.get("/unknown?error=name&number=Позвоните+нам&detail=срочно")
    assert "Позвоните" not in made_up.text and "срочно" not in made_up.text
    # An id no record can have is no client (not a failure).
    for wrong in ("²", "99999999999", "0"):
        answer = await browser.post(
            TRIAGE, {"csrf": queue.token, "action": "link", "client_id": wrong}
        )
        assert answer.location == f"/unknown?error=client&number={quote(STRANGER)}", wrong
    # Another team's client is no client to link to for a manager.
    petr = await api.post("/api/v1/managers", {"name": "Пётр", "extension": "202"})
    theirs = await api.post(
        "/api/v1/clients", {"name": "Чужой", "manager_id": petr["id"], "phones": []}
    )
    ivan = await _logged_in(api, "ivan")
    own = await ivan.get("/unknown")
    answer = await ivan.post(
        TRIAGE, {"csrf": own.token, "action": "link", "client_id": str(theirs["id"])}
    )
    assert answer.location == f"/unknown?error=client&number={quote(STRANGER)}"
    assert (await _entry(api))["status"] == "open"
    assert (await api.get(f"/api/v1/clients/{theirs['id']}"))["phones"] == []
    assert team["ivan"]["name"] == "Иван"


async def test_a_recorded_call_plays_through_a_signed_link(api: Api, clock: TestClock) -> None:
    await _team_with_a_stranger(api, clock)
    await api.hook(
        [
            update("r1", "ringing", caller=STRANGER, extension="101"),
            update("r1", "answered", caller=STRANGER, extension="101"),
            update("r1", "ended", caller=STRANGER, recording_url="https://rec.example/r1.mp3"),
        ]
    )
    browser = await _logged_in(api, "olga")
    queue = await browser.get("/unknown")
    start = queue.text.index('<audio controls preload="none" src="') + len(
        '<audio controls preload="none" src="'
    )
    src = html.unescape(queue.text[start : queue.text.index('"', start)])
    assert src.startswith("/api/v1/calls/") and "signature=" in src
    browser.forget_cookies()
    async with api.client.get(src, allow_redirects=False) as played:
        assert (played.status, played.headers["Location"]) == (302, "https://rec.example/r1.mp3")


async def test_another_teams_recording_of_the_number_is_not_played(
    api: Api, clock: TestClock
) -> None:
    """Иван took a call of the number, so he sees it; Пётр (another team) took a later one, with
    a recording: Иван's page has no player for Пётр's call, the director's has."""
    team = await _team_with_a_stranger(api, clock)
    await api.post("/api/v1/managers", {"name": "Пётр", "extension": "202"})
    await api.hook(
        [
            update("i1", "ringing", caller=STRANGER, extension="101"),
            update("i1", "answered", caller=STRANGER, extension="101"),
            update("i1", "ended", caller=STRANGER),
            update("p1", "ringing", caller=STRANGER, extension="202"),
            update("p1", "answered", caller=STRANGER, extension="202"),
            update("p1", "ended", caller=STRANGER, recording_url="https://rec.example/p1.mp3"),
        ]
    )
    ivan = await _logged_in(api, "ivan")
    row = (await ivan.get("/unknown")).text
    assert f'data-number="{STRANGER}"' in row
    assert "<audio" not in row
    await with_password(api, team["director"]["id"], "correct horse", login="boss")
    director = await _logged_in(api, "boss")
    assert "<audio" in (await director.get("/unknown")).text
