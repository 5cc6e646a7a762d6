"""A missed call that later events show answered: its case is withdrawn, the alerts are edited
to say so, nothing escalates — and whatever order a call's events come in, and however they are
split into deliveries, the call is the same and no alert is left saying it was missed."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.settings import OutboxSettings, Settings
from hub.bootstrap.people import ESCALATION_SWEEP, SCHEDULE
from tests.support.api import Api, update
from tests.support.fuzzing import fuzz
from tests.support.settings import make_settings
from tests.support.team import CALLER, case_of, missed_call, outbox, sales_team
from tests.support.telegram_stub import until_true


@pytest.fixture
def settings(db_url: str) -> Settings:
    return make_settings(
        db_url,
        outbox=OutboxSettings(
            per_chat_interval=timedelta(0), poll_interval=timedelta(seconds=0.05)
        ),
    )


def _answered_leg(call_id: str, extension: str) -> list[dict[str, Any]]:
    return [
        update(call_id, "ringing", caller=CALLER, extension=extension),
        update(call_id, "answered", caller=CALLER, extension=extension),
        update(call_id, "ended", caller=CALLER, extension=extension),
    ]


async def _settled(api: Api) -> None:
    async def done() -> bool:
        rows = await outbox(api)
        return all(r.status in ("sent", "superseded") for r in rows)

    await until_true(done)


async def test_a_miss_answered_after_all_is_withdrawn_and_the_alerts_say_so(api: Api) -> None:
    team = await sales_team(api)
    petr = await api.post(
        "/api/v1/managers",
        {"name": "Пётр", "extension": "102", "supervisor_id": team["boss"]["id"]},
    )
    # The queue leg to 101 ends first; the leg 102 answered arrives later.
    await api.hook(missed_call("w1", CALLER, "101"))
    case = await case_of(api, CALLER)
    assert case["status"] == "open"
    await _settled(api)
    await api.hook(_answered_leg("w1", "102"))
    case = await case_of(api, CALLER)
    assert (case["status"], case["returned_by"], case["escalate_at"]) == (
        "withdrawn",
        petr["id"],
        None,
    )
    calls = (await api.get("/api/v1/calls"))["items"]
    assert [(c["outcome"], c["manager_id"]) for c in calls] == [("answered", petr["id"])]
    await _settled(api)
    withdrawn = [r for r in await outbox(api) if r.kind == "withdrawn"]
    assert sorted(r.manager_id or 0 for r in withdrawn) == sorted(
        [team["ivan"]["id"], team["boss"]["id"]]
    )
    assert all(
        r.text.startswith("☑️ Звонок всё-таки приняли") and "Пётр" in r.text for r in withdrawn
    )
    # «Перезвонил» is gone; WhatsApp stays.
    assert all(
        [b["text"] for b in (r.buttons or [[]])[0]][-2:] == ["WhatsApp", "Карточка"]
        for r in withdrawn
    )
    audit = await api.get("/api/v1/audit?entity=callback_case")
    assert [(e["action"], e["actor"]) for e in audit["items"]][:1] == [("withdraw", "system")]
    sweep = api.app[SCHEDULE].job(ESCALATION_SWEEP).run
    assert await sweep(api.clock.now() + timedelta(days=3)) == 0


async def test_a_miss_and_its_callback_folded_together_return_the_case(api: Api) -> None:
    team = await sales_team(api)
    callback = [
        update("cb", "ringing", direction="outbound", caller="101", callee=CALLER, extension="101"),
        update(
            "cb", "answered", direction="outbound", caller="101", callee=CALLER, extension="101"
        ),
    ]
    start = api.clock.now() - timedelta(minutes=5)
    for item in callback:
        item["at"] = (start + timedelta(minutes=1)).isoformat()
    await api.hook([*missed_call("m", CALLER, "101", start=start), *callback])  # one delivery
    case = await case_of(api, CALLER)
    assert (case["status"], case["returned_by"]) == ("returned", team["ivan"]["id"])


async def test_one_of_several_misses_answered_after_all_returns_the_case(api: Api) -> None:
    team = await sales_team(api, boss_extension="100")
    await api.hook(missed_call("s1", CALLER, "101"))
    await api.hook(missed_call("s2", CALLER, "101"))
    assert (await case_of(api, CALLER))["missed_count"] == 2
    await api.hook(_answered_leg("s2", "100"))  # Ольга picked the second call up after all
    case = await case_of(api, CALLER)
    assert (case["status"], case["missed_count"], case["returned_by"]) == (
        "returned",
        1,
        team["boss"]["id"],
    )


def _events(call_id: str, caller: str) -> list[dict[str, Any]]:
    """One call: leg 101 rings and gives up, leg 102 rings and is answered."""
    miss = missed_call(call_id, caller, "101")
    return [
        miss[0],
        update(call_id, "ringing", caller=caller, extension="102"),
        miss[1],
        update(call_id, "answered", caller=caller, extension="102"),
        update(call_id, "ended", caller=caller, extension="102"),
    ]


EXAMPLES = itertools.count(1)
SIZE = len(_events("x", CALLER))


@fuzz(8)
@given(
    order=st.permutations(range(SIZE)),
    cuts=st.lists(st.integers(1, SIZE - 1), max_size=3),
    repeats=st.lists(st.integers(0, SIZE - 1), max_size=2),
)
async def test_any_order_and_any_split_gives_the_same_call_and_no_alert_says_missed(
    api: Api, order: list[int], cuts: list[int], repeats: list[int]
) -> None:
    example = next(EXAMPLES)
    if not (await api.get("/api/v1/managers"))["items"]:  # the first example on this database
        await sales_team(api, boss_extension="100")
        await api.post("/api/v1/managers", {"name": "Пётр", "extension": "102"})
    # Each example is a call of its own, from a number of its own (the database is shared).
    call_id, caller = f"p{example}", f"+7916555{example:04d}"
    base = _events(call_id, caller)
    events = [base[i] for i in order] + [base[i] for i in repeats]
    bounds = [0, *sorted(set(cuts)), len(events)]
    for start, end in itertools.pairwise(bounds):
        await api.hook(events[start:end])
    calls = (await api.get(f"/api/v1/calls?number={caller[1:]}"))["items"]
    assert [(c["outcome"], c["extension"]) for c in calls] == [("answered", "102")]
    cases = [c for c in (await api.get("/api/v1/callback-cases"))["items"] if c["number"] == caller]
    assert all(c["status"] == "withdrawn" for c in cases)
    await _settled(api)
    rows = [r for r in await outbox(api) if caller in r.text]
    # Every missed-call alert that went out was edited to say the call was answered after all.
    told = {r.manager_id for r in rows if r.kind == "missed"}
    assert told == {r.manager_id for r in rows if r.kind == "withdrawn"}
    assert bool(told) == bool(cases)
