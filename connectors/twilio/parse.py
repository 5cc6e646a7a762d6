"""Twilio's form parameters as hub call updates.

``CallSid`` is the call. The voice webhook starts it (ringing); the ``action`` of our ``<Dial>``
says how the dialled party did (``DialCallStatus``, ``DialCallDuration``); status callbacks say
how the call ended (``CallStatus``, ``CallDuration``). A call from one of our own phones (a SIP
address like ``sip:101@…`` or a short number) is outbound: a manager calling a client.

A click-to-call (``client.py``) is a call Twilio places to the manager's phone (``outbound-api``)
whose TwiML then dials the client. Its Dial action and status callback URLs carry the request's
mark (``?dz=…``, covered by Twilio's signature like the rest of the URL), which names the manager
and the client: the call is outbound by that manager to the client, answered when the Dial to
the client is.

With ``record`` on, the ``<Dial>`` reports its finished recording to our ``recording`` hook
(``RecordingUrl``, ``RecordingSid``): an update that carries only where the recording is,
``twilio:recording:<RecordingUrl>`` — the media needs the account's credentials to be fetched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from connectors.errors import PayloadError
from hub.domain.calls import CallState, CallUpdate, Direction, EndReason
from hub.domain.digits import plain_digits
from hub.domain.originate import read_mark
from hub.domain.phone import Normalizer, PhoneKind

ENDINGS = {
    "completed": EndReason.NORMAL,
    "answered": EndReason.NORMAL,
    "busy": EndReason.BUSY,
    "no-answer": EndReason.NO_ANSWER,
    "canceled": EndReason.CANCEL,
    "failed": EndReason.FAILED,
}
CALL_STATUSES = frozenset({"queued", "ringing", "in-progress", *ENDINGS})
_SID = re.compile(r"CA[0-9a-fA-F]{32}|[A-Za-z0-9_-]{1,64}")
_RECORDING_SID = re.compile(r"RE[0-9a-fA-F]{32}|[A-Za-z0-9_-]{1,64}")
RECORDING = "twilio:recording:"
_SIP_USER = re.compile(r"^(?:sip:|client:)([^@;]+)")


@dataclass(frozen=True, slots=True)
class Leg:
    """What a request says about the call: who is who and which way it goes."""

    call_id: str
    direction: Direction
    caller_raw: str
    callee_raw: str
    extension: str | None


def _field(params: Mapping[str, str], name: str) -> str:
    value = params.get(name, "").strip()
    if not value:
        raise PayloadError(f"{name} is required", field=name)
    if len(value) > 200:
        raise PayloadError(f"{name} is longer than 200 characters", field=name)
    return value


def _address(raw: str) -> str:
    """``sip:101@x`` → ``101``; ``client:anna`` → ``anna``; a number stays as it is."""
    found = _SIP_USER.match(raw)
    return found.group(1) if found else raw


def leg(params: Mapping[str, str], normalize: Normalizer, mark: str | None = None) -> Leg:
    """Who is who in a request; ``mark`` is the click-to-call mark of its URL, if any."""
    call_id = _field(params, "CallSid")
    if not _SID.fullmatch(call_id):
        raise PayloadError(f"CallSid {call_id!r} is not a call id", field="CallSid")
    marked = read_mark(mark)
    if marked is not None:
        manager, client = marked
        return Leg(call_id, Direction.OUTBOUND, manager, client, manager)
    caller = _address(params.get("From", "").strip())
    callee = _address(_field(params, "To"))
    twilio_direction = params.get("Direction", "inbound")
    ours = normalize(caller).kind is PhoneKind.INTERNAL
    if twilio_direction.startswith("outbound") or ours:
        extension = caller if ours else None
        return Leg(call_id, Direction.OUTBOUND, caller, callee, extension)
    return Leg(call_id, Direction.INBOUND, caller, callee, None)


def _update(
    found: Leg,
    normalize: Normalizer,
    connector: str,
    state: CallState,
    extension: str | None,
    at: datetime,
    reason: EndReason | None = None,
    tag: str = "",
) -> CallUpdate:
    return CallUpdate(
        connector=connector,
        call_id=found.call_id,
        event_id=f"{found.call_id}:{tag}:{state}:{extension or ''}",
        direction=found.direction,
        state=state,
        caller=normalize(found.caller_raw),
        callee=normalize(found.callee_raw),
        extension=extension,
        at=at,
        reason=reason,
    )


def _duration(params: Mapping[str, str], name: str) -> int:
    raw = params.get(name, "0").strip() or "0"
    if not plain_digits(raw) or int(raw) > 7 * 86400:
        raise PayloadError(f"{name} {raw!r} is not a number of seconds", field=name)
    return int(raw)


def voice(
    params: Mapping[str, str], *, connector: str, normalize: Normalizer, now: datetime
) -> tuple[Leg, list[CallUpdate]]:
    """The voice webhook: the call rings (an outbound one, at our extension)."""
    found = leg(params, normalize)
    state = CallState.RINGING
    return found, [_update(found, normalize, connector, state, found.extension, now, tag="voice")]


def dial_result(
    params: Mapping[str, str],
    *,
    extension: str | None,
    final: bool,
    connector: str,
    normalize: Normalizer,
    now: datetime,
    mark: str | None = None,
) -> tuple[bool, list[CallUpdate]]:
    """How our ``<Dial>`` went: (answered?, updates). Unless the fallback is still to come
    (``final`` false and not answered), the call ends with it."""
    found = leg(params, normalize, mark)
    status = _field(params, "DialCallStatus")
    if status not in ENDINGS:
        raise PayloadError(
            f"DialCallStatus {status!r} is not a Dial result", field="DialCallStatus"
        )
    reason = ENDINGS[status]
    answered = reason is EndReason.NORMAL
    party = found.extension if found.direction is Direction.OUTBOUND else extension
    updates = []
    if answered:
        talk = _duration(params, "DialCallDuration")
        at = now - timedelta(seconds=talk)
        updates.append(
            _update(found, normalize, connector, CallState.ANSWERED, party, at, tag="dial")
        )
    elif party is not None and found.direction is Direction.INBOUND:
        updates.append(
            _update(found, normalize, connector, CallState.ENDED, party, now, reason, tag="dial")
        )
    if answered or final or found.direction is Direction.OUTBOUND:
        updates.append(
            _update(found, normalize, connector, CallState.ENDED, None, now, reason, tag="end")
        )
    return answered, updates


def status(
    params: Mapping[str, str],
    *,
    connector: str,
    normalize: Normalizer,
    now: datetime,
    mark: str | None = None,
) -> list[CallUpdate]:
    """A status callback: only a final status changes anything (the voice webhook and the Dial
    result say the rest)."""
    found = leg(params, normalize, mark)
    call_status = _field(params, "CallStatus")
    if call_status not in CALL_STATUSES:
        raise PayloadError(f"CallStatus {call_status!r} is not a call status", field="CallStatus")
    if call_status not in ENDINGS:
        return []
    # "completed" says the call is over, not that anybody answered it: the Dial result says that.
    reason = ENDINGS[call_status]
    return [_update(found, normalize, connector, CallState.ENDED, None, now, reason, tag="end")]


def recording_status(
    params: Mapping[str, str],
    *,
    connector: str,
    normalize: Normalizer,
    now: datetime,
    mark: str | None = None,
) -> list[CallUpdate]:
    """A recording status callback: a completed recording names where it is (any other status
    says nothing). It carries no numbers: the call's other updates say who called whom."""
    call_id = _field(params, "CallSid")
    if not _SID.fullmatch(call_id):
        raise PayloadError(f"CallSid {call_id!r} is not a call id", field="CallSid")
    if params.get("RecordingStatus", "completed") != "completed":
        return []
    sid = _field(params, "RecordingSid")
    if not _RECORDING_SID.fullmatch(sid):
        raise PayloadError(f"RecordingSid {sid!r} is not a recording id", field="RecordingSid")
    url = _field(params, "RecordingUrl")
    if not url.startswith("https://") and not url.startswith("http://"):
        raise PayloadError(f"RecordingUrl {url[:80]!r} is not a link", field="RecordingUrl")
    marked = read_mark(mark)
    direction, caller, callee = Direction.INBOUND, "", ""
    if marked is not None:
        direction, (caller, callee) = Direction.OUTBOUND, marked
    return [
        CallUpdate(
            connector=connector,
            call_id=call_id,
            event_id=f"{call_id}:recording:{sid}",
            direction=direction,
            state=CallState.RINGING,
            caller=normalize(caller),
            callee=normalize(callee),
            # Its own leg: the update says nothing of how the call went, only where it is heard.
            leg=f"{sid}#recording",
            at=now,
            recording_url=f"{RECORDING}{url}",
        )
    ]
