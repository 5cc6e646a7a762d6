"""TwiML for each kind of routing decision, built by the official package."""

from __future__ import annotations

from connectors.twilio import dial, hang_up, route_twiml
from routing.decision import ReasonCode, RouteDecision, Target, TargetType, default_decision

MANAGER = RouteDecision(
    target=Target(type=TargetType.MANAGER, extension="101", manager_id=1),
    reason="test",
    code=ReasonCode.PERSONAL_MANAGER,
)


def test_the_manager_is_dialled_with_an_action() -> None:
    twiml = route_twiml(
        MANAGER,
        person="sip:101@acme.sip.twilio.com",
        timeout=20,
        action="/r?ext=101",
        fallback=None,
    )
    assert '<Dial action="/r?ext=101" timeout="20"><Sip>sip:101@acme.sip.twilio.com</Sip>' in twiml


def test_a_rejection_a_fallback_and_nobody() -> None:
    rejected = RouteDecision(
        target=Target(type=TargetType.REJECT), reason="list", code=ReasonCode.LIST
    )
    assert "<Reject />" in route_twiml(
        rejected, person=None, timeout=20, action="/r", fallback="+1"
    )
    unknown = default_decision("nobody")
    fallback = route_twiml(unknown, person=None, timeout=20, action="/r", fallback="+74950009999")
    assert "<Number>+74950009999</Number>" in fallback
    assert route_twiml(unknown, person=None, timeout=20, action="/r", fallback=None) == hang_up()
    assert "<Client>anna</Client>" in dial("client:anna", timeout=20, action="/r")
