"""``/import``: uploading a table of clients (or sales), its progress and rejected rows."""

from __future__ import annotations

from aiohttp import web

ROUTES: list[web.RouteDef] = []
