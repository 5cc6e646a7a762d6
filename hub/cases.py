"""Callback cases: what a folded call means for the obligation to call a client back.

Runs inside the fold's transaction. A missed inbound call from an outside number opens a case or
joins the number's active case (one per number); an answered call with that number afterwards —
inbound or outbound, by anyone — returns it. Each call counts once: a missed call remembers its
case (``calls.case_id``), so refolding changes nothing. What happened comes back as facts for
whoever tells people about it.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from hub.calls import CallSummary, Direction
from hub.deadlines import EscalationPolicy, escalation_deadline
from hub.errors import Conflict, NotFound
from hub.views import iso
from storage.models import Call, CallbackCase
from storage.types import utcnow
from storage.uow import UnitOfWork

ACTIVE = ("open", "escalated")


class CaseEvent(enum.StrEnum):
    OPENED = "opened"
    REPEATED = "repeated"
    RETURNED = "returned"
    ESCALATED = "escalated"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class CaseFact:
    event: CaseEvent
    case: CallbackCase


@dataclass(frozen=True, slots=True)
class FoldedCall:
    """One call as the fold left it, with what the directory says about its outside party."""

    call: Call
    summary: CallSummary
    number: str | None
    client_id: int | None
    opens_cases: bool


@dataclass(frozen=True, slots=True)
class CasePolicy:
    min_ring_time: timedelta
    escalation: EscalationPolicy


def opens_a_case(folded: FoldedCall, policy: CasePolicy) -> bool:
    summary = folded.summary
    if not summary.missed or folded.number is None or not folded.opens_cases:
        return False
    if folded.call.case_id is not None or summary.ended_at is None:
        return False
    return summary.ended_at - summary.started_at >= policy.min_ring_time


def returns_a_case(folded: FoldedCall, case: CallbackCase) -> bool:
    summary = folded.summary
    return (
        summary.answered_at is not None
        and summary.direction in (Direction.INBOUND, Direction.OUTBOUND)
        and summary.answered_at > case.first_missed_at
        and folded.call.case_id != case.id
    )


def _responsible(folded: FoldedCall, owner_of_client: int | None) -> int | None:
    route = folded.call.route or {}
    target = route.get("target") or {}
    routed = target.get("manager_id") if isinstance(target, dict) else None
    return owner_of_client or (routed if isinstance(routed, int) else None)


async def apply_cases(
    uow: UnitOfWork, calls: Sequence[FoldedCall], policy: CasePolicy
) -> list[CaseFact]:
    """Open, join and return cases for the folded calls, in the order the calls started."""
    numbers = {c.number for c in calls if c.number}
    if not numbers:
        return []
    active = await uow.cases.active_for(numbers, lock=True)
    owners = await uow.cases.client_managers({c.client_id for c in calls if c.client_id})
    facts: list[CaseFact] = []
    counted: list[tuple[Call, CallbackCase]] = []
    for folded in sorted(calls, key=lambda c: c.summary.started_at):
        number = folded.number
        if number is None:
            continue
        case = active.get(number)
        if opens_a_case(folded, policy):
            if case is None:
                case = CallbackCase(
                    number=number,
                    client_id=folded.client_id,
                    manager_id=_responsible(folded, owners.get(folded.client_id or 0)),
                    status="open",
                    missed_count=1,
                    first_missed_at=folded.summary.started_at,
                    last_missed_at=folded.summary.started_at,
                    escalate_at=escalation_deadline(folded.summary.started_at, policy.escalation),
                )
                uow.cases.add(case)
                active[number] = case
                facts.append(CaseFact(CaseEvent.OPENED, case))
            else:
                case.missed_count += 1
                case.last_missed_at = max(case.last_missed_at, folded.summary.started_at)
                facts.append(CaseFact(CaseEvent.REPEATED, case))
            counted.append((folded.call, case))
        elif case is not None and returns_a_case(folded, case):
            assert folded.summary.answered_at is not None
            case.status = "returned"
            case.returned_at = folded.summary.answered_at
            case.returned_by = folded.call.manager_id
            case.returned_call = f"{folded.call.connector}:{folded.call.vendor_call_id}"
            case.escalate_at = None
            del active[number]
            facts.append(CaseFact(CaseEvent.RETURNED, case))
    await uow.flush()  # one flush gives every new case its id
    for call, case in counted:
        call.case_id = case.id
    return facts


async def close_case(uow: UnitOfWork, case_id: int, reason: str, *, actor: str) -> CaseFact:
    """Close an active case by hand with a reason; audited."""
    case = await uow.cases.get(case_id, lock=True)
    if case is None:
        raise NotFound(f"callback case {case_id} does not exist")
    if case.status not in ACTIVE:
        raise Conflict(f"callback case {case_id} is already {case.status}")
    before = case_view(case)
    case.status = "closed"
    case.closed_at = utcnow()
    case.closed_by = actor
    case.close_reason = reason
    case.escalate_at = None
    await uow.flush()
    uow.audit.record(
        actor=actor,
        action="close",
        entity="callback_case",
        entity_id=case.id,
        before=before,
        after=case_view(case),
    )
    return CaseFact(CaseEvent.CLOSED, case)


def case_view(case: CallbackCase) -> dict[str, Any]:
    return {
        "id": case.id,
        "number": case.number,
        "client_id": case.client_id,
        "manager_id": case.manager_id,
        "status": case.status,
        "missed_count": case.missed_count,
        "first_missed_at": iso(case.first_missed_at),
        "last_missed_at": iso(case.last_missed_at),
        "escalate_at": iso(case.escalate_at),
        "escalated_at": iso(case.escalated_at),
        "returned_at": iso(case.returned_at),
        "returned_by": case.returned_by,
        "returned_call": case.returned_call,
        "closed_at": iso(case.closed_at),
        "closed_by": case.closed_by,
        "close_reason": case.close_reason,
    }
