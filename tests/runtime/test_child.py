"""A process of the service's own: signals both ways, a clean stop, a restart after it dies, and
an end of its own when the service is gone."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from hub.runtime import child as child_module
from hub.runtime.child import Child
from tests.support.children import running

ECHO = "tests.support.children:echo"
# How long a spawned interpreter may take to start on a loaded machine.
WITHIN = 60.0


async def _answered(child: Child, answered: asyncio.Event) -> None:
    """Signal the child until it answers (it may still be starting)."""
    async with asyncio.timeout(WITHIN):
        while not answered.is_set():
            child.signal(b"p")
            try:
                async with asyncio.timeout(0.2):
                    await answered.wait()
            except TimeoutError:
                pass


async def test_signals_go_both_ways_and_stop_ends_the_child() -> None:
    answered = asyncio.Event()
    child = Child("echo", ECHO, (b"q",), signals={b"q": answered.set})
    child.start()
    try:
        await _answered(child, answered)
        assert child.alive
    finally:
        await child.stop()
    assert not child.alive
    assert child.exitcode == 0  # it heard SIGTERM and ended as asked, not cut short
    assert child.starts == 1


def test_a_sigterm_after_the_child_began_to_stop_does_not_cut_it_short() -> None:
    """The service closes the child's end and sends SIGTERM: the two may arrive in either order,
    and the signal may come after the child's loop is gone. It still ends as asked."""
    script = textwrap.dedent(
        """
        import asyncio, sys
        from multiprocessing.connection import Pipe
        from hub.runtime.child import until_parent_gone

        ours, theirs = Pipe(duplex=True)
        ours.close()  # the service's side closed: the child stops
        asyncio.run(until_parent_gone(theirs, {}))
        print("stopping", flush=True)
        sys.stdin.readline()  # the SIGTERM comes now, after the loop
        print("ended", flush=True)
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline() == "stopping\n"
        child.send_signal(signal.SIGTERM)
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.stdout.readline() == "ended\n"
        assert child.wait(timeout=WITHIN) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


async def test_the_child_runs_at_the_priority_asked_for_from_its_start() -> None:
    answered, niced = asyncio.Event(), asyncio.Event()
    child = Child(
        "echo",
        ECHO,
        (b"q",),
        niceness=7,
        signals={b"q": answered.set, bytes([os.nice(0) + 7]): niced.set},
    )
    child.start()
    try:
        await _answered(child, answered)
        child.signal(b"n")  # "say your niceness"
        async with asyncio.timeout(WITHIN):
            await niced.wait()
    finally:
        await child.stop()


async def test_a_child_told_to_stop_by_someone_else_is_not_started_again(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The service manager's SIGTERM reaches the child too: it ends as asked, and is not taken
    for one that died (the service is on its way down as well)."""
    monkeypatch.setattr(child_module, "RESTART_AFTER", 0.05)
    caplog.set_level(logging.INFO, logger=child_module.__name__)
    answered = asyncio.Event()
    child = Child("echo", ECHO, (b"q",), signals={b"q": answered.set})
    child.start()
    try:
        await _answered(child, answered)
        assert child.pid is not None
        os.kill(child.pid, signal.SIGTERM)
        async with asyncio.timeout(WITHIN):
            while child.alive:  # noqa: ASYNC110 - the end is seen through the loop's reader
                await asyncio.sleep(0.02)
        # The decision is taken when the end is seen: by now a restart would be scheduled.
        assert child.exitcode == 0
        assert "stopped (exit code 0)" in caplog.text
        assert "ended unexpectedly" not in caplog.text
    finally:
        await child.stop()
    assert child.starts == 1


async def test_a_child_that_dies_is_started_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(child_module, "RESTART_AFTER", 0.05)
    answered = asyncio.Event()
    child = Child("echo", ECHO, (b"q",), signals={b"q": answered.set})
    child.start()
    try:
        await _answered(child, answered)
        first = child.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        async with asyncio.timeout(WITHIN):
            while child.starts < 2:  # noqa: ASYNC110 - a restart sets no event to wait for
                await asyncio.sleep(0.02)
        assert child.pid != first
        answered.clear()
        await _answered(child, answered)  # the new one hears signals as the first did
    finally:
        await child.stop()
    assert child.starts == 2


@pytest.mark.slow
def test_the_child_ends_when_the_service_is_killed() -> None:
    """SIGKILL the process that started a child: the child sees its end close, and ends."""
    script = textwrap.dedent(
        """
        import asyncio, sys
        from hub.runtime.child import Child

        async def main():
            answered = asyncio.Event()
            child = Child(
                "echo", "tests.support.children:echo", (b"q",), signals={b"q": answered.set}
            )
            child.start()
            while not answered.is_set():
                child.signal(b"p")
                try:
                    await asyncio.wait_for(answered.wait(), 0.2)
                except asyncio.TimeoutError:
                    pass
            print(child.pid, flush=True)
            await asyncio.Event().wait()

        asyncio.run(main())
        """
    )
    service = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    try:
        assert service.stdout is not None
        pid = int(service.stdout.readline())
        assert running(pid)
        service.kill()
        service.wait(timeout=WITHIN)
        deadline = time.monotonic() + WITHIN
        while running(pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not running(pid), "the child outlived the service"
    finally:
        if service.poll() is None:
            service.kill()
            service.wait()
