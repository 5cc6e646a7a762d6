"""``/clients``: search, the client card with its calls, editing, earlier versions."""

from __future__ import annotations

from aiohttp import web

ROUTES: list[web.RouteDef] = []
