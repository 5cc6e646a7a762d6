"""Twilio Programmable Voice: TwiML routing answers, Dial results and status callbacks.

``verify`` checks ``X-Twilio-Signature`` over the public URL, ``parse`` turns the voice webhook,
the Dial's action and status callbacks into call updates, ``answer`` renders TwiML; ``settings``
is the account's section. Twilio asks and is answered in the same request: there is no client.
"""

from connectors.twilio.answer import dial, hang_up, route_twiml
from connectors.twilio.parse import Leg, dial_result, recording_status, status, voice
from connectors.twilio.settings import TwilioSettings
from connectors.twilio.verify import public_url, verify

__all__ = [
    "Leg",
    "TwilioSettings",
    "dial",
    "dial_result",
    "hang_up",
    "public_url",
    "recording_status",
    "route_twiml",
    "status",
    "verify",
    "voice",
]
