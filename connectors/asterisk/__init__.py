"""Asterisk: AMI events in (grouped by ``Linkedid``), routing for the dialplan out."""

from connectors.asterisk.ami import format_action, read_message
from connectors.asterisk.tracker import CallTracker

__all__ = ["CallTracker", "format_action", "read_message"]
