"""The one background loop of the service: start, stop, wake, back off, log an outage twice.

Every long-running task of ours (the ingest writer, the call folder, the backlog, the outbox
sender, the screen pop, the directory refresh, the periodic jobs) is a :class:`Worker` around a
``step``: an async function that does one portion of work and says whether more is waiting. The
worker runs the step when woken (or every ``every`` seconds when set), again at once while it
says there is more, and otherwise waits. A step that raises is retried after a pause that doubles
up to ``max_backoff``; the first failure of an outage is logged as a warning, the first success
after it as "works again", nothing in between — so a database away for an hour writes two lines.
Stopping never cuts a step short (a transaction half done, a database driver's thread left
answering a loop that is gone): a worker in the middle of a step finishes it first, for at most
STOP_GRACE seconds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from hub.runtime.tasks import cancel_and_wait, nap

log = logging.getLogger(__name__)

Step = Callable[[], Awaitable[bool]]
# How long stopping waits for a step under way to finish before cancelling it.
STOP_GRACE = 5.0


class Worker:
    def __init__(
        self,
        name: str,
        step: Step,
        *,
        every: float | None = None,
        gather: float = 0.0,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        failing: str = "failing (retrying)",
    ) -> None:
        """``every``: also run this often without a wake-up (None: only when woken).
        ``gather``: after a wake-up, wait this long so that one step takes more at once.
        ``failing``: what the outage warning says after the name."""
        self.name = name
        self._step = step
        self._every = every
        self._gather = gather
        self._backoff = backoff
        self._max_backoff = max_backoff
        self._failing_text = failing
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._urgent = False
        self._task: asyncio.Task[None] | None = None
        self._busy = False
        self._stopping = False
        self.failing = False

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def busy(self) -> bool:
        """Whether the step runs now, or has been woken to."""
        return self.running and (self._busy or self._wake.is_set())

    def wake(self) -> None:
        """There is work: run the step soon."""
        self._idle.clear()
        self._wake.set()

    async def settle(self) -> None:
        """Wait until the step has run (without gathering first) and found nothing more to do.

        While the step keeps failing that moment does not come: callers that must not wait for
        ever (stopping, tests) bound the wait."""
        self._urgent = True
        self.wake()
        if self._task is None or self._task.done():
            return
        idle = asyncio.ensure_future(self._idle.wait())
        try:
            await asyncio.wait({idle, self._task}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            idle.cancel()

    def start(self, *, now: bool = True) -> None:
        """Start the loop; ``now``: run the step right away rather than on the first wake-up."""
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name=self.name)
        if now:
            self.wake()

    async def stop(self, *, finish: bool = False) -> None:
        """Stop the loop; ``finish``: first let the step do everything already waiting."""
        if finish and self.running:
            await self.settle()
        self._stopping = True
        if self._task is not None and self._busy:
            await asyncio.wait({self._task}, timeout=STOP_GRACE)
        await cancel_and_wait(self._task)
        self._task = None

    async def _run(self) -> None:
        pause = min(self._backoff, self._max_backoff)
        while not self._stopping:
            if self._every is None:
                await self._wake.wait()
            else:
                await nap(self._wake, self._every)
            if self._gather and self._wake.is_set() and not self._urgent:
                # Woken: let more work arrive first (not after a period that passed unwoken).
                await asyncio.sleep(self._gather)
            self._urgent = False
            self._wake.clear()
            self._busy = True
            failure: Exception | None = None
            try:
                while await self._step() and not self._stopping:
                    pass
            except Exception as exc:
                failure = exc
            finally:
                self._busy = False
            if failure is not None:
                if not self.failing:
                    log.warning("%s %s: %s", self.name, self._failing_text, failure)
                    self.failing = True
                if self._stopping:
                    return
                await asyncio.sleep(pause)
                pause = min(pause * 2, self._max_backoff)
                self._wake.set()
                continue
            pause = min(self._backoff, self._max_backoff)
            if self.failing:
                log.info("%s works again", self.name)
                self.failing = False
            if not self._wake.is_set():
                self._idle.set()


class Drainer:
    """A queue in the database drained in the background (the outbox, replies to clients, their
    files): a :class:`Worker` whose step is :meth:`drain_once` — claim what is due (``batch`` at
    most at a time), handle it, say how many were claimed — run when woken and every ``every``
    seconds. A step that claimed a whole batch (or says so: it gave some back, due at once) runs
    again at once; one that claimed less found the queue empty, and the next waits for a wake-up
    or the period (not a claim of nothing first: a transaction each time, under a steady trickle
    one for every message).
    ``gather``: after a wake-up (not after the period), wait this long, so that a trickle is
    drained a few at a time."""

    def __init__(
        self, name: str, *, batch: int, every: float, failing: str, gather: float = 0.0
    ) -> None:
        self._batch = batch
        self._worker = Worker(
            name, self._step, every=every, gather=gather, max_backoff=every, failing=failing
        )

    async def drain_once(self) -> int:
        raise NotImplementedError

    async def _step(self) -> bool:
        return await self.drain_once() >= self._batch

    def wake(self) -> None:
        self._worker.wake()

    def start(self) -> None:
        self._worker.start()

    async def stop(self) -> None:
        await self._worker.stop()

    async def settle(self) -> None:
        await self._worker.settle()
