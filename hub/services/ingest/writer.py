"""The single writer: every webhook's updates are committed in batches by one task.

A handler submits its parsed updates and waits; the writer takes whatever has queued up, stores
it in one transaction and commits, then answers every waiting handler. A webhook therefore gets
its 2xx only after its updates are durable, and many concurrent webhooks share one commit. The
folder (``fold_worker.py``) is then woken to derive calls from them.

Routing decisions ride along in the same batches without anyone waiting for them: a request only
appends its :class:`RouteRecord`; the rows are built here, at most ``DECISION_BATCH`` per
transaction, so that a burst of thousands of routed calls is written in short steps that leave
the event loop to the requests in between, never in one long one.
"""

from __future__ import annotations

import asyncio
import collections
import logging
from dataclasses import dataclass

from hub.domain.calls import CallUpdate
from hub.domain.clock import Clock
from hub.domain.facts import DecisionsStored, UpdatesStored
from hub.runtime.worker import Worker
from hub.services.facts import FactHandlers
from hub.services.ingest.pipeline import update_rows
from hub.services.routing import RouteRecord
from storage.db import SessionFactory, write_turn
from storage.intake import IntakeStore

log = logging.getLogger(__name__)

DECISION_DELAY = 0.25
DECISION_BATCH = 100


@dataclass(frozen=True, slots=True)
class Accepted:
    """The answer to one submission: how many updates were new and how many repeats."""

    new: int
    duplicates: int


@dataclass(slots=True)
class _Job:
    updates: list[CallUpdate]
    future: asyncio.Future[Accepted] | None = None


class IngestWriter:
    def __init__(
        self,
        factory: SessionFactory,
        handlers: FactHandlers,
        clock: Clock,
        *,
        batch_max: int,
    ) -> None:
        self._engine = factory.kw["bind"]
        self._store = IntakeStore(self._engine)
        self._handlers = handlers
        self._clock = clock
        self._batch_max = batch_max
        self._queue: collections.deque[_Job] = collections.deque()
        self._worker = Worker("ingest writer", self._step, failing="failing")
        self._decisions: list[RouteRecord] = []
        self._decision_timer: asyncio.TimerHandle | None = None

    async def submit(self, updates: list[CallUpdate]) -> Accepted:
        """Queue updates and wait until they are committed (or the batch failed)."""
        if not self._worker.running:
            raise RuntimeError("the ingest writer is not running")
        future: asyncio.Future[Accepted] = asyncio.get_running_loop().create_future()
        self._queue.append(_Job(updates=updates, future=future))
        self._worker.wake()
        return await future

    def record_decision(self, decision: RouteRecord) -> None:
        """Keep a routing decision (a ``route_decisions`` row). Nobody waits for it: it is
        written with the next batch of updates, or on its own within DECISION_DELAY."""
        self._decisions.append(decision)
        if len(self._decisions) >= DECISION_BATCH:
            self._flush_decisions()
        elif self._decision_timer is None:
            loop = asyncio.get_running_loop()
            self._decision_timer = loop.call_later(DECISION_DELAY, self._flush_decisions)

    def _flush_decisions(self) -> None:
        if self._decision_timer is not None:
            self._decision_timer.cancel()
            self._decision_timer = None
        if self._decisions:
            self._worker.wake()

    def start(self) -> None:
        self._worker.start(now=False)

    async def stop(self) -> None:
        """Finish what is queued, then stop."""
        self._flush_decisions()
        await self._worker.stop(finish=True)
        for job in self._queue:
            self._fail(job)
        self._queue.clear()
        await self._store.close()

    async def _step(self) -> bool:
        """Commit the updates that have queued up (at most ``batch_max``) with the decisions
        made since the last write (at most ``DECISION_BATCH``): a call's first update then finds
        the routing decision made for it. Updates someone waits for go first; decisions alone
        are written when no update waits."""
        batch: list[_Job] = []
        size = 0
        while self._queue and size < self._batch_max:
            job = self._queue.popleft()
            batch.append(job)
            size += len(job.updates)
        decisions, self._decisions = (
            self._decisions[:DECISION_BATCH],
            self._decisions[DECISION_BATCH:],
        )
        if not batch and not decisions:
            return False
        await self._process(batch or [_Job(updates=[])], decisions)
        return bool(self._queue or self._decisions)

    async def _commit(self, jobs: list[_Job], records: list[RouteRecord]) -> set[str]:
        updates = update_rows([u for job in jobs for u in job.updates], now=self._clock.now())
        decisions = [record.row() for record in records]
        # The one write someone waits on: it goes before the background writers.
        async with write_turn(self._engine, urgent=True):
            new_keys = await self._store.write(updates, decisions)
        if decisions:
            self._handlers.committed([DecisionsStored(tuple(decisions))])
        return new_keys

    async def _process(self, batch: list[_Job], decisions: list[RouteRecord]) -> None:
        try:
            new_keys = await self._commit(batch, decisions)
        except Exception as exc:
            if len(batch) == 1:
                log.exception("ingest batch failed")
                self._fail(batch[0])
                return
            # Isolate the failing submission: the others still get committed (and the
            # decisions with the first).
            # The driver's error, not the statement with its parameters (callers' numbers).
            cause = getattr(exc, "orig", None) or exc
            log.warning(
                "ingest batch of %d failed (%s: %.200s); retrying one by one",
                len(batch),
                type(cause).__name__,
                cause,
            )
            for n, job in enumerate(batch):
                await self._process([job], [] if n else decisions)
            return
        claimed: set[str] = set()
        for job in batch:
            new = 0
            for update in job.updates:
                key = update.dedup_key
                if key in new_keys and key not in claimed:
                    claimed.add(key)
                    new += 1
            if job.future is not None and not job.future.done():
                job.future.set_result(Accepted(new=new, duplicates=len(job.updates) - new))
        if new_keys:
            self._handlers.committed([UpdatesStored(len(new_keys))])

    @staticmethod
    def _fail(job: _Job) -> None:
        if job.future is not None and not job.future.done():
            job.future.set_exception(RuntimeError("the updates could not be stored"))
