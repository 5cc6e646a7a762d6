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
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from hub.calls import CallState, CallUpdate, Direction, EndReason
from hub.phone import Normalizer, PhoneKind

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


@dataclass(frozen=True, slots=True)
class _Call:
    direction: Direction
    caller: str
    callee: str
    extension: str | None  # our phone that placed an outbound call


def peer(channel: str) -> str:
    """``SIP/102-00000007`` → ``102``; ``PJSIP/trunk-in-0001`` → ``trunk``."""
    found = _PEER.match(channel or "")
    return found.group(1) if found else ""


class CallTracker:
    def __init__(self, connector: str, normalize: Normalizer) -> None:
        self._connector = connector
        self._normalize = normalize
        self._calls: OrderedDict[str, _Call] = OrderedDict()

    def _ours(self, value: str) -> bool:
        return bool(value) and self._normalize(value).kind is PhoneKind.INTERNAL

    def _call(self, event: Mapping[str, str]) -> _Call | None:
        linked = event.get("Linkedid", "")
        known = self._calls.get(linked)
        if known is not None or event.get("Uniqueid") != linked or not linked:
            return known
        # The first channel of the call: who called whom.
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
        self._calls[linked] = call
        while len(self._calls) > KEEP_CALLS:
            self._calls.popitem(last=False)
        return call

    def feed(self, event: Mapping[str, str], now: datetime) -> list[CallUpdate]:
        """The updates one AMI event means (most events mean none)."""
        name = event.get("Event", "")
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
            )

        first = event.get("Uniqueid") == linked
        if name == "Newchannel":
            return [update(CallState.RINGING, call.extension, None, None)] if first else []
        if name == "Hangup":
            if first:
                return [update(CallState.ENDED, None, None, None)]
            return [update(CallState.ENDED, self._party(call, event), event.get("Uniqueid"), None)]
        if name == "QueueCallerAbandon":
            return [update(CallState.ENDED, None, None, EndReason.CANCEL)]
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


def _moment(event: Mapping[str, str], now: datetime) -> datetime:
    """``Timestamp`` when Asterisk sends it (``timestampevents = yes``), else when received."""
    raw = event.get("Timestamp", "")
    try:
        return datetime.fromtimestamp(float(raw), tz=UTC) if raw else now
    except (ValueError, OverflowError, OSError):
        return now
