"""Mango Office VPBX: events/call, events/summary, events/recording in; commands/route out."""

from connectors.mango.parse import call_event, recording_event, summary_event
from connectors.mango.verify import command_form, sign, verify

__all__ = ["call_event", "command_form", "recording_event", "sign", "summary_event", "verify"]
