"""Call updates that must not be lost although storing them failed when they came.

Some vendor requests are answered whatever happens to storage: Twilio's ``<Dial>`` action comes
while the caller is on the line (an error there ends his call, and Twilio does not retry), and a
call's first event is answered with the routing decision before it is stored. When the writer
cannot take such updates they wait here, in memory, and are offered again every second until
stored (repeats are harmless: storing is idempotent). At shutdown one last attempt is made and
whatever still cannot be stored is logged with its count; beyond ``limit`` waiting updates new
ones are dropped with one warning, so a long database outage cannot exhaust memory.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from hub.calls import CallUpdate
from hub.tasks import cancel_and_wait

log = logging.getLogger(__name__)
LIMIT = 10_000
RETRY_EVERY = 1.0

Submit = Callable[[list[CallUpdate]], Awaitable[object]]


class Backlog:
    def __init__(
        self,
        submit: Submit,
        *,
        limit: int = LIMIT,
        interval: float = RETRY_EVERY,
        on_size: Callable[[int], None] | None = None,
    ) -> None:
        self._submit = submit
        self._limit = limit
        self._interval = interval
        self._on_size = on_size
        # As they came: one request's updates are offered together, and one that cannot be
        # stored (whatever the reason) does not hold up the others.
        self._waiting: list[list[CallUpdate]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._full = False
        self.stored = 0

    def __len__(self) -> int:
        return sum(len(group) for group in self._waiting)

    def keep(self, connector: str, updates: list[CallUpdate]) -> None:
        """Store these later (they could not be stored now)."""
        if not updates:
            return
        if len(self) + len(updates) > self._limit:
            if not self._full:
                log.error(
                    "%s: %d call updates wait to be stored; dropping newer ones until there is "
                    "room",
                    connector,
                    len(self),
                )
                self._full = True
            return
        self._waiting.append(updates)
        self._sized()
        self._wake.set()

    def _sized(self) -> None:
        if self._on_size is not None:
            self._on_size(len(self))

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="ingest-backlog")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None
        await self._attempt()
        if self._waiting:
            log.error("%d call updates could not be stored before stopping", len(self))

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            await asyncio.sleep(self._interval)  # give storage a moment
            await self._attempt()
            if not self._waiting:
                self._wake.clear()

    async def _attempt(self) -> None:
        """Offer every waiting group once; keep those that still fail."""
        groups, self._waiting = self._waiting, []
        # All at once: the writer commits what has queued up together (and isolates a group
        # that fails), rather than one commit per group.
        try:
            results = await asyncio.gather(
                *(self._submit(group) for group in groups), return_exceptions=True
            )
        except asyncio.CancelledError:
            self._waiting = groups + self._waiting  # stopping: the last attempt takes them
            raise
        failed: list[list[CallUpdate]] = []
        for group, result in zip(groups, results, strict=True):
            if isinstance(result, BaseException):
                failed.append(group)
                log.debug("%d call updates not stored yet: %s", len(group), result)
            else:
                self.stored += len(group)
        self._waiting = failed + self._waiting
        self._sized()
        if len(failed) < len(groups):
            log.info("call updates that had waited are stored (%d still wait)", len(self))
        if self._full and len(self) < self._limit:
            self._full = False
