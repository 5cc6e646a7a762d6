"""What routing answers: a target, why, and what to try next."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class TargetType(enum.StrEnum):
    MANAGER = "manager"
    EXTENSION = "extension"
    REJECT = "reject"
    DEFAULT = "default"


class ReasonCode(enum.StrEnum):
    PERSONAL_MANAGER = "personal_manager"
    SUBSTITUTE = "substitute"
    SUPERVISOR = "supervisor"
    LIST = "list"
    STICKY = "sticky"
    DEFAULT = "default"
    ERROR = "error"


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    type: TargetType
    extension: str | None = None
    manager_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": self.type.value}
        if self.extension is not None:
            body["extension"] = self.extension
        if self.manager_id is not None:
            body["manager_id"] = self.manager_id
        return body


DEFAULT_TARGET = Target(type=TargetType.DEFAULT)


def routed_manager_id(stored: dict[str, Any] | None) -> int | None:
    """The manager a stored decision (``RouteDecision.to_json()``) sent the call to, if any:
    the one reading of a decision kept with a call."""
    target = (stored or {}).get("target")
    manager_id = target.get("manager_id") if isinstance(target, dict) else None
    return manager_id if isinstance(manager_id, int) else None


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteDecision:
    target: Target
    reason: str
    code: ReasonCode
    fallback: tuple[Target, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target.to_json(),
            "reason": self.reason,
            "reason_code": self.code.value,
            "fallback": [target.to_json() for target in self.fallback],
        }


def default_decision(reason: str, code: ReasonCode = ReasonCode.DEFAULT) -> RouteDecision:
    """Let the PBX use its own default scenario."""
    return RouteDecision(target=DEFAULT_TARGET, reason=reason, code=code)
