"""Mango's legs and lines, read without a server: who is the employee and who the outside number,
which company line was dialled, and what a leg's end or the summary ends."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.errors import PayloadError
from connectors.mango import call_event, recording_event, summary_event
from hub.domain.calls import CallState, CallUpdate, Direction
from hub.domain.phone import Normalizer
from tests.connectors.mango.payloads import (
    CLIENT,
    DEVICE,
    LINE,
    LOGIN,
    T0,
    answered_inbound,
    ended_in_ivr,
    outbound_answered,
    summary,
)
from tests.connectors.mango.payloads import leg as mango_leg
from tests.support.folding import fold_updates

NORMALIZE = Normalizer()


def _parse(path: str, body: dict[str, Any]) -> list[CallUpdate]:
    parser = call_event if path == "events/call" else summary_event
    return parser(body, connector="mg", normalize=NORMALIZE)


def _one(path: str, body: dict[str, Any]) -> CallUpdate:
    [update] = _parse(path, body)
    return update


def _seen(update: CallUpdate) -> tuple[Any, ...]:
    return update.direction, update.caller.value, update.callee.value, update.extension


def test_an_outbound_leg_is_the_employees_whether_or_not_it_names_his_number() -> None:
    appeared, connected, disconnected, _ = outbound_answered("E", CLIENT, T0)
    # Appeared: from {"extension"}; Connected, Disconnected: from {"extension", "number": line}.
    expected = (Direction.OUTBOUND, "101", f"+{CLIENT}", "101")
    assert [_seen(_one(*e)) for e in (appeared, connected, disconnected)] == [expected] * 3
    assert _one(*connected).state is CallState.ANSWERED


def test_the_outbound_summary_is_from_the_extension_not_his_login() -> None:
    *_, end = outbound_answered("E", CLIENT, T0)
    assert end[1]["from"] == {"extension": "101", "number": LOGIN}
    updates = _parse(*end)
    assert {_seen(u)[:3] for u in updates} == {(Direction.OUTBOUND, "101", f"+{CLIENT}")}
    assert [(u.state, u.extension) for u in updates if u.state is CallState.ANSWERED] == [
        (CallState.ANSWERED, "101")
    ]


def test_an_inbound_call_is_to_the_company_line_never_to_the_device() -> None:
    events = answered_inbound("E", CLIENT, T0)
    expected = (Direction.INBOUND, f"+{CLIENT}", f"+{LINE}")
    assert {_seen(u)[:3] for path, body in events for u in _parse(path, body)} == {expected}
    manager_leg = events[2][1]
    assert manager_leg["to"]["number"] == DEVICE
    assert _one(*events[2]).extension == "101"
    for device in ("user3", DEVICE, "sip:79161234567@vpbx400123456.mangosip.ru"):
        body = {**manager_leg, "to": {"extension": "101", "number": device}}
        # No line_number on the leg: the extension that took the call, not its device.
        assert _seen(_one("events/call", body))[2] == "101"


def test_a_summary_keeps_the_line_whatever_the_device() -> None:
    *_, end = answered_inbound("E", CLIENT, T0)
    for to in ({"extension": "101", "number": "user3"}, {"extension": "101"}):
        updates = _parse(end[0], {**end[1], "to": to})
        assert {u.callee.value for u in updates} == {f"+{LINE}"}


def test_a_leg_that_ends_ends_that_leg_and_the_summary_ends_the_call() -> None:
    ivr_appeared, ivr_left, *_, end = answered_inbound("E", CLIENT, T0)
    left = _one(*ivr_left)
    assert (left.state, left.leg, left.extension) == (CallState.ENDED, "E-W", None)
    assert _one(*ivr_appeared).leg == "E-W"
    ends = [u for u in _parse(*end) if u.state is CallState.ENDED]
    assert [(u.leg, u.extension) for u in ends] == [(None, None)]


@pytest.mark.parametrize("where", ["ivr", "queue"])
def test_the_ivr_or_a_queue_picking_the_call_up_is_no_answer(where: str) -> None:
    appeared = ended_in_ivr("E", CLIENT, T0)[0][1]
    body = {**appeared, "location": where, "call_state": "Connected", "seq": 2}
    assert _one("events/call", body).state is CallState.RINGING
    manager = {**body, "location": "abonent", "to": {"extension": "101", "number": DEVICE}}
    assert _one("events/call", manager).state is CallState.ANSWERED


def test_two_employees_are_an_internal_call() -> None:
    path, body = mango_leg(
        "E",
        "X",
        1,
        "Appeared",
        **{"from": {"extension": "333", "number": "44332211"}},
        to={"extension": "321", "number": "87654321"},
    )
    assert _seen(_one(path, body)) == (Direction.INTERNAL, "333", "321", "321")


def test_a_missed_summary_without_a_line_number_reads_the_dialled_number() -> None:
    path, body = summary(
        "E", 1, **{"from": {"number": CLIENT}, "to": {"number": LINE}}, line_number=None
    )
    assert {(u.caller.value, u.callee.value) for u in _parse(path, body)} == {
        (f"+{CLIENT}", f"+{LINE}")
    }


def test_a_line_number_that_is_no_number_is_refused() -> None:
    path, body = summary("E", 1, **{"from": {"number": CLIENT}, "to": {}}, line_number=[1])
    with pytest.raises(PayloadError) as refused:
        _parse(path, body)
    assert refused.value.field == "line_number"


def test_a_recorded_call_without_its_summary_still_ends() -> None:
    """A recording is a leg of its own that talked and is over: it never keeps a call open."""
    legs = [
        mango_leg("R", "L1", 1, "Appeared"),
        mango_leg("R", "L1", 2, "Connected"),
        mango_leg("R", "L1", 3, "Disconnected"),
    ]
    updates = [u for path, body in legs for u in _parse(path, body)]
    recording = {
        "entry_id": "R",
        "call_id": "L1",
        "extension": "101",
        "recording_id": "rec-1",
        "recording_state": "Completed",
        "timestamp": 1795000010,
    }
    updates += recording_event(recording, connector="mg", normalize=NORMALIZE)
    summary = fold_updates(updates)
    assert (summary.status, summary.outcome) == ("ended", "answered")
    assert summary.recording_url == "mango:recording:rec-1"
