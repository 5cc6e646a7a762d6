"""Nobody's missed call is nobody's: who answers for each miss, who hears of it at once, who hears
of it when nobody called back — end to end through the generic hook and the outbox."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from config.settings import EscalationSettings, OutboxSettings, Settings
from hub.bootstrap.people import ESCALATION_SWEEP, SCHEDULE
from storage.models import OutboxMessage
from tests.support.api import Api, update
from tests.support.settings import make_settings
from tests.support.team import case_of, missed_call, outbox, sales_team
from tests.support.telegram_stub import until_true

STRANGER = "+79167770011"
CLIENT = "+79031112233"


@pytest.fixture
def settings(db_url: str) -> Settings:
    return make_settings(
        db_url,
        escalation=EscalationSettings(after=timedelta(hours=1), sweep_interval=timedelta(hours=1)),
        outbox=OutboxSettings(
            per_chat_interval=timedelta(0), poll_interval=timedelta(seconds=0.05)
        ),
    )


async def _sent(api: Api, kind: str | None = None) -> list[OutboxMessage]:
    """The outbox once everything in it is delivered (to chats or to the log)."""

    async def settled() -> bool:
        rows = await outbox(api)
        return bool(rows) and all(r.status == "sent" for r in rows)

    await until_true(settled)
    return [r for r in await outbox(api) if kind is None or r.kind == kind]


async def _petr(api: Api, boss_id: int, **extra: Any) -> dict[str, Any]:
    body = {"name": "Пётр", "extension": "102", "supervisor_id": boss_id, "telegram_chat_id": 1002}
    found: dict[str, Any] = await api.post("/api/v1/managers", body | extra)
    return found


async def test_an_unknown_callers_miss_alerts_the_manager_whose_phone_rang_and_his_boss(
    api: Api,
) -> None:
    team = await sales_team(api)
    await api.hook(missed_call("u1", STRANGER, "101"))
    case = await case_of(api, STRANGER)
    assert case["manager_id"] == team["ivan"]["id"]
    assert case["responsible_reason"] == "rang"
    assert case["client_id"] is None
    missed = await _sent(api, "missed")
    assert sorted(r.chat_id or 0 for r in missed) == [1000, 1001]
    alert = missed[0]
    assert alert.text.startswith(f"📵 Пропущенный звонок\nнеизвестный номер\n{STRANGER}\n")
    assert "👤 Иван · звонок шёл на его телефон" in alert.text
    buttons = alert.buttons or []
    assert buttons[0][-1] == {"text": "WhatsApp", "url": "https://wa.me/79167770011"}
    assert [b["callback_data"] for b in buttons[-1]] == [
        f"tri:find:{STRANGER}:0",
        f"tri:new:{STRANGER}:0",
        f"tri:list:{STRANGER}:0",
    ]
    # No PBX here can place calls: no «Позвонить».
    assert not any(b.get("callback_data", "").startswith("call:") for row in buttons for b in row)


async def test_a_ring_group_tells_everyone_whose_phone_rang(api: Api) -> None:
    team = await sales_team(api)
    petr = await _petr(api, team["boss"]["id"])
    start = api.clock.now() - timedelta(minutes=1)
    await api.hook(missed_call("g1", STRANGER, "102", "101", start=start))
    case = await case_of(api, STRANGER)
    assert (case["manager_id"], case["responsible_reason"]) == (petr["id"], "rang")
    assert case["told"] == [petr["id"], team["boss"]["id"], team["ivan"]["id"]]
    missed = await _sent(api, "missed")
    assert sorted(r.chat_id or 0 for r in missed) == [1000, 1001, 1002]


async def test_a_queue_abandon_that_rang_nobody_goes_to_duty_then_escalates_once(
    api: Api,
) -> None:
    team = await sales_team(api)
    await api.hook(missed_call("q1", STRANGER))
    case = await case_of(api, STRANGER)
    assert (case["manager_id"], case["responsible_reason"]) == (None, "duty")
    missed = await _sent(api, "missed")
    # Duty: every supervisor by default.
    assert [r.manager_id for r in missed] == [team["boss"]["id"]]
    assert "звонок не дошёл ни до кого" in missed[0].text

    sweep = api.app[SCHEDULE].job(ESCALATION_SWEEP).run
    later = api.clock.now() + timedelta(hours=2)
    assert sorted(await asyncio.gather(sweep(later), sweep(later))) == [0, 1]
    escalations = await _sent(api, "escalation")
    assert sorted(r.chat_id or 0 for r in escalations) == [1000, 9000]
    assert all("ответственный: не назначен" in r.text for r in escalations)


async def test_an_absent_managers_client_goes_to_his_substitute_and_he_hears_nothing(
    api: Api,
) -> None:
    team = await sales_team(api)
    ivan, boss = team["ivan"], team["boss"]
    petr = await _petr(api, boss["id"])
    now = api.clock.now()
    await api.post(
        f"/api/v1/managers/{ivan['id']}/absences",
        {
            "starts_at": (now - timedelta(days=1)).isoformat(),
            "ends_at": (now + timedelta(days=7)).isoformat(),
            "substitute_id": petr["id"],
        },
    )
    await api.hook(missed_call("a1", CLIENT, "102"))
    case = await case_of(api, CLIENT)
    assert (case["manager_id"], case["responsible_reason"]) == (petr["id"], "substitute")
    assert case["client_id"] == team["client"]["id"]
    missed = await _sent(api, "missed")
    assert sorted(r.manager_id or 0 for r in missed) == sorted([petr["id"], boss["id"]])
    assert "замещает отсутствующего менеджера" in missed[0].text

    sweep = api.app[SCHEDULE].job(ESCALATION_SWEEP).run
    assert await sweep(api.clock.now() + timedelta(hours=2)) == 1
    escalations = await _sent(api, "escalation")
    assert sorted(r.chat_id or 0 for r in escalations) == [1000, 9000]
    assert all("ответственный: Пётр" in r.text for r in escalations)
    assert not [r for r in await outbox(api) if r.manager_id == ivan["id"]]


async def test_an_unknown_number_stays_with_whoever_last_talked_to_it(api: Api) -> None:
    team = await sales_team(api)
    petr = await _petr(api, team["boss"]["id"])
    await api.hook(
        [
            update("t1", "ringing", caller=STRANGER, extension="102"),
            update("t1", "answered", caller=STRANGER, extension="102"),
            update("t1", "ended", caller=STRANGER, extension="102"),
        ]
    )
    await api.hook(missed_call("t2", STRANGER, "101"))
    case = await case_of(api, STRANGER)
    assert (case["manager_id"], case["responsible_reason"]) == (petr["id"], "last_talked")
    queue = await api.get("/api/v1/unknown-numbers")
    assert [(u["number"], u["manager_id"]) for u in queue["items"]] == [(STRANGER, petr["id"])]


async def test_a_person_told_later_gets_the_edit_as_a_new_message(api: Api) -> None:
    """The supervisor is assigned after the first miss, and the manager binds his chat later:
    the repeat miss reaches both as new messages instead of waiting for an original."""
    team = await sales_team(api)
    ivan = team["ivan"]
    await api.call("PATCH", f"/api/v1/managers/{ivan['id']}", {"supervisor_id": None})
    await api.call("PATCH", f"/api/v1/managers/{ivan['id']}", {"telegram_chat_id": None})
    await api.hook(missed_call("l1", STRANGER, "101"))
    first = await _sent(api, "missed")
    assert [(r.manager_id, r.channel) for r in first] == [(ivan["id"], "console")]

    await api.call("PATCH", f"/api/v1/managers/{ivan['id']}", {"supervisor_id": team["boss"]["id"]})
    await api.call("PATCH", f"/api/v1/managers/{ivan['id']}", {"telegram_chat_id": 1001})
    await api.hook(missed_call("l2", STRANGER, "101"))
    rows = await _sent(api, "missed")
    edits = [r for r in rows if r.edit_key is not None]
    assert sorted(r.chat_id or 0 for r in edits) == [1000, 1001]
    # Neither had an original in his chat: each edit went out as a message of its own, which
    # later edits (the return) then edit.
    assert all(r.status == "sent" and r.message_key == r.edit_key for r in edits)
    await api.hook(
        [
            update("l3", "ringing", caller=STRANGER, extension="101"),
            update("l3", "answered", caller=STRANGER, extension="101"),
        ]
    )
    returned = await _sent(api, "returned")
    assert sorted(r.chat_id or 0 for r in returned) == [1000, 1001]
    assert all(
        (r.buttons or [[{}]])[0][-1].get("url") == "https://wa.me/79167770011" for r in returned
    )


async def test_lists_open_cases_by_flag_and_the_flag_is_set_through_the_api(api: Api) -> None:
    team = await sales_team(api)
    made = await api.post(
        "/api/v1/lists", {"slug": "partners", "title": "Партнёры", "opens_cases": True}
    )
    assert made["opens_cases"] is True
    await api.post("/api/v1/lists/partners/entries", {"number": STRANGER})
    await api.hook(missed_call("s1", STRANGER, "101"))
    case = await case_of(api, STRANGER)
    assert (case["manager_id"], case["responsible_reason"]) == (team["ivan"]["id"], "rang")
    missed = await _sent(api, "missed")
    assert sorted(r.chat_id or 0 for r in missed) == [1000, 1001]
    # A listed number waits for no triage: no triage buttons.
    assert not any(
        b.get("callback_data", "").startswith("tri:")
        for row in missed[0].buttons or []
        for b in row
    )
    changed = await api.call("PATCH", "/api/v1/lists/partners", {"opens_cases": False})
    assert changed[1]["opens_cases"] is False
    status, body = await api.call("PATCH", "/api/v1/lists/partners", {"opens_cases": None})
    assert (status, body["error"]["field"]) == (400, "opens_cases")
