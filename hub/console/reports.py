"""``/reports``: the figures per manager and for the company over a period, with charts."""

from __future__ import annotations

from aiohttp import web

ROUTES: list[web.RouteDef] = []
