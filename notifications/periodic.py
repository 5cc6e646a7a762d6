"""Periodic work: APScheduler wakes it up, a task of ours runs it, failures are logged once.

The job itself must be safe to run at any moment and any number of times (its state lives in the
database), so a late wake-up, a restart or a second instance change nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from hub.tasks import cancel_and_wait

log = logging.getLogger(__name__)


class Periodic:
    def __init__(
        self, name: str, interval: timedelta, job: Callable[[], Awaitable[object]]
    ) -> None:
        self._name = name
        self._interval = interval
        self._job = job
        self._due = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._scheduler: AsyncIOScheduler | None = None
        self._failing = False

    async def _tick(self) -> None:
        self._due.set()

    async def _run(self) -> None:
        while True:
            await self._due.wait()
            self._due.clear()
            try:
                await self._job()
                if self._failing:
                    log.info("%s works again", self._name)
                    self._failing = False
            except Exception as exc:
                if not self._failing:
                    log.warning("%s failing (its state stays stored): %s", self._name, exc)
                    self._failing = True

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self._name)
        self._scheduler = AsyncIOScheduler()
        self._scheduler.add_job(
            self._tick,
            "interval",
            seconds=self._interval.total_seconds(),
            next_run_time=datetime.now(UTC),
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        self._scheduler.start()

    async def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        await cancel_and_wait(self._task)
        self._task = None
