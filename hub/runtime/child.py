"""A process of the service's own beside it: started, signalled, restarted when it dies, stopped.

The service and its child share one socket pair. Each side writes single bytes to it — a signal
("there is work", "wake the sender") — without ever blocking: a byte that does not fit is dropped,
because one already waiting says the same. The child reads its end for signals; when the end
reaches end-of-file the service is gone (stopped, or killed outright), and the child stops too, so
that it never outlives the service. The service watches the child's exit: one that ends while it
is still wanted is logged and started again, after a pause that doubles up to a cap.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from typing import Any

log = logging.getLogger(__name__)

# The first pause before a child that died is started again, and the longest.
RESTART_AFTER = 1.0
RESTART_MAX = 30.0
# How long stopping waits for the child to finish what it is doing before it is terminated.
STOP_GRACE = 15.0
# Exit codes of a child that stopped because it was asked to: not started again.
ASKED = (0, -signal.SIGTERM)

Signals = Mapping[bytes, Callable[[], None]]


def signal_through(fd: int, what: bytes) -> None:
    """Write the one-byte signal ``what`` to ``fd`` without blocking; lost only when the other
    side already has signals waiting, or is gone."""
    with contextlib.suppress(BlockingIOError, BrokenPipeError, ConnectionResetError, OSError):
        os.write(fd, what)


def _take(fd: int, signals: Signals) -> bool:
    """Read what is waiting on ``fd`` and call the handler of each signal in it once; whether
    the other side is still there."""
    try:
        got = os.read(fd, 4096)
    except BlockingIOError:
        return True
    except OSError:
        return False
    if not got:
        return False
    for what in sorted(set(got)):
        handler = signals.get(bytes([what]))
        if handler is not None:
            try:
                handler()
            except Exception:
                log.exception("handling signal %r failed", bytes([what]))
    return True


def _enter(target: str, args: tuple[Any, ...], end: Connection) -> None:
    """The child's first step: SIGINT left to the service (it came blocked, from the spawn, so a
    Ctrl-C during the start-up was held back; now it is ignored), then ``target``
    ("module:function") called with ``args`` and ``end``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    module, _, function = target.partition(":")
    getattr(importlib.import_module(module), function)(*args, end)


class Child:
    """The service's side: ``target`` ("module:function") is called as ``function(*args, end)``
    in a process of its own (spawned: a fresh interpreter), ``end`` being its side of the socket
    pair, at ``niceness`` (higher: a lower priority); ``signals`` are what the child may send
    back, by byte."""

    def __init__(
        self,
        name: str,
        target: str,
        args: tuple[Any, ...],
        *,
        niceness: int = 0,
        signals: Signals | None = None,
    ) -> None:
        self.name = name
        self._target = target
        self._args = args
        self._niceness = niceness
        self._signals = dict(signals or {})
        self._context = multiprocessing.get_context("spawn")
        self._process: Any = None
        self._end: Connection | None = None
        self._exited = asyncio.Event()
        self._restart: asyncio.Task[None] | None = None
        self._pause = RESTART_AFTER
        self._started = 0.0
        self._stopping = False
        self.starts = 0

    @property
    def pid(self) -> int | None:
        return None if self._process is None else int(self._process.pid)

    @property
    def exitcode(self) -> int | None:
        """How the last one ended (negative: by that signal); None while it runs."""
        return None if self._process is None else self._process.exitcode

    @property
    def alive(self) -> bool:
        """Started and not ended (its sentinel not yet seen)."""
        return self._process is not None and not self._exited.is_set()

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        ours, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_enter, args=(self._target, self._args, theirs), name=self.name, daemon=False
        )
        # The child inherits a blocked SIGINT (a terminal's Ctrl-C is the service's to handle)
        # until it ignores it, and gets its priority at once, before its start-up.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            process.start()
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        pid = process.pid
        assert pid is not None  # started
        if self._niceness:
            with contextlib.suppress(OSError):  # already gone: the sentinel says so
                own = os.getpriority(os.PRIO_PROCESS, 0)
                os.setpriority(os.PRIO_PROCESS, pid, own + self._niceness)
        os.set_blocking(ours.fileno(), False)
        self._process, self._end = process, ours
        self._exited.clear()
        self._started = time.monotonic()
        self.starts += 1
        loop.add_reader(ours.fileno(), self._readable)
        loop.add_reader(process.sentinel, self._ended)
        log.info("%s: started (pid %d)", self.name, pid)

    def signal(self, what: bytes) -> None:
        """Send ``what`` to the child (dropped when it is not running: it looks on starting)."""
        if self._end is not None:
            signal_through(self._end.fileno(), what)

    def _readable(self) -> None:
        if self._end is not None and not _take(self._end.fileno(), self._signals):
            asyncio.get_running_loop().remove_reader(self._end.fileno())

    def _ended(self) -> None:
        loop = asyncio.get_running_loop()
        process = self._process
        loop.remove_reader(process.sentinel)
        # The sentinel comes a moment before the exit status: a short wait collects it.
        process.join(0.1)
        self._close_end()
        self._exited.set()
        if self._stopping:
            return
        if process.exitcode in ASKED:
            # Asked to stop by someone else (the service manager stopping everything): not a
            # failure, and the service itself is on its way down.
            log.info("%s: stopped (exit code %s)", self.name, process.exitcode)
            return
        if time.monotonic() - self._started > RESTART_MAX:
            self._pause = RESTART_AFTER  # it had been running well: not one of a series
        log.warning(
            "%s: ended unexpectedly (exit code %s); starting it again in %gs",
            self.name,
            process.exitcode,
            self._pause,
        )
        self._restart = asyncio.create_task(self._start_again(self._pause))
        self._pause = min(self._pause * 2, RESTART_MAX)

    async def _start_again(self, pause: float) -> None:
        while True:
            await asyncio.sleep(pause)
            if self._stopping:
                return
            try:
                self.start()
            except Exception:
                pause = min(pause * 2, RESTART_MAX)
                log.exception("%s: could not be started; trying again in %gs", self.name, pause)
            else:
                return

    def _close_end(self) -> None:
        if self._end is not None:
            with contextlib.suppress(ValueError, OSError):
                asyncio.get_running_loop().remove_reader(self._end.fileno())
            self._end.close()
            self._end = None

    async def stop(self) -> None:
        """Ask the child to stop (SIGTERM, and its end reaches end-of-file): it finishes what it
        is doing, for up to STOP_GRACE seconds, and is killed if it has not ended by then. One
        still starting up ends at once (it has begun nothing)."""
        self._stopping = True
        if self._restart is not None:
            self._restart.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._restart
        process = self._process
        if process is None:
            return
        if not self._exited.is_set():
            self._close_end()
            process.terminate()
            try:
                async with asyncio.timeout(STOP_GRACE):
                    await self._exited.wait()
            except TimeoutError:
                log.warning("%s: did not stop in %gs; killing it", self.name, STOP_GRACE)
                process.kill()
                await self._exited.wait()
        # Ended: reaped in a thread (the exit status comes a moment after the sentinel).
        await asyncio.to_thread(process.join, STOP_GRACE)


async def until_parent_gone(end: Connection, signals: Signals) -> None:
    """The child's side: handle the signals coming through ``end`` until the service closes it
    (stopping, or gone) or the child is asked to stop by SIGTERM. (SIGINT, the terminal's, is
    sent to the service too: the child leaves it to the service, and stops when it does.)"""
    loop = asyncio.get_running_loop()
    gone = asyncio.Event()
    fd = end.fileno()
    os.set_blocking(fd, False)

    def readable() -> None:
        if not _take(fd, signals):
            gone.set()

    def asked(_signal: int, _frame: object) -> None:
        loop.call_soon_threadsafe(gone.set)

    # SIGTERM is the process's own handler, not the loop's: the loop takes its handlers away
    # when it closes (and removing one puts the default action — death — back for a moment),
    # so a SIGTERM crossing the end's closing could kill a child that is stopping.
    signal.signal(signal.SIGTERM, asked)
    loop.add_reader(fd, readable)
    try:
        await gone.wait()
    finally:
        loop.remove_reader(fd)
        # Stopping now: another SIGTERM (the service's after the service manager's) must not
        # cut that short, up to the process's exit — straight from the handler to ignored.
        # Past STOP_GRACE the service kills the child anyway.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
