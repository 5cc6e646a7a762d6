"""Background tasks: the one way a long-running loop of ours is stopped, and the one way it naps."""

from __future__ import annotations

import asyncio
import contextlib
import logging

log = logging.getLogger(__name__)

# How long to wait for a cancelled task before cancelling it again.
RECANCEL_AFTER = 1.0


async def cancel_and_wait(task: asyncio.Task[None] | None) -> None:
    """Cancel ``task`` (if any) and wait until it has really finished.

    A cancellation can be lost inside a task (a library catching it, or Python 3.11's
    ``asyncio.wait_for`` returning a result that arrived at the same moment), which would leave
    a plain ``await task`` waiting for ever; the task is cancelled again until it ends. A
    cancellation of the caller itself still propagates.
    """
    if task is None:
        return
    attempts = 0
    while not task.done():
        if attempts == 1:
            log.warning("task %s ignored a cancellation; cancelling again", task.get_name())
        task.cancel()
        attempts += 1
        await asyncio.wait({task}, timeout=RECANCEL_AFTER)
    if not task.cancelled():
        task.result()


async def nap(wake: asyncio.Event, seconds: float) -> None:
    """Wait until ``wake`` is set or ``seconds`` pass, whichever is first.

    ``asyncio.timeout`` rather than ``asyncio.wait_for``: the latter can swallow a cancellation
    on Python 3.11 when the event is set at the same moment, and the loop would never stop.
    """
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await wake.wait()
