"""Stopping background loops: a lost cancellation must not leave the stop waiting for ever."""

from __future__ import annotations

import asyncio

import pytest

from hub.runtime import tasks
from hub.runtime.tasks import cancel_and_wait, nap


async def test_a_task_that_swallows_one_cancellation_is_cancelled_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tasks, "RECANCEL_AFTER", 0.05)
    swallowed = 0

    async def stubborn() -> None:
        nonlocal swallowed
        while True:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                if swallowed:
                    raise
                swallowed += 1  # what a library (or 3.11's wait_for) may do once

    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    await asyncio.wait_for(cancel_and_wait(task), 5)
    assert task.cancelled() and swallowed == 1


async def test_a_failure_inside_the_task_is_reported_by_the_stop() -> None:
    async def broken() -> None:
        raise RuntimeError("boom")

    task = asyncio.create_task(broken())
    await asyncio.sleep(0)
    with pytest.raises(RuntimeError, match="boom"):
        await cancel_and_wait(task)


async def test_the_stopper_itself_can_still_be_cancelled() -> None:
    listening = False

    async def deaf() -> None:
        while True:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                if listening:
                    raise

    task = asyncio.create_task(deaf())
    stopper = asyncio.create_task(cancel_and_wait(task))
    await asyncio.sleep(0.05)
    stopper.cancel()
    with pytest.raises(asyncio.CancelledError):
        await stopper
    listening = True
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_nap_ends_on_the_event_or_the_time_and_never_eats_a_cancellation() -> None:
    wake = asyncio.Event()
    loop = asyncio.get_running_loop()
    started = loop.time()
    await nap(wake, 0.05)
    assert loop.time() - started >= 0.04
    wake.set()
    await asyncio.wait_for(nap(wake, 10), 1)  # set: returns at once

    for _ in range(50):  # the event set at the very moment the napper is cancelled
        wake.clear()
        napper = asyncio.create_task(nap(wake, 10))
        await asyncio.sleep(0)
        wake.set()
        napper.cancel()
        with pytest.raises(asyncio.CancelledError):
            await napper
