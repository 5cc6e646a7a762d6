"""``/unknown``: the triage queue of numbers that called and are nobody's yet."""

from __future__ import annotations

from aiohttp import web

ROUTES: list[web.RouteDef] = []
