"""Zadarma's NOTIFY_* form fields as hub call updates.

``pbx_call_id`` is the call. ``NOTIFY_START`` and ``NOTIFY_INTERNAL`` ring (the call, then one
extension); ``NOTIFY_ANSWER`` is an extension answering; ``NOTIFY_END`` ends the call with a
``disposition`` (anything but ``answered`` is a miss). Outbound calls have ``NOTIFY_OUT_START``
and ``NOTIFY_OUT_END``. ``call_start`` is local time in the account's time zone. The end events
repeat what the call amounted to, so an end arriving without its answer (or before it) gives the
same call.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from connectors.errors import PayloadError
from hub.domain.calls import CallState, CallUpdate, Direction, EndReason
from hub.domain.digits import plain_digits
from hub.domain.phone import Normalizer

DISPOSITIONS = {
    "answered": EndReason.NORMAL,
    "busy": EndReason.BUSY,
    "cancel": EndReason.CANCEL,
    "no answer": EndReason.NO_ANSWER,
}
MAX_TEXT = 200
_RECORDING_ID = re.compile(r"[A-Za-z0-9._-]{1,100}")


@dataclass(frozen=True, slots=True)
class Parsed:
    """One notification: its updates, and for NOTIFY_START what routing needs."""

    event: str
    updates: list[CallUpdate] = field(default_factory=list)
    caller: str | None = None
    called: str | None = None
    call_id: str | None = None


def _text(form: Mapping[str, str], name: str, *, required: bool = True) -> str:
    value = form.get(name)
    if value is None or (required and not value.strip()):
        if not required:
            return ""
        raise PayloadError(f"{name} is required", field=name)
    if len(value) > MAX_TEXT:
        raise PayloadError(f"{name} is longer than {MAX_TEXT} characters", field=name)
    return value.strip()


def _start(form: Mapping[str, str], zone: tzinfo) -> datetime:
    raw = _text(form, "call_start")
    try:
        return datetime.strptime(raw, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
    except ValueError as exc:
        raise PayloadError(
            f"call_start {raw!r} is not 'YYYY-MM-DD HH:MM:SS'", field="call_start"
        ) from exc


def _seconds(form: Mapping[str, str], name: str) -> int:
    raw = form.get(name, "0").strip() or "0"
    if not plain_digits(raw) or int(raw) > 86400 * 7:
        raise PayloadError(f"{name} {raw!r} is not a number of seconds", field=name)
    return int(raw)


def _extension(form: Mapping[str, str]) -> str | None:
    raw = _text(form, "internal", required=False)
    if raw and not (raw.isalnum() and len(raw) <= 20):
        raise PayloadError(f"internal {raw!r} is not an extension", field="internal")
    return raw or None


def parse(
    form: Mapping[str, str], *, connector: str, normalize: Normalizer, zone: tzinfo, now: datetime
) -> Parsed:
    """Translate one notification; raises PayloadError naming a missing or nonsense field."""
    event = form.get("event", "")
    call_id = _text(form, "pbx_call_id")
    if event == "NOTIFY_RECORD":
        _text(form, "call_id_with_rec")
        return Parsed(event)  # NOTIFY_END already named the recording; this only says it is ready
    started = _start(form, zone)
    outbound = event.startswith("NOTIFY_OUT_")
    if outbound:
        extension = _extension(form)
        if extension is None:
            raise PayloadError("internal is required", field="internal")
        caller, callee = normalize(extension), normalize(_text(form, "destination"))
    else:
        extension = _extension(form) if event != "NOTIFY_START" else None
        callee_field = "destination" if event == "NOTIFY_ANSWER" else "called_did"
        caller = normalize(_text(form, "caller_id", required=False))
        callee = normalize(_text(form, callee_field))

    def update(
        state: CallState,
        ext: str | None,
        at: datetime | None,
        reason: EndReason | None = None,
        recording: str | None = None,
    ) -> CallUpdate:
        return CallUpdate(
            connector=connector,
            call_id=call_id,
            event_id=f"{event}:{call_id}:{ext or ''}:{state}",
            direction=Direction.OUTBOUND if outbound else Direction.INBOUND,
            state=state,
            caller=caller,
            callee=callee,
            extension=ext,
            at=at,
            reason=reason,
            recording_url=recording,
        )

    if event in ("NOTIFY_START", "NOTIFY_OUT_START"):
        ringing = [update(CallState.RINGING, extension, started)]
        if event == "NOTIFY_OUT_START":
            return Parsed(event, ringing)
        caller_raw = _text(form, "caller_id", required=False)
        return Parsed(event, ringing, caller=caller_raw, called=callee.value, call_id=call_id)
    if event == "NOTIFY_INTERNAL":
        return Parsed(event, [update(CallState.RINGING, extension, now)])
    if event == "NOTIFY_ANSWER":
        if extension is None:
            raise PayloadError("internal is required for NOTIFY_ANSWER", field="internal")
        return Parsed(event, [update(CallState.ANSWERED, extension, now)])
    # NOTIFY_END / NOTIFY_OUT_END: the final word.
    disposition = _text(form, "disposition").lower()
    ended = DISPOSITIONS.get(disposition, EndReason.FAILED)
    duration = _seconds(form, "duration")
    recording = _recording(form)
    updates = []
    if ended is EndReason.NORMAL:
        answered_at = max(now - timedelta(seconds=duration), started)
        updates.append(update(CallState.ANSWERED, extension, answered_at))
    elif extension is not None:
        updates.append(update(CallState.ENDED, extension, now, ended))
    updates.append(update(CallState.ENDED, None, now, ended, recording))
    return Parsed(event, updates)


def _recording(form: Mapping[str, str]) -> str | None:
    """``zadarma:recording:<call_id_with_rec>`` when the call was recorded: the id that Zadarma's
    ``/v1/pbx/record/request/`` API takes to hand out the file."""
    flag = form.get("is_recorded", "0").strip() or "0"
    if flag not in ("0", "1"):
        raise PayloadError(f"is_recorded {flag!r} is neither 0 nor 1", field="is_recorded")
    key = _text(form, "call_id_with_rec", required=False)
    if flag == "0" or not key:
        return None
    if not _RECORDING_ID.fullmatch(key):
        raise PayloadError(
            f"call_id_with_rec {key!r} is not a recording id", field="call_id_with_rec"
        )
    return f"zadarma:recording:{key}"
