"""Routing decisions as TwiML, built with the official ``twilio`` package.

With ``recording`` (the hook Twilio reports a finished recording to), a ``<Dial>`` records the
conversation it connects, from the answer, each party on its own channel.
"""

from __future__ import annotations

from twilio.twiml.voice_response import Dial, VoiceResponse

from routing.decision import RouteDecision, TargetType


def _add_party(dial: Dial, party: str) -> None:
    if party.startswith("sip:"):
        dial.sip(party)
    elif party.startswith("client:"):
        dial.client(party.removeprefix("client:"))
    else:
        dial.number(party)


def route_twiml(
    decision: RouteDecision,
    *,
    person: str | None,
    timeout: int,
    action: str,
    fallback: str | None,
    caller_id: str | None = None,
    recording: str | None = None,
) -> str:
    """Dial ``person`` (the decision's manager as a number or SIP address) with an ``action``
    to hear how it went; a rejected number is rejected; anything else dials the fallback (or
    hangs up when there is none)."""
    if decision.target.type is TargetType.REJECT:
        response = VoiceResponse()
        response.reject()
        return str(response)
    target = person or fallback
    if target is None:
        return hang_up()
    return dial(target, timeout=timeout, action=action, caller_id=caller_id, recording=recording)


def dial(
    party: str,
    *,
    timeout: int,
    action: str,
    caller_id: str | None = None,
    recording: str | None = None,
) -> str:
    """Dial one party (the fallback, or the client a manager calls) and report to ``action``;
    with ``recording``, record the conversation and report the recording there."""
    response = VoiceResponse()
    records: dict[str, str] = {}
    if recording is not None:
        records = {
            "record": "record-from-answer-dual",
            "recording_status_callback": recording,
            "recording_status_callback_event": "completed",
        }
    verb = Dial(timeout=timeout, action=action, caller_id=caller_id, **records)
    _add_party(verb, party)
    response.append(verb)
    return str(response)


def hang_up() -> str:
    response = VoiceResponse()
    response.hangup()
    return str(response)
