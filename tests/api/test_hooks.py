"""The generic call hook and the pipeline: signatures, dedup, order, unknown numbers, history."""

from __future__ import annotations

import json
import random
import time
from typing import Any

import pytest

from tests.support.api import Api, update

CALLER = "+79031112233"


async def _calls(api: Api, query: str = "") -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = (await api.get(f"/api/v1/calls{query}"))["items"]
    return items


async def test_missed_call_is_recorded_and_number_queued(api: Api) -> None:
    manager = await api.post("/api/v1/managers", {"name": "Ivan", "extension": "101"})
    _, body = await api.hook(
        [
            update("c1", "ringing", extension="101"),
            update("c1", "ended", extension="101", reason="no_answer"),
        ]
    )
    assert body == {"accepted": 2, "duplicates": 0}
    calls = await _calls(api, "?number=8%20903%20111-22-33")
    assert len(calls) == 1
    call = calls[0]
    assert (call["call_id"], call["direction"], call["outcome"], call["missed"]) == (
        "c1",
        "inbound",
        "missed",
        True,
    )
    assert call["number"] == CALLER
    unknown = (await api.get("/api/v1/unknown-numbers"))["items"]
    assert [(u["number"], u["calls"]) for u in unknown] == [(CALLER, 1)]
    assert unknown[0]["manager_ids"] == []
    del manager


async def test_answered_call_names_the_manager_and_feeds_unknown_queue(api: Api) -> None:
    manager = await api.post("/api/v1/managers", {"name": "Ivan", "extension": "101"})
    await api.hook(
        [
            update("c2", "ringing", extension="101"),
            update("c2", "ringing", extension="102"),
            update("c2", "answered", extension="101"),
            update("c2", "ended", extension="102", reason="cancel"),
            update("c2", "ended", extension="101", recording_url="https://rec.example/c2.mp3"),
        ]
    )
    call = (await _calls(api))[0]
    assert call["outcome"] == "answered"
    assert call["missed"] is False
    assert call["manager_id"] == manager["id"]
    assert call["recording_url"] == "https://rec.example/c2.mp3"
    unknown = (await api.get("/api/v1/unknown-numbers"))["items"][0]
    assert unknown["manager_ids"] == [manager["id"]]
    assert unknown["recording_urls"] == ["https://rec.example/c2.mp3"]


async def test_the_same_update_three_times_is_one_fact(api: Api) -> None:
    batch = [
        update("c3", "ringing", extension="101"),
        update("c3", "ended", extension="101", reason="busy"),
    ]
    results = [(await api.hook(batch))[1] for _ in range(3)]
    assert results[0] == {"accepted": 2, "duplicates": 0}
    assert results[1] == results[2] == {"accepted": 0, "duplicates": 2}
    # Same call/state/extension under a new event id is also a repeat.
    _, body = await api.hook([update("c3", "ended", extension="101", event="other-id")])
    assert body == {"accepted": 0, "duplicates": 1}
    calls = await _calls(api)
    assert len(calls) == 1 and calls[0]["outcome"] == "busy"
    unknown = (await api.get("/api/v1/unknown-numbers"))["items"]
    assert unknown[0]["calls"] == 1


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_shuffled_updates_give_the_same_call(api: Api, seed: int) -> None:
    base = api.clock.now().timestamp()

    def at(s: int) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(base + s))

    updates = [
        update("c4", "ringing", extension="101", at=at(0)),
        update("c4", "ringing", extension="102", at=at(0)),
        update("c4", "ended", extension="101", reason="no_answer", at=at(20)),
        update("c4", "answered", extension="102", at=at(7)),
        update("c4", "ended", extension="102", at=at(50)),
        update("c5", "ringing", extension="101", at=at(60), caller="+79035550000"),
        update("c5", "ended", extension="101", reason="cancel", at=at(70), caller="+79035550000"),
    ]
    random.Random(seed).shuffle(updates)
    for item in updates:  # one by one, in the shuffled order
        await api.hook(item)
    calls = {c["call_id"]: c for c in await _calls(api)}
    assert calls["c4"]["outcome"] == "answered"
    assert calls["c4"]["extension"] == "102"
    assert calls["c4"]["status"] == "ended"
    assert calls["c5"]["outcome"] == "abandoned"
    assert calls["c5"]["missed"] is True


async def test_outbound_and_internal_calls(api: Api) -> None:
    await api.hook(
        [
            update(
                "o1",
                "ringing",
                direction="outbound",
                caller="101",
                callee="89031112233",
                extension="101",
            ),
            update(
                "o1",
                "ended",
                direction="outbound",
                caller="101",
                callee="89031112233",
                extension="101",
                reason="no_answer",
            ),
            update(
                "i1", "ringing", direction="internal", caller="101", callee="102", extension="102"
            ),
            update(
                "i1", "answered", direction="internal", caller="101", callee="102", extension="102"
            ),
        ]
    )
    calls = {c["call_id"]: c for c in await _calls(api)}
    assert calls["o1"]["outcome"] == "unanswered"
    assert calls["o1"]["number"] == CALLER
    assert calls["i1"]["number"] is None
    assert calls["i1"]["from_kind"] == "internal"
    # Neither outbound nor internal calls put a number in the triage queue.
    assert (await api.get("/api/v1/unknown-numbers"))["items"] == []
    outbound = await _calls(api, "?direction=outbound")
    assert [c["call_id"] for c in outbound] == ["o1"]


async def test_withheld_caller_is_kept_raw_and_not_queued(api: Api) -> None:
    await api.hook(
        [
            update("w1", "ringing", caller="anonymous", extension="101"),
            update("w1", "ended", caller="anonymous", extension="101"),
        ]
    )
    call = (await _calls(api))[0]
    assert call["from"] == "anonymous" and call["from_kind"] == "withheld"
    assert call["outcome"] == "missed"
    assert (await api.get("/api/v1/unknown-numbers"))["items"] == []


async def test_known_clients_and_listed_numbers_are_not_unknown(api: Api) -> None:
    manager = await api.post("/api/v1/managers", {"name": "Ivan", "extension": "101"})
    client = await api.post(
        "/api/v1/clients", {"name": "Romashka", "manager_id": manager["id"], "phones": [CALLER]}
    )
    await api.post("/api/v1/lists/spam/entries", {"number": "+79035550000"})
    await api.hook(
        [
            update("k1", "ringing", extension="101"),
            update("k1", "answered", extension="101"),
            update("k1", "ended", extension="101"),
            update("s1", "ringing", caller="+79035550000"),
            update("s1", "ended", caller="+79035550000"),
        ]
    )
    assert (await api.get("/api/v1/unknown-numbers"))["items"] == []
    history = (await api.get(f"/api/v1/clients/{client['id']}/calls"))["items"]
    assert [(h["call_id"], h["outcome"], h["manager_id"]) for h in history] == [
        ("k1", "answered", manager["id"])
    ]
    assert (await _calls(api, f"?client_id={client['id']}"))[0]["call_id"] == "k1"


async def test_route_decision_is_stored_with_the_call(api: Api) -> None:
    manager = await api.post("/api/v1/managers", {"name": "Ivan", "extension": "101"})
    await api.post(
        "/api/v1/clients", {"name": "R", "manager_id": manager["id"], "phones": [CALLER]}
    )
    await api.get("/api/v1/route?from=89031112233&to=74950001122&call_id=r1")
    await api.hook([update("r1", "ringing", extension="101")])
    call = (await _calls(api))[0]
    assert call["route"]["target"] == {
        "type": "manager",
        "extension": "101",
        "manager_id": manager["id"],
    }
    assert call["route"]["reason_code"] == "personal_manager"


async def test_signature_problems_are_401_and_store_nothing(api: Api) -> None:
    batch = [update("x1", "ringing")]
    status, body = await api.hook(batch, secret="wrong", expect=None)
    assert status == 401 and body["error"]["code"] == "bad_signature"
    now = int(api.clock.now().timestamp())
    status, body = await api.hook(batch, at=now - 301, expect=None)
    assert status == 401 and "window" in body["error"]["message"]
    status, body = await api.hook(batch, at=now + 301, expect=None)
    assert status == 401
    raw = json.dumps(batch).encode()
    async with api.client.post("/api/v1/hooks/generic", data=raw) as response:
        assert response.status == 401
    assert await _calls(api) == []
    rejected = (await api.get("/api/v1/hooks/rejected"))["items"]
    assert len(rejected) == 4 and all(r["status"] == 401 for r in rejected)
    # Just inside the window, by the app's clock, the same body is taken.
    status, body = await api.hook(batch, at=now - 290, expect=None)
    assert status == 200 and body == {"accepted": 1, "duplicates": 0}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (
            [{"call_id": "a", "direction": "inbound", "state": "ringing", "from": "1", "to": "2"}],
            "[0].event_id",
        ),
        (
            {
                "event_id": "e",
                "call_id": "a",
                "direction": "sideways",
                "state": "ringing",
                "from": "1",
                "to": "2",
            },
            "direction",
        ),
        (
            {
                "event_id": "e",
                "call_id": "a",
                "direction": "inbound",
                "state": "ringing",
                "from": "1",
                "to": "2",
                "colour": "red",
            },
            "colour",
        ),
        (
            {
                "event_id": "e",
                "call_id": "a",
                "direction": "inbound",
                "state": "ringing",
                "from": 79161234567,
                "to": "2",
            },
            "from",
        ),
        (
            {
                "event_id": "e",
                "call_id": "a",
                "direction": "inbound",
                "state": "ringing",
                "from": "1",
                "to": "2",
                "at": "yesterday",
            },
            "at",
        ),
        ([], "body"),
    ],
)
async def test_malformed_updates_are_400_naming_the_field(
    api: Api, payload: object, field: str
) -> None:
    status, body = await api.hook(payload, expect=None)
    assert status == 400, body
    assert body["error"]["field"] == field
    assert await _calls(api) == []


async def test_one_bad_update_in_a_list_rejects_the_whole_delivery(api: Api) -> None:
    good = update("g1", "ringing")
    bad = {**update("g1", "ended"), "state": "exploded"}
    status, body = await api.hook([good, bad], expect=None)
    assert status == 400 and body["error"]["field"] == "[1].state"
    assert await _calls(api) == []


async def test_oversized_body_is_413(api: Api) -> None:
    huge = [
        update(f"big{i}", "ringing", recording_url="https://x/" + "a" * 1500) for i in range(60)
    ]
    status, body = await api.hook(huge, expect=None)
    assert status == 413 and body["error"]["code"] == "too_large"
    assert await _calls(api) == []


async def test_hook_is_disabled_without_a_secret(aiohttp_client: object, db_url: str) -> None:
    from config.settings import HooksSettings
    from hub.app import create_app
    from tests.support.settings import make_settings

    settings = make_settings(db_url, hooks=HooksSettings())
    client = await aiohttp_client(create_app(settings))  # type: ignore[operator]
    async with client.post("/api/v1/hooks/generic", data=b"[]") as response:
        assert response.status == 404
        assert "not configured" in (await response.json())["error"]["message"]


async def test_triage_moves_a_number_and_routing_sees_it_at_once(api: Api) -> None:
    manager = await api.post("/api/v1/managers", {"name": "Ivan", "extension": "101"})
    await api.hook(
        [
            update("t1", "ringing", extension="101"),
            update("t1", "answered", extension="101"),
            update("t1", "ended", extension="101"),
        ]
    )
    sticky = await api.get("/api/v1/route?from=%2B79031112233")
    assert sticky["reason_code"] == "sticky" and sticky["target"]["extension"] == "101"
    _, triaged = await api.call(
        "POST",
        "/api/v1/unknown-numbers/89031112233/triage",
        {"action": "list", "list": "blacklist"},
        expect=200,
    )
    assert triaged["status"] == "resolved" and triaged["resolution"] == "list:blacklist"
    decision = await api.get("/api/v1/route?from=%2B79031112233")
    assert decision["target"]["type"] == "reject"
    assert (await api.get("/api/v1/unknown-numbers"))["items"] == []
    await api.call(
        "POST",
        "/api/v1/unknown-numbers/89031112233/triage",
        {"action": "list", "list": "spam"},
        expect=409,
    )
    # A second unknown number becomes a new client of the manager who talked to it.
    await api.hook(
        [
            update("t2", "ringing", caller="+79035550000", extension="101"),
            update("t2", "answered", caller="+79035550000", extension="101"),
        ]
    )
    _, done = await api.call(
        "POST",
        "/api/v1/unknown-numbers/%2B79035550000/triage",
        {"action": "new_client", "name": "Новый клиент"},
        expect=200,
    )
    client_id = int(done["resolution"].split(":")[1])
    client = await api.get(f"/api/v1/clients/{client_id}")
    assert client["manager_id"] == manager["id"] and client["phones"] == ["+79035550000"]
    routed = await api.get("/api/v1/route?from=89035550000")
    assert routed["reason_code"] == "personal_manager"


async def test_triage_link_and_bad_triage_requests(api: Api) -> None:
    client = await api.post("/api/v1/clients", {"name": "Existing"})
    await api.hook([update("l1", "ringing"), update("l1", "ended")])
    status, body = await api.call(
        "POST", "/api/v1/unknown-numbers/%2B79031112233/triage", {"action": "teleport"}
    )
    assert status == 400
    status, body = await api.call(
        "POST", "/api/v1/unknown-numbers/%2B79031112233/triage", {"action": "link"}
    )
    assert (status, body["error"]["field"]) == (400, "link.client_id")
    await api.call(
        "POST",
        "/api/v1/unknown-numbers/%2B79990000000/triage",
        {"action": "link", "client_id": client["id"]},
        expect=404,
    )
    _, done = await api.call(
        "POST",
        "/api/v1/unknown-numbers/%2B79031112233/triage",
        {"action": "link", "client_id": client["id"]},
        expect=200,
    )
    assert done["resolution"] == f"client:{client['id']}"
    assert (await api.get(f"/api/v1/clients/{client['id']}"))["phones"] == [CALLER]


async def test_a_nul_character_is_refused_and_does_not_fail_other_requests(api: Api) -> None:
    status, body = await api.hook([update("nul\u0000call", "ringing")], expect=None)
    assert (status, body["error"]["field"]) == (400, "call_id")
    # A NUL in a routing query or a number is dropped, not stored: the next batch commits.
    async with api.client.get(
        "/api/v1/route?from=%2B7903%00111&to=%00", headers=api.headers()
    ) as response:
        assert response.status == 200
    await api.hook([update("clean", "ringing", caller="+7903\u00001112233")])
    calls = (await api.get("/api/v1/calls"))["items"]
    assert [(c["call_id"], c["from"]) for c in calls] == [("clean", "+79031112233")]
