"""Mango's events as hub call updates.

``entry_id`` is the call (stable across transfers); ``call_id`` is one leg, whose events carry a
rising ``seq`` and may arrive out of order — the fold orders by time and state, so a late lower
``seq`` changes nothing. ``events/summary`` is the final word: talked (``entry_result`` 1 with a
``talk_time``) or missed. A completed recording means somebody talked on that leg.

A click-to-call (``commands/callback``) carries our ``command_id`` in its events: the request's
mark, naming the manager and the client. Such a call is outbound by that manager to the client
whatever its legs say; the leg that rings the manager's own extension (first) is not an answer,
only the client's leg connecting is.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def _party(body: Mapping[str, Any], name: str) -> tuple[str | None, str]:
    """(extension, number or extension) of ``from`` / ``to``."""
    party = body.get(name)
    if not isinstance(party, dict):
        raise PayloadError(f"{name} must be an object", field=name)
    extension = party.get("extension")
    number = party.get("number")
    if extension is not None and not (
        isinstance(extension, str | int) and str(extension).isalnum()
    ):
        raise PayloadError(f"{name}.extension is not an extension", field=f"{name}.extension")
    if number is not None and not isinstance(number, str | int):
        raise PayloadError(f"{name}.number is not a number", field=f"{name}.number")
    ext = str(extension) if extension not in (None, "") else None
    return ext, str(number) if number not in (None, "") else (ext or "")


def _ended(body: Mapping[str, Any], otherwise: EndReason) -> EndReason:
    """Why a leg or call ended, from ``disconnect_reason`` (the caller gave up; busy)."""
    code = _number(body, "disconnect_reason", required=False)
    return {CALLER_HUNG_UP: EndReason.CANCEL, BUSY: EndReason.BUSY}.get(code, otherwise)


def _direction(from_ext: str | None, to_ext: str | None, from_number: str) -> Direction:
    if from_ext and to_ext:
        return Direction.INTERNAL
    if from_ext and from_number == from_ext:
        return Direction.OUTBOUND
    return Direction.INBOUND


def _mark(body: Mapping[str, Any]) -> tuple[str, str] | None:
    """(extension, client number) of a click-to-call we placed, from its ``command_id``."""
    command = body.get("command_id")
    return read_mark(command) if isinstance(command, str) else None


def call_event(
    body: Mapping[str, Any], *, connector: str, normalize: Normalizer
) -> list[CallUpdate]:
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
    from_ext, caller = _party(body, "from")
    to_ext, callee = _party(body, "to")
    direction = _direction(from_ext, to_ext, caller)
    extension = from_ext if direction is Direction.OUTBOUND else to_ext
    marked = _mark(body)
    if marked is not None:
        extension, client = marked
        if to_ext is not None and state is CallState.ANSWERED:
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
            leg=leg,
            at=_moment(body, "timestamp"),
            reason=reason,
        )
    ]


def summary_event(
    body: Mapping[str, Any], *, connector: str, normalize: Normalizer
) -> list[CallUpdate]:
    entry = _text(body, "entry_id")
    code = _number(body, "call_direction")
    if code not in DIRECTIONS:
        raise PayloadError("call_direction must be 0, 1 or 2", field="call_direction")
    direction = DIRECTIONS[code]
    from_ext, caller = _party(body, "from")
    to_ext, callee = _party(body, "to")
    marked = _mark(body)
    if marked is not None:
        from_ext, client = marked
        direction, caller, callee = Direction.OUTBOUND, from_ext, client
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
        party = from_ext if direction is Direction.OUTBOUND else to_ext
        updates.append(update(CallState.ANSWERED, party, _moment(body, "talk_time"), None))
        updates.append(update(CallState.ENDED, None, ended_at, EndReason.NORMAL))
    else:
        updates.append(update(CallState.ENDED, None, ended_at, _ended(body, EndReason.NO_ANSWER)))
    return updates


def recording_event(
    body: Mapping[str, Any], *, connector: str, normalize: Normalizer
) -> list[CallUpdate]:
    """A completed recording: that leg talked, and here is where the recording is."""
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
            event_id=f"recording:{entry}:{recording}",
            direction=Direction.INBOUND,
            state=CallState.ANSWERED,
            caller=normalize(""),
            callee=normalize(""),
            extension=ext,
            # Its own identity: the leg's "Connected" already said "answered" for this leg.
            leg=f"{leg}#recording",
            at=_moment(body, "timestamp"),
            recording_url=f"mango:recording:{recording}",
        )
    ]
