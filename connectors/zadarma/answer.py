"""The answer to NOTIFY_START: where Zadarma should send the call."""

from __future__ import annotations

from typing import Any

from routing.decision import RouteDecision, TargetType


def route_answer(decision: RouteDecision, return_timeout: int) -> dict[str, Any]:
    """``{"redirect": "101", "return_timeout": 20}`` for a person, ``{"redirect": "blacklist"}``
    for a rejected number, ``{}`` for the PBX's default scenario."""
    target = decision.target
    if target.type is TargetType.REJECT:
        return {"redirect": "blacklist"}
    if target.type in (TargetType.MANAGER, TargetType.EXTENSION) and target.extension:
        answer: dict[str, Any] = {"redirect": target.extension}
        if return_timeout:
            answer["return_timeout"] = max(return_timeout, 3)
        return answer
    return {}
