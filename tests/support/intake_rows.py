"""A stored call update as the intake writes it (a ``call_events`` row), for storage tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def event_row(event_id: str | None, key: str, at: datetime, **extra: Any) -> dict[str, Any]:
    """A ringing inbound update of call ``call-<key>``; ``extra`` overrides any column."""
    return {
        "connector": "generic",
        "vendor_call_id": f"call-{key}",
        "event_id": event_id,
        "state_key": key,
        "direction": "inbound",
        "state": "ringing",
        "caller": "+79161234567",
        "callee": "+74950001122",
        "extension": None,
        "leg": None,
        "reason": None,
        "at": at,
        "received_at": at,
        "recording_url": None,
        "folded": False,
        **extra,
    }
