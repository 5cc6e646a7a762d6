"""What every part of the app reads and nothing has to start: settings, clock, metrics, numbers."""

from __future__ import annotations

from aiohttp import web

from config.settings import Settings
from hub.domain.clock import Clock
from hub.domain.phone import Normalizer
from hub.runtime.metrics import Metrics

SETTINGS = web.AppKey("settings", Settings)
CLOCK = web.AppKey("clock", Clock)
METRICS = web.AppKey("metrics", Metrics)
NORMALIZER = web.AppKey("normalizer", Normalizer)
