"""The API documentation as a page: ``/api/docs`` renders ``/api/v1/openapi.json`` with Swagger UI
(openapi-ui-bundles' copy, a Swagger UI that reads OpenAPI 3.1), served from the package itself:
nothing is loaded from another site, so the page works on a network without the internet and
leaks nothing to a CDN."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from openapi_ui_bundles.swagger_ui import static_path

ASSETS = "/api/docs/assets"
# The page's own routes: a page and its files, not part of the API it documents.
PATHS = frozenset({"/api/docs", "/api/docs/start.js", ASSETS})

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Dozvon API</title>
  <link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{assets}/swagger-ui-bundle.js"></script>
  <script src="/api/docs/start.js"></script>
</body>
</html>
"""

START = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: true
  });
});
"""


async def page(request: web.Request) -> web.Response:
    return web.Response(text=PAGE.format(assets=ASSETS), content_type="text/html")


async def start(request: web.Request) -> web.Response:
    return web.Response(text=START, content_type="application/javascript")


def add_docs(app: web.Application) -> None:
    """The page, its start script and Swagger UI's files (public, like the document itself)."""
    app.router.add_get("/api/docs", page)
    app.router.add_get("/api/docs/start.js", start)
    app.router.add_static(ASSETS, Path(str(static_path)))
