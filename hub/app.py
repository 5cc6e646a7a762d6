"""The application factory: settings in, a ready aiohttp application out."""

from __future__ import annotations

import collections
from importlib.metadata import PackageNotFoundError, version

from aiohttp import web

from config.settings import Settings
from hub import resources
from hub.api import bot, cases, clients, hooks, lists, managers, ops, records, route
from hub.api.endpoints import Endpoint, Handler
from hub.api.middleware import errors_middleware, metrics_middleware
from hub.api.openapi import build_openapi
from hub.api.pbx import connector_endpoints
from hub.keys import METRICS, NORMALIZER, PRINCIPAL, SETTINGS, VERIFIER
from hub.metrics import create_metrics
from hub.phone import Normalizer

ENDPOINTS: list[Endpoint] = [
    *ops.ENDPOINTS,
    *managers.ENDPOINTS,
    *clients.ENDPOINTS,
    *lists.ENDPOINTS,
    *records.ENDPOINTS,
    *route.ENDPOINTS,
    *hooks.ENDPOINTS,
    *cases.ENDPOINTS,
    *bot.ENDPOINTS,
]


def _app_version() -> str:
    try:
        return version("dozvon")
    except PackageNotFoundError:
        return "0.0.0"


def _guarded(endpoint: Endpoint) -> Handler:
    """Wrap a handler so it runs only for a bearer token whose role the endpoint allows."""
    roles = endpoint.roles
    handler = endpoint.handler
    if roles is None:
        return handler

    async def guarded(request: web.Request) -> web.StreamResponse:
        found = await request.app[VERIFIER].verify(request.headers.get("Authorization"))
        found.require(roles)
        request[PRINCIPAL] = found
        return await handler(request)

    return guarded


def create_app(settings: Settings) -> web.Application:
    app = web.Application(
        client_max_size=settings.http.max_body_bytes,
        middlewares=[metrics_middleware, errors_middleware],
    )
    app[SETTINGS] = settings
    app[METRICS] = create_metrics()
    app[NORMALIZER] = Normalizer(settings.phone.default_region, settings.phone.internal_max_digits)
    app[hooks.REJECTED] = collections.deque(maxlen=hooks.REJECTED_KEEP)
    endpoints = ENDPOINTS + connector_endpoints(settings)
    app[ops.OPENAPI] = build_openapi(endpoints, _app_version())
    for endpoint in endpoints:
        app.router.add_route(endpoint.method, endpoint.path, _guarded(endpoint))
    app.cleanup_ctx.extend(
        [
            resources.database,
            resources.directory,
            resources.notifier,
            resources.folder,
            resources.writer,
            resources.pbx_links,
            resources.verifier,
        ]
    )
    return app
