"""A big import's phones read ahead, in a process of its own.

Reading a phone — phonenumbers' parsing and validation — is most of the Python an import spends
on a row. From ``AHEAD_FROM`` rows on, one worker process reads the chunks in order on the other
processor while the importer decides and writes the ones before; the result is the same as read
in place (it is the same pure function, ``hub.domain.written_phones.read_phones``). The worker
starts while the importer loads the directory. A chunk the worker has not begun by the time the
importer needs it is read in place instead, and a worker that fails or cannot be started leaves
every chunk after it to be read in place: the import never waits for it longer than it would
have taken itself, and never fails because of it.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from hub.domain.phone import Normalizer
from hub.domain.written_phones import WrittenPhone, read_phones

log = logging.getLogger(__name__)

# Rows from which a worker is started: below, its start (a second or two) is not won back.
AHEAD_FROM = 20_000

Cells = Sequence[Sequence[str]]


class PhonesAhead:
    """The chunks' phones (``chunks``: per chunk, each row's pieces), read in a worker when
    ``apart``, else in place. Use as a context manager; :meth:`chunk` in order."""

    def __init__(self, chunks: Sequence[Cells], normalize: Normalizer, *, apart: bool) -> None:
        self._chunks = chunks
        self._normalize = normalize
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[list[list[WrittenPhone]]]] = []
        if apart and chunks:
            try:
                self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
                self._futures = [self._pool.submit(read_phones, c, normalize) for c in chunks]
            except (OSError, RuntimeError) as exc:
                log.warning("phones are read in place: no worker process (%s)", exc)
                self.close()

    def __enter__(self) -> PhonesAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def chunk(self, index: int) -> list[list[WrittenPhone]]:
        """The ``index``-th chunk's phones, row by row."""
        if self._futures:
            future = self._futures[index]
            if not future.cancel():  # begun (or done) in the worker: its result
                try:
                    return await asyncio.wrap_future(future)
                except Exception as exc:  # whatever went wrong there, in place is the same
                    log.warning("phones are read in place: the worker process failed (%r)", exc)
                    self.close()
        return read_phones(self._chunks[index], self._normalize)

    def close(self) -> None:
        """Stop the worker (what it still has queued is dropped)."""
        pool, self._pool, self._futures = self._pool, None, []
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
