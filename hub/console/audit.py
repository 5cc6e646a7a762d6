"""``/audit``: who changed what and when."""

from __future__ import annotations

from aiohttp import web

ROUTES: list[web.RouteDef] = []
