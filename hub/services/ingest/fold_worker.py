"""The folder: turns stored call updates into calls, in batches, after they are acknowledged.

It wakes when the writer has committed new updates (and once a second in any case, which also
picks up what another instance stored or what a crash left unfolded, and decides the calls put off
until their PBX's last word once they come due), folds everything pending in transactions of up
to its pace's ``batch`` updates, and reports what followed: case facts (alerts are written in the
fold's own transaction) and who talked to whom (routing learns it after commit).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from hub.domain.clock import Clock
from hub.domain.phone import Normalizer
from hub.runtime.worker import Worker
from hub.services.cases import CasePolicy
from hub.services.facts import FactHandlers
from hub.services.ingest.pipeline import FOLD_BATCH, fold_pending
from storage.db import SessionFactory
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

IDLE_WAKE = 1.0
# After a wake-up, let more updates arrive so that one pass folds many: every pass costs its
# dozen statements however few it folds. With SQLite the writer and the folder share the
# database's single write lock, which a longer pass would hold longer: a short wait.
GATHER = 0.05
# With PostgreSQL (no single write lock) nothing waits for a pass but the alerts it writes: a
# longer wait folds a steady flow in a few larger passes, which leaves the processors (the
# folding process's and the database's) to the routing answers and the webhooks. 500 updates a
# second are then folded in four passes rather than twenty (a fifth less of the folding
# process's time, routing p99 beside them a millisecond lower on two cores); an alert comes at
# most this long after its update is stored (0.2 s more than with GATHER).
GATHER_POSTGRESQL = 0.25
# With PostgreSQL a pass may also fold more: no single write lock waits for it, and each pass
# pays its dozen statements and the alerts' audience once, however many updates it folds. After
# a 12 s flood at 16 connections everything was folded 4-7 s later with passes of 500, 9-20 s
# with passes of 100 (the folding process's time per update during the flood alike).
FOLD_BATCH_POSTGRESQL = 500


@dataclass(frozen=True, slots=True)
class FoldPace:
    """How a folder takes its work: how long a wake-up waits for more updates before its pass,
    and how many updates one pass folds at most."""

    gather: float = GATHER
    batch: int = FOLD_BATCH


# By where the updates are stored (see hub/bootstrap/folding.py: fold_pace).
SQLITE_PACE = FoldPace()
POSTGRESQL_PACE = FoldPace(gather=GATHER_POSTGRESQL, batch=FOLD_BATCH_POSTGRESQL)


class Folder:
    def __init__(
        self,
        factory: SessionFactory,
        normalize: Normalizer,
        handlers: FactHandlers,
        clock: Clock,
        *,
        cases: CasePolicy | None = None,
        pace: FoldPace = SQLITE_PACE,
    ) -> None:
        self._factory = factory
        self._normalize = normalize
        self._handlers = handlers
        self._clock = clock
        self._cases = cases
        self._batch = pace.batch
        self._worker = Worker(
            "folding calls",
            self._pass,
            every=IDLE_WAKE,
            gather=pace.gather,
            backoff=IDLE_WAKE,
            max_backoff=IDLE_WAKE,
            failing="fails (updates stay stored, retrying)",
        )

    def wake(self) -> None:
        """New updates are stored: fold them soon."""
        self._worker.wake()

    async def settle(self) -> None:
        """Wait until everything stored so far has been folded (without gathering first)."""
        await self._worker.settle()

    def start(self) -> None:
        self._worker.start()

    async def stop(self) -> None:
        await self._worker.stop()

    async def _pass(self) -> bool:
        """Fold one batch; whether more is waiting (the batch was full). A pass that caught up
        leaves the next to the next wake-up, the folder's ``gather`` after it, so that under a
        steady flow each pass folds what came meanwhile instead of passes running back to back
        a few updates each (every pass costs its dozen statements however few it folds)."""
        async with UnitOfWork(self._factory) as uow:
            result = await fold_pending(
                uow,
                normalize=self._normalize,
                now=self._clock.now(),
                cases=self._cases,
                limit=self._batch,
            )
            if not result.folded and not result.settled:
                return False
            await self._handlers.within(
                uow, [*result.facts, *result.talks, *result.answered_unknown]
            )
            await uow.commit()
        self._handlers.committed([*result.facts, *result.talks, *result.answered_unknown])
        return result.folded >= self._batch or result.settled >= self._batch
