"""``/team``: managers, supervisors, absences and substitutes, working hours, invites."""

from __future__ import annotations

from aiohttp import web

ROUTES: list[web.RouteDef] = []
