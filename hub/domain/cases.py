"""Callback cases as a state machine: the statuses, the moves between them, and when a call opens
or returns one.

A case is the obligation to call a missed caller back, one per number while it is active. It opens
on a missed inbound call from an outside number, joins later misses from that number, and ends
one way: returned (an answered call with the number afterwards, inbound or outbound, by anyone)
or closed by hand with a reason. An open case past its deadline escalates once, and stays active
until it ends. It is **withdrawn** when later events show that its one missed call was answered
after all (a vendor sent a leg's end before the answering leg): nobody needed calling back.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from hub.domain.calls import CallSummary, Direction
from hub.domain.errors import Conflict, Forbidden
from hub.domain.people import Role


class CaseStatus(enum.StrEnum):
    OPEN = "open"
    ESCALATED = "escalated"
    RETURNED = "returned"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


ACTIVE = frozenset({CaseStatus.OPEN, CaseStatus.ESCALATED})
_MOVES: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.OPEN: frozenset(
        {CaseStatus.ESCALATED, CaseStatus.RETURNED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN}
    ),
    CaseStatus.ESCALATED: frozenset({CaseStatus.RETURNED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN}),
}


def is_active(status: str) -> bool:
    """Still waiting for someone to call back (open or escalated)."""
    return status in ACTIVE


def may_move(current: str, target: CaseStatus) -> bool:
    return target in _MOVES.get(CaseStatus(current), frozenset())


def move(current: str, target: CaseStatus, case_id: int = 0) -> CaseStatus:
    """The status after a move, or :class:`CaseNotActive` when the case cannot make it."""
    if not may_move(current, target):
        raise CaseNotActive(case_id, current)
    return target


class CaseEvent(enum.StrEnum):
    """What happened to a case, for whoever tells people about it."""

    OPENED = "opened"
    REPEATED = "repeated"
    RETURNED = "returned"
    ESCALATED = "escalated"
    CLOSED = "closed"
    # Triage told who the number is: the case got a client and his manager, or a list.
    ASSIGNED = "assigned"
    # Its missed call turned out answered: the case is withdrawn.
    WITHDRAWN = "withdrawn"


class CaseRecord(Protocol):
    """A stored case as the rest of the house reads it."""

    @property
    def id(self) -> int: ...
    @property
    def number(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def client_id(self) -> int | None: ...
    @property
    def manager_id(self) -> int | None: ...
    @property
    def responsible_reason(self) -> str | None: ...
    @property
    def told(self) -> list[Any]: ...
    @property
    def status(self) -> str: ...
    @property
    def missed_count(self) -> int: ...
    @property
    def first_missed_at(self) -> datetime: ...
    @property
    def last_missed_at(self) -> datetime: ...
    @property
    def returned_at(self) -> datetime | None: ...
    @property
    def returned_by(self) -> int | None: ...
    @property
    def closed_by(self) -> str | None: ...
    @property
    def close_reason(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class CaseFact:
    """A case opened, joined, returned, escalated or closed."""

    event: CaseEvent
    case: CaseRecord
    # ASSIGNED by a handover: the manager who answered for the case before (his alert is
    # edited to say whom it went to).
    previous: int | None = None


def opens_a_case(
    summary: CallSummary,
    *,
    number: str | None,
    opens_cases: bool,
    counted: bool,
    min_ring_time: timedelta,
) -> bool:
    """Does this folded call open a case (or join the number's active one)?

    A missed inbound call from an outside number (``number``) whose list, if any, opens cases,
    that rang at least ``min_ring_time`` and is not ``counted`` for a case already."""
    if not summary.missed or number is None or not opens_cases or counted:
        return False
    if summary.ended_at is None:
        return False
    return summary.ended_at - summary.started_at >= min_ring_time


def decide_at(
    summary: CallSummary, *, last_heard: datetime, wait: timedelta, now: datetime
) -> datetime | None:
    """When to decide whether a call that looks missed opens a case; ``None``: now.

    A PBX whose legs end one by one (Mango leaves the IVR or a queue with a leg's end, and may
    post it before the manager's leg appears) and that says the whole call is over in a summary
    of its own is given ``wait`` after the last word heard from it (``last_heard``) for that
    summary or a late leg: a call answered after all then never opened a case, and nobody got an
    alert to take back. A call the PBX said is over is decided at once, as is every call of a
    PBX without a wait."""
    if summary.final or wait <= timedelta(0):
        return None
    due = last_heard + wait
    return due if now < due else None


def returns_a_case(summary: CallSummary, *, first_missed_at: datetime, counted: bool) -> bool:
    """Does this call return the number's active case: answered, in or out, after the first
    miss, and not itself one of the case's missed calls (``counted``)?"""
    return (
        summary.answered_at is not None
        and summary.direction in (Direction.INBOUND, Direction.OUTBOUND)
        and summary.answered_at > first_missed_at
        and not counted
    )


def answered_after_all(summary: CallSummary, *, counted: bool) -> bool:
    """Did a call counted as one of a case's misses (``counted``) turn out answered, now that
    more of its events are in?"""
    return counted and summary.answered_at is not None and not summary.missed


def may_close(
    role: str, person_id: int, responsible_id: int | None, responsible_supervisor_id: int | None
) -> bool:
    """Who closes a case by hand: the responsible manager, his supervisor, directors and admins;
    a case nobody is responsible for is closed by supervisors too."""
    if role in (Role.DIRECTOR, Role.ADMIN):
        return True
    if responsible_id is None:
        return role == Role.SUPERVISOR
    return person_id in (responsible_id, responsible_supervisor_id)


def sees_case(
    role: str,
    person_id: int,
    responsible_id: int | None,
    responsible_supervisor_id: int | None,
    told: list[Any],
) -> bool:
    """Whose cases a person sees: a manager his own and those he was told of; a supervisor his
    team's, those he was told of and those nobody in particular answers for; directors and
    admins every case."""
    if role in (Role.DIRECTOR, Role.ADMIN):
        return True
    if person_id in (told or []) or person_id == responsible_id:
        return True
    if role == Role.SUPERVISOR:
        return responsible_id is None or responsible_supervisor_id == person_id
    return False


class CaseNotActive(Conflict):
    """The case has already ended (returned, closed, withdrawn); ``case_status`` says how."""

    def __init__(self, case_id: int, case_status: str) -> None:
        super().__init__(f"callback case {case_id} is already {case_status}")
        self.case_status = case_status


class MayNotClose(Forbidden):
    """The person is neither responsible for the case nor above whoever is."""
