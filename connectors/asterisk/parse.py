"""AMI events as hub call updates: the legs of a call grouped by ``Linkedid``.

The first channel of a call (``Uniqueid == Linkedid``) says who called whom: from a trunk it is
an inbound call to the dialled number; from one of our phones (``SIP/101-…``) to an outside
number it is an outbound call by that extension. ``DialBegin`` rings a leg, ``DialEnd`` says how
it went (``ANSWER`` — answered by that extension; ``NOANSWER``, ``BUSY``, ``CANCEL`` — the caller
hung up while it rang —, ``CHANUNAVAIL``…), ``BridgeEnter`` confirms an answer, ``Hangup`` ends a
leg and, for the first channel, the call. Queue events (``AgentCalled``, ``AgentConnect``,
``AgentRingNoAnswer``, ``QueueCallerAbandon``) do the same for queues. Every update is keyed by
what it says (call, state, extension, leg), so an event seen twice — or again after a reconnect —
counts once, and ``Cdr`` events are not needed.

Asterisk does not replay what happened while we were not connected. After every login the client
asks for ``CoreShowChannels``; the listing, taken whole at ``CoreShowChannelsComplete``, picks up
calls that began meanwhile (a leg up in a bridge is an answer) and ends the calls we were following
that are no longer there — hung up meanwhile, or cut off by a PBX restart. A call that began and
ended entirely while we were away is not seen (the PBX's CDR has it).

A click-to-call (``originate.py``) rings the manager's phone first and only then dials out; its
``Linkedid`` is the request's mark, which names the manager and the client. Such a call is
outbound from its first event, and the manager picking up his own phone is not an answer: only
the outside leg answering is (a leg to the manager's own phone, as a ``Local/`` channel makes,
is skipped).

A recording: ``MixMonitor`` sets the channel variable ``MIXMONITOR_FILENAME`` to the file it
writes, which AMI shows as a ``VarSet`` event (class ``dialplan``, asked for when the connector
has somewhere to play recordings from). The update it makes carries only the reference,
``asterisk:file:<the name as Asterisk gave it>``, on a leg of its own: it says nothing of how
the call went. ``recording.py`` finds the file from it.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hub.domain.calls import CallState, CallUpdate, Direction, EndReason
from hub.domain.digits import plain_digits
from hub.domain.originate import read_mark
from hub.domain.phone import Normalizer, PhoneKind

KEEP_CALLS = 10_000
DIAL_STATUS = {
    "NOANSWER": EndReason.NO_ANSWER,
    "BUSY": EndReason.BUSY,
    "CANCEL": EndReason.CANCEL,
    "CHANUNAVAIL": EndReason.UNAVAILABLE,
    "CONGESTION": EndReason.UNAVAILABLE,
}
_PEER = re.compile(r"^[A-Za-z0-9]+/([^/@-]+)(?:[-@].*)?$")
_HANDLED = frozenset(
    {
        "Newchannel",
        "DialBegin",
        "DialEnd",
        "BridgeEnter",
        "Hangup",
        "AgentCalled",
        "AgentConnect",
        "AgentRingNoAnswer",
        "QueueCallerAbandon",
    }
)
RECORDING_VARIABLE = "MIXMONITOR_FILENAME"
RECORDING = "asterisk:file:"
LISTED = "CoreShowChannel"
LISTING_DONE = "CoreShowChannelsComplete"
UP = "6"  # ChannelState of a channel that was answered


@dataclass(frozen=True, slots=True)
class _Call:
    direction: Direction
    caller: str
    callee: str
    extension: str | None  # our phone that placed an outbound call
    originated: bool = False  # a click-to-call: the manager's phone rang first


def peer(channel: str) -> str:
    """``SIP/102-00000007`` → ``102``; ``PJSIP/trunk-in-0001`` → ``trunk``."""
    found = _PEER.match(channel or "")
    return found.group(1) if found else ""


class CallTracker:
    def __init__(self, connector: str, normalize: Normalizer) -> None:
        self._connector = connector
        self._normalize = normalize
        self._calls: OrderedDict[str, _Call] = OrderedDict()
        self._live: set[str] = set()  # calls whose first channel has not hung up yet
        self._listing: list[Mapping[str, str]] = []
        self._before_listing: set[str] = set()

    def _ours(self, value: str) -> bool:
        return bool(value) and self._normalize(value).kind is PhoneKind.INTERNAL

    def _call(self, event: Mapping[str, str]) -> _Call | None:
        linked = event.get("Linkedid", "")
        known = self._calls.get(linked)
        if known is not None or event.get("Uniqueid") != linked or not linked:
            return known
        # The first channel of the call: who called whom.
        marked = read_mark(linked)
        if marked is not None:
            extension, number = marked
            call = _Call(Direction.OUTBOUND, extension, number, extension, originated=True)
            return self._remember(linked, call)
        phone = peer(event.get("Channel", ""))
        caller = event.get("CallerIDNum", "")
        dialled = event.get("Exten", "")
        if self._ours(phone):
            outside = not self._ours(dialled)
            call = _Call(
                Direction.OUTBOUND if outside else Direction.INTERNAL,
                caller if self._ours(caller) else phone,
                dialled,
                phone,
            )
        else:
            call = _Call(Direction.INBOUND, caller, dialled, None)
        return self._remember(linked, call)

    def _remember(self, linked: str, call: _Call) -> _Call:
        self._calls[linked] = call
        self._live.add(linked)
        while len(self._calls) > KEEP_CALLS:
            self._live.discard(self._calls.popitem(last=False)[0])
        return call

    def _update(
        self,
        linked: str,
        call: _Call,
        at: datetime,
        state: CallState,
        extension: str | None = None,
        leg: str | None = None,
        reason: EndReason | None = None,
        recording: str | None = None,
    ) -> CallUpdate:
        return CallUpdate(
            connector=self._connector,
            call_id=linked,
            event_id=f"{linked}:{state}:{extension or ''}:{leg or ''}",
            direction=call.direction,
            state=state,
            caller=self._normalize(call.caller),
            callee=self._normalize(call.callee),
            extension=extension,
            leg=leg,
            at=at,
            reason=reason,
            recording_url=recording,
        )

    def feed(self, event: Mapping[str, str], now: datetime) -> list[CallUpdate]:
        """The updates one AMI event means (most events mean none)."""
        name = event.get("Event", "")
        if name == LISTED:
            self._listing.append(event)
            return []
        if name == LISTING_DONE:
            return self._listed(now)
        if name == "VarSet":
            return self._recorded(event, now)
        if name not in _HANDLED:
            return []
        call = self._call(event)
        if call is None:
            return []
        linked = event["Linkedid"]
        at = _moment(event, now)

        def update(
            state: CallState, extension: str | None, leg: str | None, reason: EndReason | None
        ) -> CallUpdate:
            return self._update(linked, call, at, state, extension, leg, reason)

        first = event.get("Uniqueid") == linked
        if name == "Newchannel":
            return [update(CallState.RINGING, call.extension, None, None)] if first else []
        if name == "Hangup":
            if first:
                self._live.discard(linked)
                return [update(CallState.ENDED, None, None, None)]
            return [update(CallState.ENDED, self._party(call, event), event.get("Uniqueid"), None)]
        if name == "QueueCallerAbandon":
            return [update(CallState.ENDED, None, None, EndReason.CANCEL)]
        if call.originated and self._to_manager(call, event, first=first):
            return []  # the manager's own phone, rung first: not the client answering
        dest = event.get("DestUniqueid") or None
        party = self._party(call, event, dest=True)
        if name in ("DialBegin", "AgentCalled"):
            return [update(CallState.RINGING, party, dest, None)]
        if name == "AgentRingNoAnswer":
            return [update(CallState.ENDED, party, dest, EndReason.NO_ANSWER)]
        if name == "AgentConnect":
            return [update(CallState.ANSWERED, party, dest, None)]
        if name == "DialEnd":
            status = event.get("DialStatus", "")
            if status == "ANSWER":
                return [update(CallState.ANSWERED, party, dest, None)]
            reason = DIAL_STATUS.get(status, EndReason.FAILED)
            return [update(CallState.ENDED, party, dest, reason)]
        # BridgeEnter: a leg other than the caller's joined the conversation.
        if first:
            return []
        return [update(CallState.ANSWERED, self._party(call, event), event.get("Uniqueid"), None)]

    def _recorded(self, event: Mapping[str, str], now: datetime) -> list[CallUpdate]:
        """A ``VarSet`` of ``MIXMONITOR_FILENAME``: where the call's recording is written."""
        if event.get("Variable") != RECORDING_VARIABLE:
            return []
        name = event.get("Value", "").strip()
        call = self._call(event)
        if call is None or not name or len(name) > 1000 or "\x00" in name:
            return []
        linked, leg = event["Linkedid"], f"{event.get('Uniqueid', '')}#recording"
        at = _moment(event, now)
        recording = f"{RECORDING}{name}"
        return [self._update(linked, call, at, CallState.RINGING, None, leg, None, recording)]

    def expect_listing(self) -> None:
        """A ``CoreShowChannels`` listing was asked for: the calls followed until now are the
        ones it may find gone (a call that begins while the listing comes is not)."""
        self._before_listing = set(self._live)
        self._listing = []

    def _listed(self, now: datetime) -> list[CallUpdate]:
        """The channels up right now (a ``CoreShowChannels`` listing, complete): calls that began
        while we were away, their answered legs, and the end of calls that are gone."""
        listing, self._listing = self._listing, []
        # First channels first: they say who called whom, which the other legs need.
        listing.sort(key=lambda e: e.get("Uniqueid") != e.get("Linkedid"))
        updates: list[CallUpdate] = []
        present: set[str] = set()
        for event in listing:
            call = self._call(event)
            if call is None:
                continue
            linked = event["Linkedid"]
            present.add(linked)
            if event.get("Uniqueid") == linked:
                began = now - timedelta(seconds=_seconds(event.get("Duration", "")))
                updates.append(self._update(linked, call, began, CallState.RINGING, call.extension))
            elif event.get("ChannelState") == UP and event.get("BridgeId"):
                party, leg = self._party(call, event), event.get("Uniqueid")
                updates.append(self._update(linked, call, now, CallState.ANSWERED, party, leg))
        gone = (self._before_listing & self._live) - present
        self._before_listing = set()
        for linked in sorted(gone):
            self._live.discard(linked)
            updates.append(self._update(linked, self._calls[linked], now, CallState.ENDED))
        return updates

    @staticmethod
    def _to_manager(call: _Call, event: Mapping[str, str], *, first: bool) -> bool:
        """Is this dial or bridge event about a leg to the manager's own phone?"""
        if event.get("Event") == "BridgeEnter":
            return not first and peer(event.get("Channel", "")) == call.extension
        return peer(event.get("DestChannel", "")) == call.extension

    def _party(self, call: _Call, event: Mapping[str, str], *, dest: bool = False) -> str | None:
        """The extension a leg stands for: ours for an outbound call, else the dialled phone."""
        if call.direction is Direction.OUTBOUND:
            return call.extension
        if dest:
            channel = event.get("DestChannel") or event.get("Interface", "")
            number = event.get("DestCallerIDNum", "")
        else:
            channel, number = event.get("Channel", ""), event.get("CallerIDNum", "")
        for candidate in (peer(channel), number):
            if self._ours(candidate):
                return candidate
        return None


def _seconds(duration: str) -> int:
    """``Duration: 00:01:05`` → 65 (0 for anything else)."""
    parts = duration.split(":")
    if len(parts) != 3 or not all(plain_digits(p) for p in parts):
        return 0
    hours, minutes, seconds = (int(p) for p in parts)
    return min(hours * 3600 + minutes * 60 + seconds, 7 * 86400)


def _moment(event: Mapping[str, str], now: datetime) -> datetime:
    """``Timestamp`` when Asterisk sends it (``timestampevents = yes``), else when received."""
    raw = event.get("Timestamp", "")
    try:
        return datetime.fromtimestamp(float(raw), tz=UTC) if raw else now
    except (ValueError, OverflowError, OSError):
        return now
