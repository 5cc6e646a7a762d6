"""The folder: turns stored call updates into calls, in batches, after they are acknowledged.

It wakes when the writer has committed new updates (and once a second in any case, which also
picks up what another instance stored or what a crash left unfolded), folds everything pending
in transactions of up to FOLD_BATCH updates, and tells routing who talked to whom.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from hub.cases import CaseFact, CasePolicy
from hub.ingest import FoldResult, fold_pending
from hub.phone import Normalizer
from hub.tasks import cancel_and_wait, nap
from storage.db import SessionFactory
from storage.types import utcnow
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

OnFolded = Callable[[FoldResult], None]
# Tells people about case facts, inside the fold's transaction (the outbox).
React = Callable[[UnitOfWork, Sequence[CaseFact]], Awaitable[None]]
IDLE_WAKE = 1.0
# After a wake-up, let more updates arrive so that one pass folds many: the writer and the
# folder share the database's single write lock, and fewer, larger transactions go further.
GATHER = 0.05


class Folder:
    def __init__(
        self,
        factory: SessionFactory,
        normalize: Normalizer,
        on_folded: OnFolded | None = None,
        *,
        cases: CasePolicy | None = None,
        react: React | None = None,
    ) -> None:
        self._factory = factory
        self._normalize = normalize
        self._on_folded = on_folded
        self._cases = cases
        self._react = react
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._failing = False
        self._urgent = False

    def wake(self) -> None:
        """New updates are stored: fold them soon."""
        self._idle.clear()
        self._wake.set()

    async def settle(self) -> None:
        """Wait until everything stored so far has been folded (without gathering first)."""
        self._urgent = True
        self.wake()
        await self._idle.wait()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="call-folder")
        self.wake()

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _run(self) -> None:
        while True:
            await nap(self._wake, IDLE_WAKE)
            if not self._urgent:
                await asyncio.sleep(GATHER)
            self._urgent = False
            self._wake.clear()
            try:
                while await self._pass():
                    pass
            except Exception as exc:
                if not self._failing:
                    log.warning("folding calls fails (updates stay stored, retrying): %s", exc)
                    self._failing = True
                await asyncio.sleep(IDLE_WAKE)
                continue
            if self._failing:
                log.info("folding calls works again")
                self._failing = False
            if not self._wake.is_set():
                self._idle.set()

    async def _pass(self) -> int:
        async with UnitOfWork(self._factory) as uow:
            result = await fold_pending(
                uow, normalize=self._normalize, now=utcnow(), cases=self._cases
            )
            if not result.folded:
                return 0
            if result.facts and self._react is not None:
                await self._react(uow, result.facts)
            await uow.commit()
        if self._on_folded is not None:
            self._on_folded(result)
        return result.folded
