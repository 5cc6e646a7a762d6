"""Callback cases: what folded calls do to them, and closing one by hand.

:func:`apply_cases` runs inside the fold's transaction: a missed inbound call from an outside
number opens a case or joins the number's active case (one per number); an answered call with
that number afterwards — inbound or outbound, by anyone — returns it; a missed call that later
events show answered after all withdraws its case (or, one of several, no longer counts). Each
call counts once: a missed call remembers its case (``calls.case_id``), so refolding changes
nothing. The rules are
the domain's (``hub/domain/cases.py``); what happened comes back as facts.

:func:`close_case` is the one way a person closes a case — from the API, the staff bot or the
console: checked, audited, the facts handled in the same transaction, committed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hub.domain.calendar import ORDINARY, Calendar
from hub.domain.calls import CallSummary
from hub.domain.cases import (
    CaseEvent,
    CaseFact,
    CaseNotActive,
    CaseStatus,
    MayNotClose,
    answered_after_all,
    decide_at,
    is_active,
    may_close,
    move,
    opens_a_case,
    returns_a_case,
)
from hub.domain.deadlines import EscalationPolicy, escalation_deadline
from hub.domain.errors import NotFound
from hub.domain.responsibility import Responsibility, choose_responsible
from hub.runtime.pacing import paced
from hub.services.facts import FactHandlers
from hub.services.serialisers import case_view
from hub.services.staffing import Staffing, load_staffing
from routing.decision import routed_manager_id
from storage.db import SessionFactory
from storage.models import Call, CallbackCase, Manager
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class FoldedCall:
    """One call as the fold left it, with what the directory says about its outside party."""

    call: Call
    summary: CallSummary
    number: str | None
    client_id: int | None
    opens_cases: bool
    # (manager, when) of the last talk with a number that is not a client's.
    last_talked: tuple[int, datetime] | None = None
    # When the last of the call's updates was received (None: now).
    last_heard: datetime | None = None


@dataclass(frozen=True, slots=True)
class CasePolicy:
    min_ring_time: timedelta
    escalation: EscalationPolicy
    sticky_window: timedelta = timedelta(days=30)
    duty: tuple[int | str, ...] = ("supervisor",)
    # Per connector name: how long a call that looks missed waits for the PBX's last word
    # (see hub/domain/cases.py:decide_at); connectors not named decide at once.
    summary_wait: Mapping[str, timedelta] = field(default_factory=dict)
    # The company calendar as it is now (holidays count no working time toward escalation).
    calendar: Callable[[], Calendar] = field(default=lambda: ORDINARY)


class _Chooser:
    """Chooses who answers for each miss; the people are loaded once, when first needed."""

    def __init__(self, uow: UnitOfWork, calls: list[FoldedCall], policy: CasePolicy) -> None:
        self._uow = uow
        self._calls = calls
        self._policy = policy
        self._staffing: Staffing | None = None
        self._owners: dict[int, int] = {}

    async def choose(self, folded: FoldedCall) -> Responsibility:
        if self._staffing is None:
            self._staffing = await load_staffing(
                self._uow,
                since=min(c.summary.started_at for c in self._calls),
                extensions={e for c in self._calls for e in c.summary.rang},
            )
            self._owners = await self._uow.cases.client_managers(
                {c.client_id for c in self._calls if c.client_id}
            )
        summary, staffing = folded.summary, self._staffing
        talked = folded.last_talked
        recent = talked is not None and summary.started_at - talked[1] <= self._policy.sticky_window
        rang = staffing.managers_of(summary.rang)
        routed = routed_manager_id(folded.call.route)
        return choose_responsible(
            owner_id=self._owners.get(folded.client_id or 0),
            last_talked_id=talked[0] if talked is not None and recent else None,
            rang_ids=rang or ([routed] if routed is not None else []),
            duty=self._policy.duty,
            people=staffing.people_at(summary.started_at),
        )


async def apply_cases(
    uow: UnitOfWork, calls: list[FoldedCall], policy: CasePolicy, *, now: datetime
) -> list[CaseFact]:
    """Open, join and return cases for the folded calls, in the order the calls started.

    A call that would open a case while its PBX may still say otherwise is put off: it gets a
    ``settle_at`` and the folder brings it back then (:func:`decide_at`)."""
    numbers = {c.number for c in calls if c.number}
    if not numbers:
        return []
    active = await uow.cases.active_for(numbers, lock=True)
    chooser = _Chooser(uow, calls, policy)
    facts: list[CaseFact] = []
    counted: list[tuple[Call, CallbackCase]] = []
    opened: list[CallbackCase] = []
    async for folded in paced(sorted(calls, key=lambda c: c.summary.started_at)):
        number = folded.number
        if number is None:
            continue
        case = active.get(number)
        summary = folded.summary
        # Counted for this very case (a case opened in this pass has no id yet: not counted).
        mine = case is not None and case.id is not None and folded.call.case_id == case.id
        if case is not None and answered_after_all(summary, counted=mine):
            if case.missed_count <= 1:
                facts.append(await _withdraw(uow, case, folded))
                del active[number]
                continue
            # One of several misses was answered after all: it no longer counts, and being an
            # answered call after the first miss, it may return the case below.
            case.missed_count -= 1
            folded.call.case_id = None
            mine = False
            facts.append(CaseFact(CaseEvent.REPEATED, case))
        opens = opens_a_case(
            summary,
            number=number,
            opens_cases=folded.opens_cases,
            counted=folded.call.case_id is not None,
            min_ring_time=policy.min_ring_time,
        )
        folded.call.settle_at = None
        if opens:
            wait = policy.summary_wait.get(folded.call.connector, timedelta(0))
            due = decide_at(summary, last_heard=folded.last_heard or now, wait=wait, now=now)
            if due is not None:
                folded.call.settle_at = due
                continue
            chosen = await chooser.choose(folded)
            if case is None:
                case = CallbackCase(
                    number=number,
                    client_id=folded.client_id,
                    manager_id=chosen.manager_id,
                    responsible_reason=chosen.reason,
                    told=list(chosen.told),
                    status=CaseStatus.OPEN,
                    missed_count=1,
                    first_missed_at=summary.started_at,
                    last_missed_at=summary.started_at,
                    escalate_at=escalation_deadline(
                        summary.started_at, policy.escalation, policy.calendar()
                    ),
                )
                opened.append(case)  # added at the end: the pass's queries must not flush it
                active[number] = case
                facts.append(CaseFact(CaseEvent.OPENED, case))
            else:
                case.missed_count += 1
                case.last_missed_at = max(case.last_missed_at, summary.started_at)
                _join(case, chosen)
                facts.append(CaseFact(CaseEvent.REPEATED, case))
            counted.append((folded.call, case))
        elif case is not None and returns_a_case(
            summary, first_missed_at=case.first_missed_at, counted=mine
        ):
            assert summary.answered_at is not None
            case.status = move(case.status, CaseStatus.RETURNED, case.id)
            case.returned_at = summary.answered_at
            case.returned_by = folded.call.manager_id
            case.returned_call = f"{folded.call.connector}:{folded.call.vendor_call_id}"
            case.escalate_at = None
            del active[number]
            facts.append(CaseFact(CaseEvent.RETURNED, case))
    await uow.cases.add_all(opened)
    await uow.flush()  # one flush writes the new cases together
    for call, case in counted:
        call.case_id = case.id
    return facts


async def _withdraw(uow: UnitOfWork, case: CallbackCase, folded: FoldedCall) -> CaseFact:
    """The case's one missed call was answered after all: withdrawn (audited), with who answered
    and when; it no longer escalates."""
    before = case_view(case)
    case.status = move(case.status, CaseStatus.WITHDRAWN, case.id)
    case.returned_at = folded.summary.answered_at
    case.returned_by = folded.call.manager_id
    case.returned_call = f"{folded.call.connector}:{folded.call.vendor_call_id}"
    case.escalate_at = None
    uow.audit.record(
        actor="system",
        action="withdraw",
        entity="callback_case",
        entity_id=case.id,
        before=before,
        after=case_view(case),
    )
    return CaseFact(CaseEvent.WITHDRAWN, case)


def _join(case: CallbackCase, chosen: Responsibility) -> None:
    """A repeat miss: a case that nobody in particular answered for gets the person this miss
    found; whoever this miss tells (a ring group's new members) joins those told."""
    if case.manager_id is None and chosen.manager_id is not None:
        case.manager_id = chosen.manager_id
        case.responsible_reason = chosen.reason
    told = list(dict.fromkeys([*(case.told or []), *chosen.told]))
    if told != list(case.told or []):
        case.told = told


async def close_in(
    uow: UnitOfWork,
    case_id: int,
    reason: str,
    *,
    actor: str,
    now: datetime,
    by: Manager | None = None,
) -> CaseFact:
    """Close an active case by hand with a reason, inside ``uow``; audited. The caller commits.

    ``by``: the person closing it, who must be allowed to (:func:`may_close`); checked with the
    case locked, so a colleague's close at the same moment waits and is then refused."""
    case = await uow.cases.get(case_id, lock=True)
    if case is None:
        raise NotFound(f"callback case {case_id} does not exist")
    if not is_active(case.status):
        raise CaseNotActive(case_id, case.status)
    if by is not None and not may_close(by.role, by.id, *await uow.cases.responsible(case)):
        raise MayNotClose("only the responsible manager, his supervisor or a director may")
    before = case_view(case)
    case.status = move(case.status, CaseStatus.CLOSED, case_id)
    case.closed_at = now
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


async def close_case(
    factory: SessionFactory,
    handlers: FactHandlers,
    case_id: int,
    reason: str,
    *,
    actor: str,
    now: datetime,
    by: Manager | None = None,
) -> CallbackCase:
    """The one use case "close a callback case by hand", for the API, the bot and the console:
    the case closes, the alerts about it are edited (outbox rows in the same transaction), the
    change commits, and the after-commit handlers run (the sender wakes)."""
    async with UnitOfWork(factory) as uow:
        fact = await close_in(uow, case_id, reason, actor=actor, now=now, by=by)
        await handlers.within(uow, [fact])
        await uow.commit()
    handlers.committed([fact])
    case = fact.case
    assert isinstance(case, CallbackCase)
    return case
