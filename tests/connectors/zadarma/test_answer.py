"""The answer to NOTIFY_START for each kind of routing decision."""

from __future__ import annotations

from connectors.zadarma import route_answer
from routing.decision import ReasonCode, RouteDecision, Target, TargetType, default_decision


def _to(target: Target) -> RouteDecision:
    return RouteDecision(target=target, reason="test", code=ReasonCode.PERSONAL_MANAGER)


def test_a_person_a_rejection_and_the_default() -> None:
    manager = _to(Target(type=TargetType.MANAGER, extension="101", manager_id=1))
    assert route_answer(manager, 20) == {"redirect": "101", "return_timeout": 20}
    assert route_answer(manager, 1) == {"redirect": "101", "return_timeout": 3}  # Zadarma's least
    assert route_answer(manager, 0) == {"redirect": "101"}
    assert route_answer(_to(Target(type=TargetType.REJECT)), 20) == {"redirect": "blacklist"}
    assert route_answer(_to(Target(type=TargetType.MANAGER, manager_id=1)), 20) == {}
    assert route_answer(default_decision("nobody"), 20) == {}
