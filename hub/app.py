"""The application factory: settings (and a clock) in, a ready aiohttp application out."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from aiohttp import web

from config.settings import Settings
from hub.api import (
    audit,
    bot,
    calendar,
    calls,
    cases,
    clients,
    conversations,
    hooks,
    lists,
    managers,
    max_bot,
    ops,
    originate,
    passwords,
    recordings,
    reports,
    route,
    tokens,
    triage,
)
from hub.api.docs import add_docs
from hub.api.endpoints import Endpoint, Handler
from hub.api.http import check_query
from hub.api.messengers import messenger_endpoints
from hub.api.middleware import api_middleware
from hub.api.openapi import build_openapi
from hub.api.pbx import connector_endpoints
from hub.bootstrap.auth import PRINCIPAL, VERIFIER
from hub.bootstrap.core import CLOCK, METRICS, NORMALIZER, SETTINGS
from hub.bootstrap.folding import FOLD_APART
from hub.bootstrap.links import LINKS
from hub.bootstrap.resources import RESOURCES
from hub.console import add_console
from hub.domain.clock import Clock, SystemClock
from hub.domain.links import SIGNATURE
from hub.domain.phone import Normalizer
from hub.runtime.metrics import create_metrics

ENDPOINTS: list[Endpoint] = [
    *ops.ENDPOINTS,
    *managers.ENDPOINTS,
    *passwords.ENDPOINTS,
    *clients.ENDPOINTS,
    *lists.ENDPOINTS,
    *triage.ENDPOINTS,
    *calls.ENDPOINTS,
    *originate.ENDPOINTS,
    *recordings.ENDPOINTS,
    *audit.ENDPOINTS,
    *calendar.ENDPOINTS,
    *tokens.ENDPOINTS,
    *route.ENDPOINTS,
    *hooks.ENDPOINTS,
    *cases.ENDPOINTS,
    *conversations.ENDPOINTS,
    *reports.ENDPOINTS,
    *bot.ENDPOINTS,
    *max_bot.ENDPOINTS,
]


def _app_version() -> str:
    try:
        return version("dozvon")
    except PackageNotFoundError:
        return "0.0.0"


def _query_checked(handler: Handler, known: frozenset[str]) -> Handler:
    async def checked(request: web.Request) -> web.StreamResponse:
        check_query(request, known)
        return await handler(request)

    return checked


def _guarded(endpoint: Endpoint) -> Handler:
    """Wrap a handler so it runs only for a bearer token whose role the endpoint allows (or, for
    an endpoint that takes them, a signed link to this very path), and only with the query
    parameters it declares."""
    roles = endpoint.roles
    handler = endpoint.handler
    known = endpoint.known_query()
    if known is not None:
        handler = _query_checked(handler, known)
    if roles is None:
        return handler

    async def guarded(request: web.Request) -> web.StreamResponse:
        if endpoint.signed and SIGNATURE in request.query:
            request.app[LINKS].check(request.path, request.query)
            return await handler(request)
        found = await request.app[VERIFIER].verify(request.headers.get("Authorization"))
        found.require(roles)
        request[PRINCIPAL] = found
        return await handler(request)

    return guarded


def create_app(
    settings: Settings, *, clock: Clock | None = None, fold_apart: bool = False
) -> web.Application:
    """The whole service; ``clock`` is what it reads the time from (the machine's by default,
    a clock the tests move otherwise); ``fold_apart``: stored updates are folded in a process
    of their own (hub/bootstrap/folding.py) rather than on the service's loop."""
    app = web.Application(
        client_max_size=settings.http.max_body_bytes,
        middlewares=[api_middleware],
    )
    app[SETTINGS] = settings
    app[CLOCK] = clock or SystemClock()
    app[FOLD_APART] = fold_apart
    app[METRICS] = create_metrics()
    app[NORMALIZER] = Normalizer(settings.phone.default_region, settings.phone.internal_max_digits)
    endpoints = ENDPOINTS + connector_endpoints(settings) + messenger_endpoints(settings)
    app[ops.OPENAPI] = build_openapi(endpoints, _app_version())
    for endpoint in endpoints:
        app.router.add_route(endpoint.method, endpoint.path, _guarded(endpoint))
    add_docs(app)
    add_console(app)
    app.cleanup_ctx.extend(RESOURCES)
    return app
