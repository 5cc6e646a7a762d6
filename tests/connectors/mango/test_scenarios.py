"""Mango's calls end to end, in the shapes of its API manual and in every order its parallel
deliveries may take: direction, the manager (extension → manager id), the company line, the
outcome, the callback cases and the "missed" alerts — read through the public API only."""

from __future__ import annotations

import itertools
from datetime import timedelta
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
from tests.support.api import Api, settled
from tests.support.clock import TestClock
from tests.support.fuzzing import fuzz
from tests.support.team import sales_team
from tests.support.telegram_stub import until_true

ACTIVE = ("open", "escalated")


# How long a call that looks missed waits for Mango's last word: longer than the default here, so
# that the events of one replay are never too far apart on a loaded machine.
WAIT = timedelta(minutes=1)


@pytest.fixture
async def api(aiohttp_client: Any, db_url: str, clock: TestClock) -> Api:
    return await service(aiohttp_client, db_url, clock, mg=account(summary_wait=WAIT))


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
    """The call is inbound, to the company line, answered by 101; it never opened a case and
    nobody was told it was missed — even when the IVR leg's end came before the manager's leg
    (the call waits for the summary or a late leg before it is taken as missed)."""
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
    assert await _cases(api, f"+{client}") == []
    # Only the question who it was, when the caller is nobody's yet.
    assert {r["kind"] for r in await _alerts(api, f"+{client}")} <= {"triage"}


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


async def test_a_call_whose_summary_never_comes_is_missed_once_the_wait_is_over(
    api: Api, clock: TestClock
) -> None:
    team = await _team(api)
    client = _client(8000)
    legs = ended_in_ivr("lost-1", client, T0)[:-1]  # the IVR leg only: the summary is lost
    await _replay(api, legs)
    call = await _call(api, "lost-1")
    assert (call["outcome"], call["missed"]) == ("abandoned", True)
    # A late leg or the summary may still say otherwise: nobody is told yet.
    assert await _cases(api, f"+{client}") == []
    clock.advance(WAIT - timedelta(seconds=5))
    await settled(api.app)
    assert await _cases(api, f"+{client}") == []
    assert {r["kind"] for r in await _alerts(api, f"+{client}")} <= {"triage"}
    clock.advance(timedelta(seconds=6))
    await settled(api.app)
    [case] = await _cases(api, f"+{client}")
    boss = team["boss"]["id"]
    assert (case["status"], case["missed_count"], case["told"]) == ("open", 1, [boss])
    alerts = await _alerts(api, f"+{client}")
    assert [(r["kind"], r["manager_id"]) for r in alerts] == [("missed", boss)]
    # The summary, late: it agrees, and changes nothing.
    await _replay(api, ended_in_ivr("lost-1", client, T0)[-1:])
    assert [c["id"] for c in await _cases(api, f"+{client}")] == [case["id"]]


async def test_a_leg_that_comes_while_the_call_waits_keeps_it_from_being_missed(
    api: Api, clock: TestClock
) -> None:
    await _team(api)
    client = _client(8100)
    events = answered_inbound("late-1", client, T0)
    # The IVR leg ends; the manager's leg comes only some seconds later; no summary at all.
    await _replay(api, [events[0], events[IVR_LEFT]])
    clock.advance(WAIT / 2)
    await _replay(api, [events[MANAGER_APPEARED], events[MANAGER_CONNECTED], events[4]])
    clock.advance(WAIT * 2)
    await settled(api.app)
    call = await _call(api, "late-1")
    assert (call["outcome"], call["status"], call["extension"]) == ("answered", "ended", "101")
    assert await _cases(api, f"+{client}") == []
    assert {r["kind"] for r in await _alerts(api, f"+{client}")} <= {"triage"}
