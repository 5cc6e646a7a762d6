"""The escalation sweep: open callback cases past their deadline go to supervisor and director.

Deadlines are columns (``callback_cases.escalate_at``); the schedule only wakes the sweep up. Each
sweep claims due cases atomically (open → escalated in one UPDATE), so a restart, a late wake-up
or two instances on one database escalate each case exactly once.
"""

from __future__ import annotations

import logging
from datetime import datetime

from hub.domain.cases import CaseEvent, CaseFact
from hub.services.facts import FactHandlers
from storage.db import SessionFactory
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
SWEEP_BATCH = 500


async def escalate_due(factory: SessionFactory, handlers: FactHandlers, now: datetime) -> int:
    """Escalate every case due at ``now``; returns how many this call escalated."""
    total = 0
    while True:
        async with UnitOfWork(factory) as uow:
            cases = await uow.cases.claim_due(now, SWEEP_BATCH)
            if not cases:
                break
            facts = [CaseFact(CaseEvent.ESCALATED, case) for case in cases]
            await handlers.within(uow, facts)
            await uow.commit()
        handlers.committed(facts)
        total += len(cases)
    if total:
        log.info("escalated %d callback case(s)", total)
    return total
