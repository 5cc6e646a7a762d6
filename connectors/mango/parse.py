"""Mango's events as hub call updates.

``entry_id`` is the call (stable across transfers); ``call_id`` is one leg, whose events carry a
rising ``seq`` and may arrive out of order — the fold orders by time and state, so a late lower
``seq`` changes nothing.

**Legs are legs.** A leg's ``Disconnected`` ends that leg only (its update names the leg). Mango
disconnects a leg whenever the call moves on — out of the IVR, out of a queue, to another
employee — and posts events in parallel, so the IVR leg's end may arrive before the manager's leg
appears; the hub heals a call that looked missed for a moment. An IVR or queue leg that
"connects" (the menu or the hold music picked the call up) is no answer: only a person is. The
whole call ends with ``events/summary``, which also says how it ended: talked (``entry_result``
1 with a ``talk_time``) or not.

**Who is who** comes from the call's structure, never from one field of one leg: the side with an
``extension`` is the employee, the other side the outside number. An employee calling out
(``from`` has the extension, ``to`` has none) is an outbound call by that extension to
``to.number``; an outside number calling in is inbound; two employees are internal. Mango adds the
employee's own ``number`` to some legs of the same call and not to others (in its own outbound
example ``Appeared`` has none, ``Connected`` has the company line), which changes nothing here.

**Numbers.** The company line that was dialled is ``line_number`` (of ``to``, or of the summary).
An employee's ``number`` is his device — often a SIP address (``sip:user3@vpbx…``) or a login
(``user3``) — and is never read as a phone number: an outbound call is *from* the extension, an
inbound one *to* the line (else to the extension that took it).

A click-to-call (``commands/callback``) carries our ``command_id`` in its events: the request's
mark, naming the manager and the client. Such a call is outbound by that manager to the client
whatever its legs say; the leg that rings the manager's own extension (first) is not an answer,
only the client's leg connecting is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from connectors.errors import PayloadError
from hub.domain.calls import CallState, CallUpdate, Direction, EndReason
from hub.domain.digits import plain_digits
from hub.domain.originate import read_mark
from hub.domain.phone import Normalizer

STATES = {
    "Appeared": CallState.RINGING,
    "Connected": CallState.ANSWERED,
    "Disconnected": CallState.ENDED,
}
# Legs where a machine, not a person, holds the call.
MACHINES = frozenset({"ivr", "queue"})
DIRECTIONS = {0: Direction.INTERNAL, 1: Direction.INBOUND, 2: Direction.OUTBOUND}
CALLER_HUNG_UP = 1110
BUSY = 1121


def _text(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise PayloadError(f"{name} is required (a string of up to 200 characters)", field=name)
    return value.strip()


def _number(body: Mapping[str, Any], name: str, *, required: bool = True) -> int:
    value = body.get(name, None if required else 0)
    if isinstance(value, str) and plain_digits(value):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**40:
        raise PayloadError(f"{name} must be a non-negative whole number", field=name)
    return value


def _moment(body: Mapping[str, Any], name: str) -> datetime:
    return datetime.fromtimestamp(_number(body, name), tz=UTC)


@dataclass(frozen=True, slots=True)
class _Side:
    """``from`` or ``to`` of a leg or a summary: an employee (``extension``) or an outside
    ``number``; ``line`` is ``to.line_number``, the company line dialled."""

    extension: str | None
    number: str | None
    line: str | None


@dataclass(frozen=True, slots=True)
class _Parties:
    """What a leg or a summary says of the call: its direction, the two ends as the hub keeps
    them, and the employee on it."""

    direction: Direction
    caller: str
    callee: str
    extension: str | None


def _field(party: Mapping[str, Any], name: str, field: str) -> str | None:
    value = party.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise PayloadError(f"{field} is not a number", field=field)
    text = str(value).strip()
    return text or None


def _side(body: Mapping[str, Any], name: str) -> _Side:
    party = body.get(name)
    if not isinstance(party, dict):
        raise PayloadError(f"{name} must be an object", field=name)
    extension = party.get("extension")
    if extension is not None and not (
        isinstance(extension, str | int)
        and not isinstance(extension, bool)
        and str(extension).isalnum()
    ):
        raise PayloadError(f"{name}.extension is not an extension", field=f"{name}.extension")
    return _Side(
        extension=str(extension) if extension not in (None, "") else None,
        number=_field(party, "number", f"{name}.number"),
        line=_field(party, "line_number", f"{name}.line_number"),
    )


def _phone(text: str | None) -> str | None:
    """``text`` when it is written as a phone number (digits, perhaps after a ``+``); a SIP
    address (``sip:user3@vpbx…``) or a device or login name (``user3``) is not one."""
    if text is None or not plain_digits(text.removeprefix("+")):
        return None
    return text


def _company_line(to: _Side, line: str | None = None) -> str:
    """The company number an outside caller dialled: ``line_number``; on a leg still without an
    employee (the IVR, a queue) ``to.number`` is that line too. Else the extension that took
    the call — never the employee's device."""
    dialled = _phone(line) or _phone(to.line)
    if dialled is None and to.extension is None:
        dialled = _phone(to.number)
    return dialled or to.extension or ""


def _parties(caller: _Side, callee: _Side) -> _Parties:
    """Who is who on one leg, from which side is an employee (has an ``extension``)."""
    if caller.extension and callee.extension:
        return _Parties(Direction.INTERNAL, caller.extension, callee.extension, callee.extension)
    if caller.extension:
        return _Parties(Direction.OUTBOUND, caller.extension, callee.number or "", caller.extension)
    return _Parties(Direction.INBOUND, caller.number or "", _company_line(callee), callee.extension)


def _ended(body: Mapping[str, Any], otherwise: EndReason) -> EndReason:
    """Why a leg or call ended, from ``disconnect_reason`` (the caller gave up; busy)."""
    code = _number(body, "disconnect_reason", required=False)
    return {CALLER_HUNG_UP: EndReason.CANCEL, BUSY: EndReason.BUSY}.get(code, otherwise)


def _mark(body: Mapping[str, Any]) -> tuple[str, str] | None:
    """(extension, client number) of a click-to-call we placed, from its ``command_id``."""
    command = body.get("command_id")
    return read_mark(command) if isinstance(command, str) else None


def call_event(
    body: Mapping[str, Any], *, connector: str, normalize: Normalizer
) -> list[CallUpdate]:
    """One leg's state: that leg appeared, connected or ended (``OnHold`` says nothing new)."""
    entry = _text(body, "entry_id")
    leg = _text(body, "call_id")
    seq = _number(body, "seq")
    raw_state = body.get("call_state")
    if not isinstance(raw_state, str):
        raise PayloadError("call_state must be a string", field="call_state")
    if raw_state == "OnHold":
        return []
    if raw_state not in STATES:
        raise PayloadError(
            f"call_state {raw_state!r} is not a Mango call state", field="call_state"
        )
    state = STATES[raw_state]
    caller_side, callee_side = _side(body, "from"), _side(body, "to")
    parties = _parties(caller_side, callee_side)
    location = body.get("location")
    if location is not None and not isinstance(location, str):
        raise PayloadError("location must be a string", field="location")
    if state is CallState.ANSWERED and location in MACHINES:
        state = CallState.RINGING  # the IVR or the queue took the call: still nobody answered
    direction, caller, callee = parties.direction, parties.caller, parties.callee
    extension = parties.extension
    marked = _mark(body)
    if marked is not None:
        extension, client = marked
        if callee_side.extension is not None and state is CallState.ANSWERED:
            return []  # the manager picked up his own phone: the client is dialled next
        direction, caller, callee = Direction.OUTBOUND, extension, client
    reason = _ended(body, EndReason.NORMAL) if state is CallState.ENDED else None
    return [
        CallUpdate(
            connector=connector,
            call_id=entry,
            event_id=f"call:{entry}:{leg}:{seq}",
            direction=direction,
            state=state,
            caller=normalize(caller),
            callee=normalize(callee),
            extension=extension,
            # The leg's own id: its Disconnected ends this leg, not the call.
            leg=leg,
            at=_moment(body, "timestamp"),
            reason=reason,
        )
    ]


def _summary_parties(body: Mapping[str, Any], direction: Direction) -> _Parties:
    """The two ends of the whole call and the employee who would have talked, by Mango's
    ``call_direction``; the company line from the summary's ``line_number``."""
    caller, callee = _side(body, "from"), _side(body, "to")
    line = _field(body, "line_number", "line_number")
    if direction is Direction.OUTBOUND:
        own = caller.extension or _phone(line) or _phone(caller.line) or _phone(caller.number)
        return _Parties(direction, own or "", callee.number or "", caller.extension)
    if direction is Direction.INBOUND:
        return _Parties(
            direction, caller.number or "", _company_line(callee, line), callee.extension
        )
    return _Parties(direction, caller.extension or "", callee.extension or "", callee.extension)


def summary_event(
    body: Mapping[str, Any], *, connector: str, normalize: Normalizer
) -> list[CallUpdate]:
    """The whole call's end (an update without a leg) and how it ended: talked or not."""
    entry = _text(body, "entry_id")
    code = _number(body, "call_direction")
    if code not in DIRECTIONS:
        raise PayloadError("call_direction must be 0, 1 or 2", field="call_direction")
    parties = _summary_parties(body, DIRECTIONS[code])
    direction, caller, callee, party = (
        parties.direction,
        parties.caller,
        parties.callee,
        parties.extension,
    )
    marked = _mark(body)
    if marked is not None:
        party, client = marked
        direction, caller, callee = Direction.OUTBOUND, party, client
    talked = _number(body, "entry_result") == 1 and _number(body, "talk_time") > 0
    ended_at = _moment(body, "end_time")
    started_at = _moment(body, "create_time")

    def update(
        state: CallState, ext: str | None, at: datetime, reason: EndReason | None
    ) -> CallUpdate:
        return CallUpdate(
            connector=connector,
            call_id=entry,
            event_id=f"summary:{entry}:{state}",
            direction=direction,
            state=state,
            caller=normalize(caller),
            callee=normalize(callee),
            extension=ext,
            at=at,
            reason=reason,
        )

    updates = [update(CallState.RINGING, None, started_at, None)]
    if talked:
        updates.append(update(CallState.ANSWERED, party, _moment(body, "talk_time"), None))
        updates.append(update(CallState.ENDED, None, ended_at, EndReason.NORMAL))
    else:
        updates.append(update(CallState.ENDED, None, ended_at, _ended(body, EndReason.NO_ANSWER)))
    return updates


def recording_event(
    body: Mapping[str, Any], *, connector: str, normalize: Normalizer
) -> list[CallUpdate]:
    """A completed recording: that leg talked, and here is where the recording is. Said as a
    leg of its own that talked and is over, so a call whose summary never comes still ends when
    its real legs do."""
    entry = _text(body, "entry_id")
    leg = _text(body, "call_id")
    recording = _text(body, "recording_id")
    if body.get("recording_state") != "Completed":
        return []
    extension = body.get("extension")
    ext = str(extension) if isinstance(extension, str | int) and str(extension).isalnum() else None
    return [
        CallUpdate(
            connector=connector,
            call_id=entry,
            event_id=f"recording:{entry}:{recording}:{state}",
            direction=Direction.INBOUND,
            state=state,
            caller=normalize(""),
            callee=normalize(""),
            extension=ext,
            # Its own identity: the leg's "Connected" already said "answered" for this leg.
            leg=f"{leg}#recording",
            at=_moment(body, "timestamp"),
            recording_url=f"mango:recording:{recording}",
        )
        for state in (CallState.ANSWERED, CallState.ENDED)
    ]
