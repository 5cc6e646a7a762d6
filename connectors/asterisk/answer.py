"""A routing decision as the dialplan wants it: just the thing to ``Dial()``.

The same text answers the HTTP routing URL (``CURL()``) and FastAGI (``DOZVON_TARGET``).
"""

from __future__ import annotations

from routing.decision import RouteDecision, TargetType

REJECT = "HANGUP"


def dial_target(decision: RouteDecision, channel_prefix: str) -> str:
    """``PJSIP/101`` for a person, ``HANGUP`` for a rejected number, empty for the default."""
    target = decision.target
    if target.type is TargetType.REJECT:
        return REJECT
    if target.type in (TargetType.MANAGER, TargetType.EXTENSION) and target.extension:
        return f"{channel_prefix}{target.extension}"
    return ""
