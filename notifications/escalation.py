"""The escalation sweep: open callback cases past their deadline go to supervisor and director.

Deadlines are columns (``callback_cases.escalate_at``); APScheduler only wakes the sweep up. Each
sweep claims due cases atomically (open → escalated in one UPDATE), so a restart, a late wake-up
or two instances on one database escalate each case exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from hub.cases import CaseEvent, CaseFact
from notifications.alerts import Alerts
from notifications.periodic import Periodic
from storage.db import SessionFactory
from storage.types import utcnow
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
SWEEP_BATCH = 500


class EscalationSweep:
    def __init__(
        self,
        factory: SessionFactory,
        alerts: Alerts,
        interval: timedelta,
        on_escalated: Callable[[], None] | None = None,
    ) -> None:
        self._factory = factory
        self._alerts = alerts
        self._interval = interval
        self._on_escalated = on_escalated
        self._periodic = Periodic("escalation sweep", interval, self.sweep)

    async def sweep(self, now: datetime | None = None) -> int:
        """Escalate every due case; returns how many this call escalated."""
        moment = now or utcnow()
        total = 0
        while True:
            async with UnitOfWork(self._factory) as uow:
                cases = await uow.cases.claim_due(moment, SWEEP_BATCH)
                if not cases:
                    break
                await self._alerts.react(uow, [CaseFact(CaseEvent.ESCALATED, c) for c in cases])
                await uow.commit()
            total += len(cases)
        if total:
            log.info("escalated %d callback case(s)", total)
            if self._on_escalated is not None:
                self._on_escalated()
        return total

    def start(self) -> None:
        self._periodic.start()

    async def stop(self) -> None:
        await self._periodic.stop()
