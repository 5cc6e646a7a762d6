"""Open callback cases handed from one manager to another: the case follows the client's card.

Used when a leaving manager's work is reassigned (all of it, or some clients) and when a card's
personal manager is changed: the new manager becomes responsible and takes the old one's place
among those told (the others stay), each case audited as ``reassign``.
"""

from __future__ import annotations

from collections.abc import Collection

from hub.domain.cases import is_active
from hub.services.serialisers import case_view
from storage.uow import UnitOfWork


async def hand_over_cases(
    uow: UnitOfWork,
    from_id: int,
    to_id: int,
    *,
    actor: str,
    clients: Collection[int] | None = None,
) -> int:
    """Give manager ``from_id``'s open cases (``clients``: only those of these clients) to
    manager ``to_id``; how many moved. The caller commits."""
    cases = [c for c in await uow.cases.active_of([from_id]) if is_active(c.status)]
    if clients is not None:
        cases = [c for c in cases if c.client_id in clients]
    for case in cases:
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
    return len(cases)
