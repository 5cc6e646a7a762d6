"""Mango's calls end to end, in the shapes of its API manual and in every order its parallel
deliveries may take: direction, the manager (extension → manager id), the company line, the
outcome, the callback cases and the "missed" alerts — read through the public API only."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.connectors.mango.payloads import (
    LINE,
    T0,
    Event,
    account,
    answered_inbound,
    ended_in_ivr,
    event,
    outbound_answered,
)
from tests.connectors.service import service
from tests.support.api import Api
from tests.support.fuzzing import fuzz
from tests.support.team import sales_team
from tests.support.telegram_stub import until_true

ACTIVE = ("open", "escalated")


@pytest.fixture
async def api(aiohttp_client: Any, db_url: str) -> Api:
    return await service(aiohttp_client, db_url, mg=account())


async def _team(api: Api, *numbers: str) -> dict[str, Any]:
    """Ольга (supervisor, on duty by default), the director, and Иван (101), the personal
    manager of ``numbers`` (else of the team's usual client); made once per app."""
    managers = (await api.get("/api/v1/managers"))["items"]
    if not managers:
        clients = [(f"Клиент {n}", f"+{n}") for n in numbers]
        return await sales_team(api, clients) if clients else await sales_team(api)
    by_role = {m["role"]: m for m in managers}
    ivan = next(m for m in managers if m["extension"] == "101")
    return {"boss": by_role["supervisor"], "director": by_role["director"], "ivan": ivan}


async def _replay(api: Api, events: list[Event]) -> None:
    for path, body in events:
        assert await event(api, path, body) == (200, {}), (path, body)


async def _call(api: Api, entry: str) -> dict[str, Any]:
    calls: list[dict[str, Any]] = (await api.get("/api/v1/calls?limit=1000"))["items"]
    [call] = [c for c in calls if c["call_id"] == entry]
    return call


def _shape(call: dict[str, Any]) -> tuple[Any, ...]:
    keys = ("direction", "outcome", "status", "from", "to", "manager_id", "extension")
    return tuple(call[k] for k in keys)


async def _cases(api: Api, number: str) -> list[dict[str, Any]]:
    items = (await api.get("/api/v1/callback-cases?limit=1000"))["items"]
    return [c for c in items if c["number"] == number]


async def _alerts(api: Api, number: str) -> list[dict[str, Any]]:
    """The outbox rows about ``number`` once the sender has dealt with every one of them."""

    async def rows() -> list[dict[str, Any]]:
        items = (await api.get("/api/v1/outbox?limit=1000"))["items"]
        return [r for r in items if number in r["text"]]

    async def delivered() -> bool:
        return all(r["status"] in ("sent", "superseded") for r in await rows())

    await until_true(delivered)
    return await rows()


def _client(i: int) -> str:
    """A client number of its own for each replay (the database is shared by the replays)."""
    return f"7916555{i:04d}"


# -- outbound: the manual's legs, `number` on the later ones only --------------------------------

OUTBOUND_ORDERS = list(itertools.permutations(range(4)))


async def test_an_outbound_call_is_the_managers_in_every_order_and_returns_the_case(
    api: Api,
) -> None:
    clients = [_client(i) for i in range(len(OUTBOUND_ORDERS))]
    team = await _team(api, *clients)
    ivan = team["ivan"]["id"]
    for i, order in enumerate(OUTBOUND_ORDERS):
        client = clients[i]
        await _replay(api, ended_in_ivr(f"miss-{i}", client, T0 + 1000 * i))
        [opened] = await _cases(api, f"+{client}")
        assert opened["status"] == "open"
        events = outbound_answered(f"out-{i}", client, T0 + 1000 * i + 100)
        await _replay(api, [events[j] for j in order])
        call = await _call(api, f"out-{i}")
        assert _shape(call) == (
            "outbound",
            "answered",
            "ended",
            "101",  # the extension, not his login ("user1") nor the line he called from
            f"+{client}",
            ivan,
            "101",
        ), order
        assert call["number"] == f"+{client}"
        [returned] = await _cases(api, f"+{client}")
        assert (returned["id"], returned["status"], returned["returned_by"]) == (
            opened["id"],
            "returned",
            ivan,
        ), order


# -- inbound: the IVR (or a queue), then the manager answers -------------------------------------


async def _answered_after_the_ivr(api: Api, events: list[Event], entry: str, client: str) -> None:
    """The call is inbound, to the company line, answered by 101; no case is left open and no
    alert says the call was missed without being edited afterwards."""
    team = await _team(api)
    call = await _call(api, entry)
    assert _shape(call) == (
        "inbound",
        "answered",
        "ended",
        f"+{client}",
        f"+{LINE}",
        team["ivan"]["id"],
        "101",
    ), [e[1].get("call_state", "summary") for e in events]
    cases = await _cases(api, f"+{client}")
    assert [c for c in cases if c["status"] in ACTIVE] == []
    # If the IVR leg's end was folded before the manager's leg arrived, the call looked missed
    # for a moment: its case is withdrawn and every alert about it edited to say so.
    assert all(c["status"] == "withdrawn" for c in cases)
    alerts = await _alerts(api, f"+{client}")
    told = {r["manager_id"] for r in alerts if r["kind"] == "missed"}
    assert told == {r["manager_id"] for r in alerts if r["kind"] == "withdrawn"}
    assert bool(told) == bool(cases)


IVR_LEFT, MANAGER_APPEARED, MANAGER_CONNECTED = 1, 2, 3


@pytest.mark.parametrize(
    "order",
    [
        # The IVR leg's Disconnected comes before the manager's leg appears...
        [0, IVR_LEFT, MANAGER_APPEARED, MANAGER_CONNECTED, 4, 5],
        # ...or after the manager's leg appeared and connected.
        [0, MANAGER_APPEARED, MANAGER_CONNECTED, IVR_LEFT, 4, 5],
        # The summary first, the IVR's end last.
        [5, MANAGER_APPEARED, 0, MANAGER_CONNECTED, 4, IVR_LEFT],
    ],
    ids=["ivr-left-first", "manager-first", "summary-first"],
)
@pytest.mark.parametrize("where", ["ivr", "queue"])
async def test_the_ivr_or_queue_then_the_manager_answers(
    api: Api, order: list[int], where: str
) -> None:
    client = _client(9000)
    await _team(api, client)
    events = answered_inbound("in-1", client, T0, where=where)
    await _replay(api, [events[i] for i in order])
    await _answered_after_the_ivr(api, events, "in-1", client)


REPLAYS = itertools.count(1)
INBOUND_SIZE = len(answered_inbound("x", "x", T0))


@fuzz(12)
@given(order=st.permutations(range(INBOUND_SIZE)), where=st.sampled_from(["ivr", "queue"]))
async def test_each_order_of_the_ivr_or_queue_and_the_manager_answering(
    api: Api, order: list[int], where: str
) -> None:
    i = next(REPLAYS)
    client = _client(5000 + i)
    await _team(api)  # an unknown caller: the duty recipients are told if it looks missed
    entry = f"in-{i}"
    events = answered_inbound(entry, client, T0 + 1000 * i, where=where)
    await _replay(api, [events[j] for j in order])
    await _answered_after_the_ivr(api, events, entry, client)


# -- inbound: the caller hangs up in the IVR ------------------------------------------------------


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
async def test_a_call_that_ends_in_the_ivr_is_missed_and_duty_is_told(
    api: Api, order: tuple[int, ...]
) -> None:
    team = await _team(api)
    client = _client(7000)  # nobody's number: the duty recipients answer for it
    events = ended_in_ivr("ivr-1", client, T0)
    await _replay(api, [events[i] for i in order])
    call = await _call(api, "ivr-1")
    assert _shape(call) == (
        "inbound",
        "abandoned",
        "ended",
        f"+{client}",
        f"+{LINE}",
        None,
        None,
    )
    assert call["missed"] is True
    [case] = await _cases(api, f"+{client}")
    boss = team["boss"]["id"]
    assert (case["status"], case["missed_count"], case["responsible_reason"]) == (
        "open",
        1,
        "duty",
    )
    assert case["told"] == [boss]
    alerts = await _alerts(api, f"+{client}")
    assert sorted((r["kind"], r["manager_id"]) for r in alerts) == [("missed", boss)]
