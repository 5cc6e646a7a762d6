"""AMI events from a real Asterisk (and the cases the recordings do not show) → calls."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.asterisk import CallTracker
from hub.domain.calls import CallSummary, CallUpdate
from hub.domain.phone import Normalizer
from tests.support.ami_transcripts import NAMES, events, meta
from tests.support.folding import fold_updates
from tests.support.fuzzing import fuzz

NORMALIZE = Normalizer("RU", 5)


def _fold(updates: list[CallUpdate]) -> CallSummary:
    """Fold as the pipeline does: an update saying what an earlier one said is dropped."""
    return fold_updates(updates)


def _replay(name: str) -> dict[str, list[CallUpdate]]:
    tracker = CallTracker("pbx", NORMALIZE)
    calls: dict[str, list[CallUpdate]] = {}
    for at, event in events(name):
        for update in tracker.feed(event, at):
            calls.setdefault(update.call_id, []).append(update)
    return calls


EXPECTED = {
    "a1_answered_plus7": ("inbound", "answered", "+79171234567", "101"),
    "b_missed_noanswer": ("inbound", "missed", "+79990000102", None),
    "e_callback_answered": ("outbound", "answered", "101", "101"),
}


@pytest.mark.parametrize("name", NAMES)
def test_recorded_calls(name: str) -> None:
    assert meta(name)["id"] == name
    calls = _replay(name)
    assert len(calls) == 1  # all legs grouped by Linkedid
    summary = _fold(next(iter(calls.values())))
    direction, outcome, caller, extension = EXPECTED[name]
    assert (summary.direction, summary.outcome, summary.caller) == (direction, outcome, caller)
    assert summary.answered_extension == extension
    assert summary.status == "ended"
    if name == "e_callback_answered":
        assert summary.callee == "+79171234567"  # dialled as 8917…: the same client


def test_replaying_twice_adds_nothing_new() -> None:
    once = _replay("a1_answered_plus7")
    tracker = CallTracker("pbx", NORMALIZE)
    keys: set[str] = set()
    for _ in range(2):
        for at, event in events("a1_answered_plus7"):
            keys |= {u.state_key for u in tracker.feed(event, at)}
    assert keys == {u.state_key for u in next(iter(once.values()))}


T = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _inbound(caller: str, status: str) -> list[dict[str, str]]:
    """A trunk call to the DID dialling SIP/102, ended by ``status``."""
    first = {
        "Channel": "PJSIP/trunk-in-00000001",
        "CallerIDNum": caller,
        "Exten": "4951234567",
        "Uniqueid": "1.1",
        "Linkedid": "1.1",
    }
    dest = {
        "DestChannel": "PJSIP/102-00000002",
        "DestCallerIDNum": "102",
        "DestUniqueid": "1.2",
    }
    leg = {
        "Channel": "PJSIP/102-00000002",
        "CallerIDNum": "102",
        "Uniqueid": "1.2",
        "Linkedid": "1.1",
    }
    return [
        {"Event": "Newchannel", **first},
        {"Event": "Newchannel", **leg},
        {"Event": "DialBegin", **first, **dest},
        {"Event": "DialEnd", **first, **dest, "DialStatus": status},
        {"Event": "Hangup", **leg, "Cause": "17"},
        {"Event": "Hangup", **first, "Cause": "16"},
    ]


@pytest.mark.parametrize(
    ("caller", "status", "outcome", "number"),
    [
        ("+79161234567", "BUSY", "busy", "+79161234567"),
        ("89161234567", "CANCEL", "abandoned", "+79161234567"),  # caller hung up while ringing
        ("9161234567", "NOANSWER", "missed", "+79161234567"),  # ten digits
        ("79161234567", "CHANUNAVAIL", "missed", "+79161234567"),
        ("anonymous", "NOANSWER", "missed", "anonymous"),  # withheld
    ],
)
def test_what_the_recordings_do_not_show(
    caller: str, status: str, outcome: str, number: str
) -> None:
    tracker = CallTracker("pbx", NORMALIZE)
    summary = _fold(_feed(tracker, _inbound(caller, status)))
    assert (summary.outcome, summary.caller) == (outcome, number)
    assert NORMALIZE(caller).kind.value == ("withheld" if caller == "anonymous" else "e164")


def _feed(tracker: CallTracker, stream: list[dict[str, str]]) -> list[CallUpdate]:
    return [u for i, e in enumerate(stream) for u in tracker.feed(e, T + timedelta(seconds=i))]


def test_queue_events() -> None:
    tracker = CallTracker("pbx", NORMALIZE)
    first = {
        "Channel": "SIP/trunk-in-1",
        "CallerIDNum": "+79161234567",
        "Exten": "4951234567",
        "Uniqueid": "9.1",
        "Linkedid": "9.1",
    }
    agent = {"Interface": "SIP/103", "DestUniqueid": "9.2"}
    answered = [
        {"Event": "Newchannel", **first},
        {"Event": "AgentCalled", **first, **agent},
        {"Event": "AgentConnect", **first, **agent},
        {"Event": "Hangup", **first},
    ]
    summary = _fold(_feed(tracker, answered))
    assert (summary.outcome, summary.answered_extension) == ("answered", "103")
    tracker = CallTracker("pbx", NORMALIZE)
    abandoned = [
        {"Event": "Newchannel", **first},
        {"Event": "AgentCalled", **first, **agent},
        {"Event": "AgentRingNoAnswer", **first, **agent},
        {"Event": "QueueCallerAbandon", **first},
        {"Event": "Hangup", **first},
    ]
    summary = _fold(_feed(tracker, abandoned))
    assert summary.outcome == "abandoned"


def _listed(*channels: dict[str, str]) -> list[dict[str, str]]:
    """A CoreShowChannels answer: the channels up now, then the end of the list."""
    listing = [{"Event": "CoreShowChannel", "ActionID": "dozvon-channels", **c} for c in channels]
    done = {"Event": "CoreShowChannelsComplete", "ListItems": str(len(channels))}
    return [*listing, {**done, "ActionID": "dozvon-channels", "EventList": "Complete"}]


def test_after_a_reconnect_calls_gone_meanwhile_end_and_new_ones_are_picked_up() -> None:
    tracker = CallTracker("pbx", NORMALIZE)
    ringing = _inbound("+79161234567", "NOANSWER")[:3]  # was ringing 102 when the link broke
    talking = _inbound("+79035550000", "ANSWER")  # still on: answered and talking
    talking = [
        {**e, "Uniqueid": e["Uniqueid"].replace("1.", "2."), "Linkedid": "2.1"} for e in talking
    ]
    talking = [{**e, "DestUniqueid": "2.2"} if "DestUniqueid" in e else e for e in talking]
    before = _feed(tracker, ringing + talking[:4])
    # Connection lost; meanwhile the first call was cut off and a third one was answered by 104.
    tracker.expect_listing()
    began = {
        "Channel": "PJSIP/trunk-in-00000009",
        "CallerIDNum": "89037770000",
        "Exten": "4951234567",
        "Uniqueid": "3.1",
        "Linkedid": "3.1",
        "ChannelState": "6",
        "BridgeId": "b-3",
        "Duration": "00:01:05",
    }
    leg = {
        "Channel": "PJSIP/104-0000000a",
        "CallerIDNum": "104",
        "Uniqueid": "3.2",
        "Linkedid": "3.1",
        "ChannelState": "6",
        "BridgeId": "b-3",
        "Duration": "00:01:00",
    }
    still = {k: v for k, v in talking[0].items() if k != "Event"} | {"ChannelState": "6"}
    listing = _listed(leg, began, still)  # a leg may come before its call's first channel
    at_listing = T + timedelta(minutes=5)
    after = [u for e in listing for u in tracker.feed(e, at_listing)]
    calls: dict[str, list[CallUpdate]] = {}
    for update in before + after:
        calls.setdefault(update.call_id, []).append(update)

    cut = _fold(calls["1.1"])  # rang, nobody answered, now gone: a missed call
    assert (cut.status, cut.outcome) == ("ended", "missed")
    assert [u.state for u in after if u.call_id == "1.1"] == ["ended"]
    assert _fold(calls["2.1"]).status != "ended"  # still talking: not ended
    new = _fold(calls["3.1"])
    assert (new.direction, new.caller, new.answered_extension) == ("inbound", "+79037770000", "104")
    assert new.started_at == at_listing - timedelta(seconds=65)
    # The new call's own end is followed as usual.
    end = tracker.feed(
        {"Event": "Hangup", **{k: began[k] for k in ("Channel", "Uniqueid", "Linkedid")}},
        at_listing,
    )
    assert _fold(calls["3.1"] + end).outcome == "answered"
    # A second listing finds nothing new to end, and says again only what was said.
    tracker.expect_listing()
    again = [u for e in _listed(still) for u in tracker.feed(e, at_listing)]
    assert {u.state_key for u in again} <= {u.state_key for u in before + after}


def test_a_call_that_begins_while_the_listing_comes_is_not_ended() -> None:
    tracker = CallTracker("pbx", NORMALIZE)
    tracker.expect_listing()
    fresh = _inbound("+79161234567", "NOANSWER")[:1]  # Newchannel between request and answer
    updates = _feed(tracker, fresh) + _feed(tracker, _listed())
    assert [u.state for u in updates] == ["ringing"]


KEYS = ["Event", "Channel", "CallerIDNum", "Exten", "Uniqueid", "Linkedid", "DestChannel"]
KEYS += ["DestUniqueid", "DestCallerIDNum", "DialStatus", "Timestamp", "Interface"]


@fuzz(400)
@given(data=st.data())
def test_mutated_events_never_break_the_tracker(data: st.DataObject) -> None:
    tracker = CallTracker("pbx", NORMALIZE)
    recorded = [e for _, e in events("a1_answered_plus7")]
    for event in data.draw(st.lists(st.sampled_from(recorded), min_size=1, max_size=20)):
        mutated = dict(event)
        for key in data.draw(st.lists(st.sampled_from(KEYS), max_size=3)):
            mutated[key] = data.draw(
                st.one_of(st.text(max_size=20), st.sampled_from(["", "ANSWER", "1e400", "-1"]))
            )
        for update in tracker.feed(mutated, T):
            assert update.call_id


@pytest.mark.parametrize("name", NAMES)
@fuzz(10)
@given(data=st.data())
def test_recorded_calls_fold_the_same_in_any_order(name: str, data: st.DataObject) -> None:
    """The updates a recorded call gives, shuffled and some twice, fold to the same call: the
    hub's fold and its withdrawal of cases rely on it (AMI keeps its own order, a backlog
    replayed after an outage or two instances storing at once need not)."""
    updates = next(iter(_replay(name).values()))
    shuffled = data.draw(st.permutations(updates))
    repeated = data.draw(st.lists(st.sampled_from(updates), max_size=3))
    expected, found = _fold(updates), _fold([*shuffled, *repeated])
    assert replace(found, answered_at=None) == replace(expected, answered_at=None)
    # Two AMI events a fraction of a second apart say "answered" for the same party; the update
    # stored is the one that came first, so the moment may differ by that fraction.
    if expected.answered_at is not None:
        assert found.answered_at is not None
        assert abs(found.answered_at - expected.answered_at) < timedelta(seconds=1)
