"""Open callback cases handed from one manager to another: the case follows the client's card.

Used when a leaving manager's work is reassigned (all of it, or some clients) and when a card's
personal manager is changed (an edit, a restored version, an import): the new manager becomes
responsible and takes the old one's place among those told (the others stay), each case audited
as ``reassign``, and comes back as a fact (``ASSIGNED``) for the caller's handlers: the case's
alert goes to him, the others told see the new responsible person, and the old one's alert says
whom the case went to. As for a miss, an absent manager is never responsible: while the new one
is away his named substitute takes the cases; when neither can (gone inactive, away without a
substitute) they stay where they are.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from hub.domain.cases import CaseEvent, CaseFact
from hub.domain.responsibility import Person, stand_in
from hub.services.serialisers import case_view
from hub.services.staffing import load_staffing
from storage.models import CallbackCase
from storage.uow import UnitOfWork


async def hand_over_cases(
    uow: UnitOfWork,
    from_id: int,
    to_id: int,
    *,
    actor: str,
    now: datetime,
    clients: Collection[int] | None = None,
) -> list[CaseFact]:
    """Give manager ``from_id``'s open cases (``clients``: only those of these clients) to
    manager ``to_id``, or to whoever stands in for him at ``now``; the facts of those that
    moved (for the caller's handlers). The caller commits."""
    people = await _people(uow, now)
    taker = _taker(from_id, to_id, people)
    if taker is None:
        return []
    cases = list(await uow.cases.active_of([from_id]))
    if clients is not None:
        cases = [c for c in cases if c.client_id in clients]
    return [_move(uow, case, from_id, taker, actor=actor) for case in cases]


async def hand_over_clients(
    uow: UnitOfWork, moves: Mapping[int, tuple[int, int]], *, actor: str, now: datetime
) -> list[CaseFact]:
    """For each client of ``moves`` (client id → his card's manager before and after), hand
    his open cases the old manager answers for over as :func:`hand_over_cases` does; the
    staffing and the cases read once for all. The facts of those that moved; the caller
    commits."""
    if not moves:
        return []
    people = await _people(uow, now)
    moved: list[CaseFact] = []
    for case in await uow.cases.active_of_clients(moves, lock=True):
        from_id, to_id = moves[case.client_id or 0]
        taker = _taker(from_id, to_id, people)
        if case.manager_id == from_id and taker is not None:
            moved.append(_move(uow, case, from_id, taker, actor=actor))
    return moved


async def _people(uow: UnitOfWork, now: datetime) -> Mapping[int, Person]:
    return (await load_staffing(uow, since=now, extensions=set())).people_at(now)


def _taker(from_id: int, to_id: int, people: Mapping[int, Person]) -> int | None:
    """Who takes ``from_id``'s cases meant for ``to_id`` (None: nobody, they stay)."""
    taker = stand_in(to_id, people)
    if taker is None or taker[0] == from_id:
        return None
    return taker[0]


def _move(uow: UnitOfWork, case: CallbackCase, from_id: int, to_id: int, *, actor: str) -> CaseFact:
    before = case_view(case)
    case.manager_id = to_id
    case.told = list(dict.fromkeys(to_id if m == from_id else m for m in case.told or []))
    uow.audit.record(
        actor=actor,
        action="reassign",
        entity="callback_case",
        entity_id=case.id,
        before=before,
        after=case_view(case),
    )
    return CaseFact(CaseEvent.ASSIGNED, case, previous=from_id)
