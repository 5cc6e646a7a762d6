"""The escalation sweep: open callback cases past their deadline go to supervisor and director.

Deadlines are columns (``callback_cases.escalate_at``); APScheduler only wakes the sweep up. Each
sweep claims due cases atomically (open → escalated in one UPDATE), so a restart, a late wake-up
or two instances on one database escalate each case exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from hub.cases import CaseEvent, CaseFact
from notifications.alerts import Alerts
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
        self._scheduler: AsyncIOScheduler | None = None
        self._due = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._failing = False

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

    async def _tick(self) -> None:
        self._due.set()

    async def _run(self) -> None:
        while True:
            await self._due.wait()
            self._due.clear()
            try:
                await self.sweep()
                if self._failing:
                    log.info("escalation sweep works again")
                    self._failing = False
            except Exception as exc:
                if not self._failing:
                    log.warning("escalation sweep failing (deadlines stay stored): %s", exc)
                    self._failing = True

    def start(self) -> None:
        """APScheduler only wakes the sweep up; the sweep itself runs in a task of ours."""
        self._task = asyncio.create_task(self._run(), name="escalation-sweep")
        self._scheduler = AsyncIOScheduler()
        self._scheduler.add_job(
            self._tick,
            "interval",
            seconds=self._interval.total_seconds(),
            next_run_time=datetime.now(utcnow().tzinfo),
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        self._scheduler.start()

    async def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
