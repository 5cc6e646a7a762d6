"""The routing directory: loaded whole at start, kept in step with the audit and talk logs by a
worker (see hub/services/routing_snapshot.py)."""

from __future__ import annotations

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


def _refresher(cache: DirectoryCache, full_every: float) -> Worker:
    last_full = time.monotonic()

    async def refresh() -> bool:
        nonlocal last_full
        if time.monotonic() - last_full >= full_every:
            await cache.load_all()
            gc.freeze()
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
    worker = _refresher(cache, routing.full_reload_interval.total_seconds())
    worker.start(now=False)
    yield
    await worker.stop()
