"""Twilio Programmable Voice: TwiML routing answers, Dial results and status callbacks."""

from connectors.twilio.parse import Leg, dial_result, status, voice
from connectors.twilio.twiml import dial, hang_up, route_twiml
from connectors.twilio.verify import public_url, verify

__all__ = [
    "Leg",
    "dial",
    "dial_result",
    "hang_up",
    "public_url",
    "route_twiml",
    "status",
    "verify",
    "voice",
]
