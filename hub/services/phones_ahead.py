"""A big import's phones read ahead, in a process of its own.

Reading a phone — phonenumbers' parsing and validation — is most of the Python an import spends
on a row. From ``AHEAD_FROM`` rows on, one worker process reads the chunks after the first in
order, on the other processor, while the importer decides and writes the ones before; the result
is the same as read in place (it is the same pure function,
``hub.domain.written_phones.read_phones``). The worker starts while the importer loads the
directory and reads the first chunk itself. A chunk the worker has not begun by the time the
importer needs it is read in place instead (only the next one or two, already handed to the
worker, are waited for), and a worker that fails or cannot be started leaves every chunk after it
to be read in place: the import never fails because of it. Like the service's own processes it
ignores Ctrl-C (the command's to handle) and runs at a lower priority, so that inside the service
(an import from the console) routing answers go first. Each chunk's phones are dropped once
taken.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from hub.domain.phone import Normalizer
from hub.domain.written_phones import WrittenPhone, read_phones

log = logging.getLogger(__name__)

# Rows from which a worker is started: below, its start (a second or two) is not won back.
AHEAD_FROM = 20_000
NICENESS = 10

Cells = Sequence[Sequence[str]]


class PhonesAhead:
    """The chunks' phones (``chunks``: per chunk, each row's pieces), read in a worker when
    ``apart``, else in place. Use as a context manager; :meth:`chunk` in order."""

    def __init__(self, chunks: Sequence[Cells], normalize: Normalizer, *, apart: bool) -> None:
        self._chunks = chunks
        self._normalize = normalize
        self._pool: ProcessPoolExecutor | None = None
        # By chunk: None for the first (read here) and for each once taken.
        self._futures: list[Future[list[list[WrittenPhone]]] | None] = []
        if apart and len(chunks) > 1:
            try:
                self._pool = ProcessPoolExecutor(
                    1, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_start
                )
                self._futures = [None]
                self._futures += [self._pool.submit(read_phones, c, normalize) for c in chunks[1:]]
            except (OSError, RuntimeError) as exc:
                log.warning("phones are read in place: no worker process (%s)", exc)
                self.close()

    def __enter__(self) -> PhonesAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def chunk(self, index: int) -> list[list[WrittenPhone]]:
        """The ``index``-th chunk's phones, row by row."""
        future = self._futures[index] if self._futures else None
        if future is not None:
            self._futures[index] = None
            if not future.cancel():  # begun (or done) in the worker: its result
                try:
                    return await asyncio.wrap_future(future)
                except Exception as exc:  # whatever went wrong there, in place is the same
                    log.warning("phones are read in place: the worker process failed (%r)", exc)
                    self.close()
        return read_phones(self._chunks[index], self._normalize)

    def waiting(self, index: int) -> Future[list[list[WrittenPhone]]] | None:
        """The worker's result for chunk ``index`` while it has not been taken."""
        return self._futures[index] if self._futures else None

    def close(self) -> None:
        """Stop the worker (what it still has queued is dropped)."""
        pool, self._pool, self._futures = self._pool, None, []
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _worker_start() -> None:
    """In the worker, first: Ctrl-C is the command's; the service's work goes first."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(NICENESS)
