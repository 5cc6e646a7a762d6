"""The dialplan's answer for each kind of routing decision."""

from __future__ import annotations

from connectors.asterisk import dial_target
from routing.decision import ReasonCode, RouteDecision, Target, TargetType, default_decision


def _to(target: Target) -> RouteDecision:
    return RouteDecision(target=target, reason="test", code=ReasonCode.PERSONAL_MANAGER)


def test_a_phone_a_hang_up_and_the_default() -> None:
    manager = _to(Target(type=TargetType.MANAGER, extension="101", manager_id=1))
    assert dial_target(manager, "PJSIP/") == "PJSIP/101"
    assert dial_target(_to(Target(type=TargetType.EXTENSION, extension="500")), "SIP/") == "SIP/500"
    assert dial_target(_to(Target(type=TargetType.REJECT)), "PJSIP/") == "HANGUP"
    assert dial_target(_to(Target(type=TargetType.MANAGER, manager_id=1)), "PJSIP/") == ""
    assert dial_target(default_decision("nobody"), "PJSIP/") == ""
