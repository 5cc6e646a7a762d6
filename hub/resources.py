"""Long-lived resources as aiohttp cleanup contexts: started in order, closed in reverse."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator

from aiohttp import web

from hub.auth import TokenVerifier
from hub.folder import Folder
from hub.ingest import FoldResult
from hub.keys import DIRECTORY, ENGINE, FOLDER, NORMALIZER, SESSIONS, SETTINGS, VERIFIER, WRITER
from hub.writer import IngestWriter
from routing.loader import DirectoryCache
from storage.db import create_engine, create_session_factory

log = logging.getLogger(__name__)


async def database(app: web.Application) -> AsyncIterator[None]:
    engine = create_engine(app[SETTINGS].database)
    app[ENGINE] = engine
    app[SESSIONS] = create_session_factory(engine)
    yield
    await engine.dispose()


async def _keep_fresh(app: web.Application, cache: DirectoryCache) -> None:
    routing = app[SETTINGS].routing
    interval = routing.refresh_interval.total_seconds()
    full_every = routing.full_reload_interval.total_seconds()
    last_full = time.monotonic()
    failing = False
    while True:
        await asyncio.sleep(interval)
        try:
            if time.monotonic() - last_full >= full_every:
                await cache.load_all()
                gc.freeze()
                last_full = time.monotonic()
            else:
                await cache.catch_up()
            if failing:
                log.info("directory refresh works again")
                failing = False
        except Exception as exc:
            if not failing:
                log.warning("directory refresh failing (routing uses the last snapshot): %s", exc)
                failing = True


async def directory(app: web.Application) -> AsyncIterator[None]:
    cache = DirectoryCache(app[SESSIONS], app[SETTINGS].routing.sticky_window)
    started = time.perf_counter()
    await cache.load_all()
    log.info(
        "directory loaded: %d managers, %d clients, %d listed numbers in %.2fs",
        len(cache.snapshot.managers),
        len(cache.snapshot.clients),
        len(cache.snapshot.list_by_number),
        time.perf_counter() - started,
    )
    # The snapshot is hundreds of thousands of long-lived objects: keep them out of the cyclic
    # garbage collector's full passes, which would otherwise stall requests for tens of ms.
    gc.freeze()
    app[DIRECTORY] = cache
    task = asyncio.create_task(_keep_fresh(app, cache), name="directory-refresh")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def folder(app: web.Application) -> AsyncIterator[None]:
    cache = app[DIRECTORY]

    def on_folded(result: FoldResult) -> None:
        for number, manager_id, at in result.talks:
            cache.snapshot.note_talk(number, manager_id, at)

    calls = Folder(app[SESSIONS], app[NORMALIZER], on_folded)
    calls.start()
    app[FOLDER] = calls
    yield
    await calls.stop()


async def writer(app: web.Application) -> AsyncIterator[None]:
    ingest = IngestWriter(
        app[SESSIONS],
        batch_max=app[SETTINGS].ingest.batch_max,
        on_committed=app[FOLDER].wake,
    )
    ingest.start()
    app[WRITER] = ingest
    yield
    await ingest.stop()


async def verifier(app: web.Application) -> AsyncIterator[None]:
    token = app[SETTINGS].admin.token
    app[VERIFIER] = TokenVerifier(app[SESSIONS], token.get_secret_value() if token else None)
    yield
