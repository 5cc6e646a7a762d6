"""Mango Office VPBX: events/call, events/summary, events/recording in; commands/route out.

``verify`` checks a request's ``sign`` (and signs the commands we send), ``parse`` turns events
into call updates, ``client`` sends ``commands/route``; ``settings`` is the account's section.
Mango routes by command rather than by an answer, so there is no ``answer`` module.
"""

from connectors.mango.client import RouteCommands
from connectors.mango.parse import call_event, recording_event, summary_event
from connectors.mango.settings import MangoSettings
from connectors.mango.verify import command_form, sign, verify

__all__ = [
    "MangoSettings",
    "RouteCommands",
    "call_event",
    "command_form",
    "recording_event",
    "sign",
    "summary_event",
    "verify",
]
