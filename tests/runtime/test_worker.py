"""The worker loop every background task runs on: wake, repeat while busy, back off, log twice."""

from __future__ import annotations

import asyncio
import logging

import pytest

from hub.runtime.worker import Drainer, Worker
from tests.support.telegram_stub import until


async def test_runs_when_woken_and_again_while_there_is_more() -> None:
    waiting = [3]
    runs = 0

    async def step() -> bool:
        nonlocal runs
        runs += 1
        if waiting[0]:
            waiting[0] -= 1
        return waiting[0] > 0

    worker = Worker("drain", step)
    worker.start(now=False)
    try:
        await asyncio.sleep(0)
        assert runs == 0  # not started with a run: nothing woke it
        await worker.settle()
        assert waiting == [0] and runs == 3  # three portions, one wake-up
        worker.wake()
        await worker.settle()
        assert runs == 4
    finally:
        await worker.stop()
    assert not worker.running


async def test_a_failing_step_is_retried_with_growing_pauses_and_logged_twice(
    caplog: pytest.LogCaptureFixture,
) -> None:
    failures = [4]
    done = asyncio.Event()

    async def step() -> bool:
        if failures[0]:
            failures[0] -= 1
            raise RuntimeError("database away")
        done.set()
        return False

    worker = Worker("flaky", step, backoff=0.01, max_backoff=0.04, failing="failing")
    with caplog.at_level(logging.INFO, logger="hub.runtime.worker"):
        worker.start()
        try:
            await asyncio.wait_for(done.wait(), 10)
            await until(lambda: not worker.failing)
        finally:
            await worker.stop()
    lines = [r.getMessage() for r in caplog.records if r.name == "hub.runtime.worker"]
    assert lines == ["flaky failing: database away", "flaky works again"]


async def test_stop_can_finish_what_is_waiting() -> None:
    queue = [1, 2, 3]
    taken: list[int] = []

    async def step() -> bool:
        if queue:
            taken.append(queue.pop(0))
        return bool(queue)

    worker = Worker("finisher", step, gather=60)  # it would wait a minute to gather more
    worker.start(now=False)
    worker.wake()
    await worker.stop(finish=True)  # settling does not gather: it runs now
    assert taken == [1, 2, 3]


async def test_periodic_worker_runs_without_a_wake_up() -> None:
    runs = 0

    async def step() -> bool:
        nonlocal runs
        runs += 1
        return False

    worker = Worker("ticker", step, every=0.01)
    worker.start(now=False)
    try:
        await until(lambda: runs >= 3)
    finally:
        await worker.stop()


async def test_stopping_lets_a_step_under_way_finish() -> None:
    entered = asyncio.Event()
    finished: list[str] = []

    async def step() -> bool:
        entered.set()
        await asyncio.sleep(0.05)  # a transaction under way
        finished.append("committed")
        return True  # more would follow, but the worker is stopping

    worker = Worker("careful", step)
    worker.start()
    await entered.wait()
    await worker.stop()
    assert finished == ["committed"]
    assert not worker.running


async def test_a_drainer_claims_again_only_after_a_whole_batch() -> None:
    """A claim of fewer than a batch found the queue empty: no claim of nothing follows it
    (a transaction each time); a whole batch is followed by another claim at once."""
    waiting = [5]
    claims: list[int] = []

    class Queue(Drainer):
        async def drain_once(self) -> int:
            taken = min(waiting[0], 2)
            waiting[0] -= taken
            claims.append(taken)
            return taken

    queue = Queue("queue", batch=2, every=60, failing="failing")
    queue.start()
    try:
        await queue.settle()
        assert claims == [2, 2, 1]  # not [2, 2, 1, 0]
        waiting[0] = 1
        queue.wake()
        await queue.settle()
        assert claims == [2, 2, 1, 1]
    finally:
        await queue.stop()


async def test_gathering_follows_a_wake_up_not_the_period() -> None:
    """A periodic worker that gathers after a wake-up runs at once when its period passes
    unwoken (a minute's gathering here: the test would time out)."""
    runs = 0

    async def step() -> bool:
        nonlocal runs
        runs += 1
        return False

    worker = Worker("periodic", step, every=0.01, gather=60)
    worker.start(now=False)
    try:
        await until(lambda: runs >= 3)
    finally:
        await worker.stop()
