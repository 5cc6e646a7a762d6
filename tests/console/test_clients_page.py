"""``/clients``: finding a client by phone in any format and by name in any case, the card with
its calls and recordings, changes audited with the person's name, a version restored, a bad
change refused with nothing changed, and scope — another team's client is neither found nor
opened."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.support.api import Api, update
from tests.support.console import Browser, logged_in
from tests.support.team import CALLER, case_of, miss, sales_team

PASSWORD = "correct horse"


async def _logged_in(api: Api, manager_id: int, login: str) -> Browser:
    return await logged_in(api, manager_id, login, PASSWORD)


async def _as_olga(api: Api) -> tuple[dict[str, Any], Browser]:
    """The sales team, and its supervisor Ольга at the console."""
    team = await sales_team(api)
    return team, await _logged_in(api, team["boss"]["id"], "olga")


async def _card(api: Api, client_id: int) -> dict[str, Any]:
    found: dict[str, Any] = await api.get(f"/api/v1/clients/{client_id}")
    return found


@pytest.mark.parametrize(
    "typed",
    ["8 (903) 111-22-33", "+7 903 111 22 33", "79031112233", "9031112233", "8 903 1112233 доб. 5"],
)
async def test_a_client_is_found_by_his_phone_in_any_format(api: Api, typed: str) -> None:
    _, browser = await _as_olga(api)
    await api.post("/api/v1/clients", {"name": "ИП Васильков", "phones": ["+79165550000"]})
    found = await browser.get("/clients?" + urlencode({"q": typed}))
    assert found.status == 200
    assert "ООО Ромашка" in found.text and "ИП Васильков" not in found.text


async def test_a_client_is_found_by_a_part_of_his_name_in_another_case(api: Api) -> None:
    team, browser = await _as_olga(api)
    for words in ("ромашка", "РОМАШ", "ооо Ром"):
        found = await browser.get(f"/clients?q={words}")
        assert "ООО Ромашка" in found.text, words
        assert f'href="/clients/{team["client"]["id"]}"' in found.text
    nothing = await browser.get("/clients?q=Лютик")
    assert "ООО Ромашка" not in nothing.text and "Клиентов не найдено" in nothing.text


async def test_the_list_comes_a_page_at_a_time(api: Api) -> None:
    team, browser = await _as_olga(api)
    for index in range(26):
        await api.post(
            "/api/v1/clients",
            {"name": f"Клиент {index:02}", "manager_id": team["ivan"]["id"]},
        )
    first = await browser.get("/clients?q=клиент")
    assert first.text.count("data-client=") == 25
    following = re.search(r'rel="next" href="([^"]+)"', first.text)
    assert following is not None
    second = await browser.get(html.unescape(following.group(1)))
    assert second.text.count("data-client=") == 1 and "Клиент 25" in second.text
    assert 'rel="next"' not in second.text


async def test_the_card_shows_the_calls_and_plays_a_recording(api: Api) -> None:
    team, browser = await _as_olga(api)
    await api.hook(
        [
            update("c1", "ringing", extension="101"),
            update("c1", "answered", extension="101"),
            update("c1", "ended", extension="101", recording_url="https://rec.example/c1.mp3"),
        ]
    )
    card = await browser.get(f"/clients/{team['client']['id']}")
    assert card.status == 200
    assert "входящий" in card.text and "разговор" in card.text and "Иван" in card.text
    player = re.search(r'<audio controls preload="none" src="([^"]+)"', card.text)
    assert player is not None
    # The player's link opens without a token: the recording is handed out (the vendor's link).
    async with api.client.get(html.unescape(player.group(1)), allow_redirects=False) as played:
        assert (played.status, played.headers["Location"]) == (302, "https://rec.example/c1.mp3")


async def test_an_edit_is_audited_with_the_persons_name_and_a_version_restored(api: Api) -> None:
    team, browser = await _as_olga(api)
    client_id = team["client"]["id"]
    fields = {
        "name": "ООО Ромашка и партнёры",
        "notes": "звонить после обеда\r\nпо вторникам",
        "status": "regular",
        "manager_id": str(team["ivan"]["id"]),
    }
    saved = await browser.submit(f"/clients/{client_id}/edit", fields, form=f"/clients/{client_id}")
    assert (saved.status, saved.location) == (303, f"/clients/{client_id}?done=saved")
    shown = await browser.get(f"/clients/{client_id}?done=saved")
    assert "ООО Ромашка и партнёры" in shown.text and "Изменения сохранены" in shown.text
    card = await _card(api, client_id)
    assert (card["name"], card["status"], card["status_set_by_hand"]) == (
        "ООО Ромашка и партнёры",
        "regular",
        True,
    )
    versions = (await api.get(f"/api/v1/clients/{client_id}/versions"))["items"]
    assert (versions[0]["action"], versions[0]["actor"]) == ("update", "Ольга")
    # The first version back, from the versions page.
    history = await browser.get(f"/clients/{client_id}/versions")
    assert "ООО Ромашка и партнёры" in history.text and "Ольга" in history.text
    restored = await browser.submit(
        f"/clients/{client_id}/restore", {"version": "1"}, form=f"/clients/{client_id}/versions"
    )
    assert restored.location == f"/clients/{client_id}?done=restored"
    card = await _card(api, client_id)
    assert (card["name"], card["status"], card["notes"]) == ("ООО Ромашка", "potential", "")
    versions = (await api.get(f"/api/v1/clients/{client_id}/versions"))["items"]
    assert (versions[0]["version"], versions[0]["action"], versions[0]["actor"]) == (
        3,
        "restore",
        "Ольга",
    )


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"name": "   "}, "Имя клиента не может быть пустым"),
        ({"name": "x" * 301}, "длиннее 300 символов"),
        ({"status": "vip"}, "Выберите статус из списка"),
        ({"manager_id": "999"}, "Этого менеджера назначить нельзя"),
    ],
)
async def test_a_bad_edit_says_what_is_wrong_and_changes_nothing(
    api: Api, fields: dict[str, str], says: str
) -> None:
    team, browser = await _as_olga(api)
    client_id = team["client"]["id"]
    before = await _card(api, client_id)
    good = {
        "name": "Новое имя",
        "notes": "новые заметки",
        "status": "new",
        "manager_id": str(team["ivan"]["id"]),
    }
    refused = await browser.submit(
        f"/clients/{client_id}/edit", {**good, **fields}, form=f"/clients/{client_id}"
    )
    assert refused.status == 400
    assert says in refused.text
    assert await _card(api, client_id) == before
    assert len((await api.get(f"/api/v1/clients/{client_id}/versions"))["items"]) == 1


async def test_phones_are_added_in_any_format_and_a_bad_one_is_refused(api: Api) -> None:
    team, browser = await _as_olga(api)
    client_id = team["client"]["id"]
    card_path = f"/clients/{client_id}"
    added = await browser.submit(
        f"{card_path}/phones", {"number": "8 (916) 555-01-77"}, form=card_path
    )
    assert added.location == f"{card_path}?done=phone_added"
    assert (await _card(api, client_id))["phones"] == [CALLER, "+79165550177"]
    bad = await browser.submit(f"{card_path}/phones", {"number": "12ab"}, form=card_path)
    assert bad.status == 400 and "«12ab» — не номер телефона" in bad.text
    other = await api.post("/api/v1/clients", {"name": "Другой", "phones": ["+79160000001"]})
    taken = await browser.submit(f"{card_path}/phones", {"number": "+79160000001"}, form=card_path)
    assert taken.status == 400 and "уже записан за другим клиентом" in taken.text
    assert (await _card(api, client_id))["phones"] == [CALLER, "+79165550177"]
    assert (await _card(api, other["id"]))["phones"] == ["+79160000001"]
    removed = await browser.submit(
        f"{card_path}/phones/remove", {"number": "+79165550177"}, form=card_path
    )
    assert removed.location == f"{card_path}?done=phone_removed"
    assert (await _card(api, client_id))["phones"] == [CALLER]
    versions = (await api.get(f"/api/v1/clients/{client_id}/versions"))["items"]
    assert [v["actor"] for v in versions[:2]] == ["Ольга", "Ольга"]


async def test_a_new_client_is_created_with_his_phones(api: Api) -> None:
    team, browser = await _as_olga(api)
    fields = {
        "name": "ЗАО Василёк",
        "phones": "+7 916 555-01-78\n8 916 555 01 79",
        "status": "potential",
        "notes": "",
        "manager_id": str(team["ivan"]["id"]),
    }
    made = await browser.submit("/clients/new", fields)
    assert made.status == 303 and made.location is not None
    client_id = int(made.location.split("/")[2].split("?")[0])
    card = await _card(api, client_id)
    assert (card["name"], card["phones"], card["manager_id"]) == (
        "ЗАО Василёк",
        ["+79165550178", "+79165550179"],
        team["ivan"]["id"],
    )
    bad = await browser.submit("/clients/new", {**fields, "name": "Ещё", "phones": "abc"})
    assert bad.status == 400 and "«abc» — не номер телефона" in bad.text
    assert (await api.get("/api/v1/clients?name=Ещё"))["items"] == []


async def test_a_manager_keeps_to_his_own_clients(api: Api) -> None:
    team = await sales_team(api)
    other = await api.post("/api/v1/managers", {"name": "Пётр Чужой", "extension": "202"})
    theirs = await api.post(
        "/api/v1/clients",
        {"name": "ООО Чужая Ромашка", "manager_id": other["id"], "phones": ["+79165550199"]},
    )
    ivan = await _logged_in(api, team["ivan"]["id"], "ivan")
    found = await ivan.get("/clients?q=ромашка")
    assert "ООО Ромашка" in found.text and "Чужая" not in found.text
    assert "Чужая" not in (await ivan.get("/clients?q=+79165550199")).text
    assert "Чужая" not in (await ivan.get("/clients")).text
    for path in (f"/clients/{theirs['id']}", f"/clients/{theirs['id']}/versions"):
        missing = await ivan.get(path)
        assert missing.status == 404 and "Чужая" not in missing.text
    assert (await ivan.get("/clients/999999")).status == 404
    # Nor changed through a form posted to its address, nor handed to another's manager.
    mine = team["client"]["id"]
    token = (await ivan.get(f"/clients/{mine}")).token
    posted = await ivan.post(
        f"/clients/{theirs['id']}/edit", {"csrf": token, "name": "Моя", "status": "new"}
    )
    assert posted.status == 404
    assert (await _card(api, theirs["id"]))["name"] == "ООО Чужая Ромашка"
    handed = await ivan.post(
        f"/clients/{mine}/edit",
        {
            "csrf": token,
            "name": "ООО Ромашка",
            "status": "potential",
            "manager_id": str(other["id"]),
        },
    )
    assert handed.status == 400 and "Этого менеджера назначить нельзя" in handed.text
    assert (await _card(api, mine))["manager_id"] == team["ivan"]["id"]


async def test_a_name_with_markup_shows_as_text(api: Api) -> None:
    team, browser = await _as_olga(api)
    made = await api.post(
        "/api/v1/clients",
        {"name": "<script>alert(1)</script>", "manager_id": team["ivan"]["id"]},
    )
    for path in ("/clients?q=script", f"/clients/{made['id']}", f"/clients/{made['id']}/versions"):
        shown = await browser.get(path)
        assert "<script>alert(1)</script>" not in shown.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown.text


async def test_a_manager_takes_no_number_of_another_team_onto_his_card(api: Api) -> None:
    team = await sales_team(api)
    other = await api.post("/api/v1/managers", {"name": "Пётр Чужой", "extension": "202"})
    petrs_number = "+79165550200"
    petrs_case = await miss(api, "p1", petrs_number, "202")
    ivan = await _logged_in(api, team["ivan"]["id"], "ivan")
    mine = team["client"]["id"]
    says = "Номер +79165550200 — номер другой команды"

    added = await ivan.submit(
        f"/clients/{mine}/phones", {"number": "8 916 555-02-00"}, form=f"/clients/{mine}"
    )
    assert added.status == 400 and says in added.text
    fields = {"name": "ООО Захват", "phones": petrs_number, "status": "potential", "notes": ""}
    made = await ivan.submit("/clients/new", {**fields, "manager_id": str(team["ivan"]["id"])})
    assert made.status == 400 and says in made.text
    # Nothing changed: his card, the clients, Пётр's number in the queue and his case.
    assert (await _card(api, mine))["phones"] == [CALLER]
    assert (await api.get("/api/v1/clients?name=Захват"))["items"] == []
    queue = (await api.get("/api/v1/unknown-numbers"))["items"]
    assert [(u["number"], u["status"]) for u in queue] == [(petrs_number, "open")]
    case = await case_of(api, petrs_number)
    assert (case["id"], case["status"], case["manager_id"]) == (
        petrs_case["id"],
        "open",
        other["id"],
    )
    # The director may: the number becomes the card's, its case Иван's.
    await ivan.log_out()
    director = await _logged_in(api, team["director"]["id"], "director")
    done = await director.submit(
        f"/clients/{mine}/phones", {"number": petrs_number}, form=f"/clients/{mine}"
    )
    assert done.location == f"/clients/{mine}?done=phone_added"
    assert (await case_of(api, petrs_number))["manager_id"] == team["ivan"]["id"]


async def test_an_id_no_card_can_have_is_not_found(api: Api) -> None:
    _, browser = await _as_olga(api)
    for path in ("/clients/99999999999", "/clients/0", "/clients/99999999999/versions"):
        assert (await browser.get(path)).status == 404, path
    listed = await browser.get("/clients?after=99999999999")
    assert listed.status == 200
