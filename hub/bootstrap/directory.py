"""The routing directory: loaded whole at start, kept in step with the audit and talk logs by a
worker (see hub/services/routing_snapshot.py)."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import time
from collections.abc import AsyncIterator

from aiohttp import web

from config import Settings
from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.domain.calendar import Calendar
from hub.runtime.worker import Worker
from hub.services.calendar import configured
from hub.services.routing_snapshot import DirectoryCache

log = logging.getLogger(__name__)

DIRECTORY = web.AppKey("directory", DirectoryCache)

# glibc's mallopt() parameter: the size from which a block is mapped from the system on its own.
_M_MMAP_THRESHOLD = -3


def give_back_large_blocks() -> None:
    """Have the C allocator map every block of a megabyte or more on its own, so that it goes
    back to the system when freed. Left to itself, glibc raises that threshold to the size of
    the largest block freed so far: after the first full reload the new snapshot's columns (a few
    megabytes each) would come from the heap, and the old ones' memory would stay with the
    process. Nothing happens where the C library has no such setting."""
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        ctypes.CDLL(name).mallopt(_M_MMAP_THRESHOLD, 1 << 20)
    except (OSError, AttributeError):
        return


def _refresher(cache: DirectoryCache, full_every: float) -> Worker:
    last_full = time.monotonic()

    async def refresh() -> bool:
        nonlocal last_full
        if time.monotonic() - last_full >= full_every:
            started = time.perf_counter()
            await cache.load_all()
            log.info("directory reloaded in %.2fs", time.perf_counter() - started)
            last_full = time.monotonic()
            await cache.forget_old_talks()
        else:
            await cache.catch_up()
        return False

    return Worker(
        "directory refresh",
        refresh,
        every=cache.refresh_interval,
        max_backoff=cache.refresh_interval,
        failing="failing (routing uses the last snapshot)",
    )


def company_calendar(settings: Settings) -> Calendar:
    """The calendar the configuration names (``company.holidays``, ``short_days``,
    ``working_days``)."""
    company = settings.company
    return configured(company.holidays, company.short_days, company.working_days)


async def directory(app: web.Application) -> AsyncIterator[None]:
    routing = app[SETTINGS].routing
    cache = DirectoryCache(
        app[SESSIONS],
        app[CLOCK],
        routing.sticky_window,
        refresh_interval=routing.refresh_interval.total_seconds(),
        calendar=company_calendar(app[SETTINGS]),
    )
    give_back_large_blocks()
    started = time.perf_counter()
    await cache.load_all()
    log.info(
        "directory loaded: %d managers, %d clients, %d listed numbers in %.2fs",
        len(cache.snapshot.managers),
        len(cache.snapshot.clients),
        len(cache.snapshot.list_by_number),
        time.perf_counter() - started,
    )
    # What is alive by now (modules, the app) lives as long as the process: keep it out of the
    # cyclic garbage collector's full passes, which would otherwise stall requests. The snapshot
    # is a few large objects (routing/snapshot.py), and a reload's are freed as they are dropped:
    # a reload does not freeze again (that would also keep whatever garbage was waiting then).
    gc.freeze()
    app[DIRECTORY] = cache
    worker = _refresher(cache, routing.full_reload_interval.total_seconds())
    worker.start(now=False)
    yield
    await worker.stop()
