"""Asterisk: AMI events in (grouped by ``Linkedid``), routing for the dialplan out.

``client`` follows AMI (``ami`` is its wire format) and ``parse`` turns the events into call
updates; ``answer`` is the routing decision as dialplan text, served over HTTP (``verify`` checks
the URL's key) or FastAGI (``agi``); ``settings`` is the ``[connectors.NAME]`` section.
"""

from connectors.asterisk.agi import serve_agi
from connectors.asterisk.ami import format_action, read_message
from connectors.asterisk.answer import dial_target
from connectors.asterisk.client import AmiClient
from connectors.asterisk.parse import CallTracker
from connectors.asterisk.settings import AsteriskSettings
from connectors.asterisk.verify import verify

__all__ = [
    "AmiClient",
    "AsteriskSettings",
    "CallTracker",
    "dial_target",
    "format_action",
    "read_message",
    "serve_agi",
    "verify",
]
