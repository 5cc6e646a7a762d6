"""Operations: liveness, readiness, Prometheus metrics and the OpenAPI document."""

from __future__ import annotations

import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from hub.api.endpoints import Endpoint
from hub.api.http import reply, unit_of_work
from hub.bootstrap.core import METRICS
from hub.bootstrap.database import ENGINE
from storage.db import ping
from storage.migrate import current_revision, head_revision

log = logging.getLogger(__name__)
OPENAPI = web.AppKey("openapi", dict)


async def healthz(request: web.Request) -> web.Response:
    return reply({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    engine = request.app[ENGINE]
    try:
        await ping(engine)
        current = await current_revision(engine)
    except Exception as exc:
        log.warning("readiness check: database unreachable: %s", exc)
        return reply({"status": "unavailable", "database": "unreachable"}, 503)
    head = head_revision()
    if current != head:
        return reply(
            {
                "status": "unavailable",
                "database": "ok",
                "migrations": "behind",
                "current": current,
                "head": head,
            },
            503,
        )
    return reply({"status": "ok", "database": "ok", "migrations": "current", "revision": head})


async def metrics(request: web.Request) -> web.Response:
    registry = request.app[METRICS]
    try:
        async with unit_of_work(request) as uow:
            registry.unknown_open.set(await uow.unknown.count_open())
    except Exception as exc:
        log.warning("metrics: could not count unknown numbers: %s", exc)
    return web.Response(
        body=generate_latest(registry.registry),
        headers={"Content-Type": CONTENT_TYPE_LATEST},
    )


async def openapi(request: web.Request) -> web.Response:
    return reply(request.app[OPENAPI])


ENDPOINTS = [
    Endpoint(
        method="GET",
        path="/healthz",
        handler=healthz,
        roles=None,
        summary="Liveness",
        tag="operations",
        auth="none",
    ),
    Endpoint(
        method="GET",
        path="/readyz",
        handler=readyz,
        roles=None,
        summary="Readiness: database reachable and migrations current",
        tag="operations",
        auth="none",
    ),
    Endpoint(
        method="GET",
        path="/metrics",
        handler=metrics,
        roles=None,
        summary="Prometheus metrics",
        tag="operations",
        auth="none",
    ),
    Endpoint(
        method="GET",
        path="/api/v1/openapi.json",
        handler=openapi,
        roles=None,
        summary="This document",
        tag="operations",
        auth="none",
    ),
]
