"""The web console: server-rendered pages for the people of the company (aiohttp-jinja2).

Pages are handlers in modules of this package, each with its ``ROUTES``, listed in
:data:`PAGES`; templates are ``templates/`` (``base.html`` is the layout, with the navigation
bar), the style is ``static/`` served at ``/static/``. A page for people logged in is wrapped
with ``access.page`` and reads who is there with ``access.person(request)``; it renders with
``render.render(request, "x.html", {...}, person=...)``. Texts are in ``texts/``, a module
per section.
"""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from hub.bootstrap.core import MISSING_PAGE
from hub.console import (
    audit,
    cases,
    clients,
    home,
    imports,
    login,
    password,
    reports,
    team,
    tokens,
    unknown,
)
from hub.console.access import missing_page

PAGES = [
    *login.ROUTES,
    *password.ROUTES,
    *home.ROUTES,
    *cases.ROUTES,
    *unknown.ROUTES,
    *clients.ROUTES,
    *team.ROUTES,
    *reports.ROUTES,
    *imports.ROUTES,
    *audit.ROUTES,
    *tokens.ROUTES,
]
STATIC = Path(__file__).parent / "static"
# The console's paths: pages for people, not part of the API's OpenAPI document.
PATHS = frozenset(
    {
        "/static",
        # As the router names them: "/cases/{id}/close" for "/cases/{id:\\d+}/close".
        *(
            re.sub(r"\{(\w+):[^}]+\}", r"{\1}", route.path)
            for route in PAGES
            if isinstance(route, web.RouteDef)
        ),
    }
)


def add_console(app: web.Application) -> None:
    """Add the console's pages, templates and static files to ``app``."""
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.PackageLoader("hub.console", "templates"),
        autoescape=True,
        default_helpers=False,
        undefined=jinja2.StrictUndefined,
    )
    app.router.add_static("/static/", STATIC)
    app.router.add_routes(PAGES)
    app[MISSING_PAGE] = missing_page
    reports.setup(app)
