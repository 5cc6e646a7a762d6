"""``/tokens``: the API tokens a person makes for himself, with his scope."""

from __future__ import annotations

from aiohttp import web

ROUTES: list[web.RouteDef] = []
