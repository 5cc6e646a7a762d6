"""Periodic jobs: APScheduler's triggers say when, a worker of ours runs the job, the job says what.

Each job is a plain async function of the moment it runs for (``job(now)``), with its state in the
database, so running it late, twice, or on two instances changes nothing, and a test runs it at
any simulated moment by calling it. The scheduler only wakes the job's worker at the trigger's
fire times (APScheduler's cron and interval triggers, in the company's time zone), reading the
moment from the injected clock; a failing job is retried and logged the worker's way.
:meth:`Schedule.next_fire_times` shows when each job fires next, so tests check the triggers
without waiting for them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger

from hub.domain.clock import Clock
from hub.runtime.worker import Worker

log = logging.getLogger(__name__)

JobFunction = Callable[[datetime], Awaitable[object]]
FAILING = "failing (its state stays stored)"


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    trigger: BaseTrigger
    run: JobFunction
    # Also run once at start: catches up with a fire time missed while the service was down.
    at_start: bool = True


def _waker(worker: Worker) -> Callable[[], Awaitable[None]]:
    """What APScheduler calls at a fire time: a coroutine, so that it runs on the event loop
    (a plain function would run in a thread, where waking an asyncio worker is not safe)."""

    async def wake() -> None:
        worker.wake()

    return wake


class Schedule:
    def __init__(self, jobs: list[Job], clock: Clock) -> None:
        self._jobs = jobs
        self._clock = clock
        self._workers = {
            job.name: Worker(
                job.name, self._step_of(job), failing="failing (its state stays stored)"
            )
            for job in jobs
        }
        self._scheduler: AsyncIOScheduler | None = None

    def _step_of(self, job: Job) -> Callable[[], Awaitable[bool]]:
        async def step() -> bool:
            await job.run(self._clock.now())
            return False

        return step

    def next_fire_times(self, after: datetime) -> dict[str, datetime | None]:
        """When each job's trigger fires next after ``after`` (None: never again). A cron
        trigger is a pure function of ``after``; an interval trigger counts from when it was
        made."""
        return {job.name: job.trigger.get_next_fire_time(None, after) for job in self._jobs}

    def job(self, name: str) -> Job:
        """The job called ``name`` (tests run its function at any simulated moment)."""
        return next(job for job in self._jobs if job.name == name)

    def busy(self, name: str) -> bool:
        """Whether the job runs now (or is about to: at start, or at a fire time)."""
        return self._workers[name].busy

    @property
    def names(self) -> list[str]:
        return [job.name for job in self._jobs]

    def wake(self, name: str) -> None:
        """Run a job now (as its trigger would)."""
        self._workers[name].wake()

    async def settle(self, name: str) -> None:
        """Wait until the job has run and is idle again."""
        await self._workers[name].settle()

    def start(self) -> None:
        scheduler = AsyncIOScheduler()
        for job in self._jobs:
            worker = self._workers[job.name]
            worker.start(now=job.at_start)
            scheduler.add_job(
                _waker(worker),
                job.trigger,
                id=job.name,
                name=job.name,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
            )
        scheduler.start()
        self._scheduler = scheduler

    async def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        for worker in self._workers.values():
            await worker.stop()
