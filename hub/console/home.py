"""``/``: the console's home — who is logged in, in what role, and the way to every section."""

from __future__ import annotations

from aiohttp import web

from hub.console.access import page, person
from hub.console.render import render


async def home(request: web.Request) -> web.StreamResponse:
    me = person(request)
    return render(request, "home.html", {"role_key": f"role_{me.role}"}, person=me)


ROUTES = [web.get("/", page(home))]
