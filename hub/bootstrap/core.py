"""What every part of the app reads and nothing has to start: settings, clock, metrics, numbers,
and the page for an address that has none."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from config.settings import Settings
from hub.domain.clock import Clock
from hub.domain.phone import Normalizer
from hub.runtime.metrics import Metrics

SETTINGS = web.AppKey("settings", Settings)
CLOCK = web.AppKey("clock", Clock)
METRICS = web.AppKey("metrics", Metrics)
NORMALIZER = web.AppKey("normalizer", Normalizer)
# The answer to a browser that opened an address with no page (the console's page saying so), or
# None to answer as the API does; called by the one middleware (hub/api/middleware.py).
MissingPage = Callable[[web.Request], Awaitable[web.StreamResponse | None]]
MISSING_PAGE: web.AppKey[MissingPage] = web.AppKey("missing_page")
