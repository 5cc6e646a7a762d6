"""Inbound call hooks: verify, parse, hand to the writer, answer only once committed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiohttp import web

from connectors import generic
from connectors.errors import ConnectorError
from connectors.generic.parse import GenericCallUpdate
from hub.api.endpoints import Endpoint
from hub.api.http import reply
from hub.bootstrap.core import CLOCK, NORMALIZER, SETTINGS
from hub.bootstrap.pipeline import INTAKE, REJECTIONS
from hub.domain.errors import NotFound
from hub.services.auth import ADMINS


async def generic_hook(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    secret = settings.hooks.generic_secret
    if secret is None:
        raise NotFound("the generic hook is not configured (set hooks.generic_secret)")
    body = await request.read()
    try:
        generic.verify(
            secret.get_secret_value(),
            request.headers.get("X-Dozvon-Signature"),
            body,
            now=request.app[CLOCK].now().timestamp(),
            window=settings.hooks.signature_window.total_seconds(),
        )
        updates = generic.parse(
            body,
            connector="generic",
            normalize=request.app[NORMALIZER],
            local_zone=ZoneInfo(settings.company.timezone),
            now=request.app[CLOCK].now(),
            max_skew=settings.hooks.max_clock_skew,
            max_age=settings.hooks.max_age,
        )
    except ConnectorError as exc:
        request.app[REJECTIONS].note("generic", request.remote, exc)
        raise
    accepted = await request.app[INTAKE].store("generic", updates, remote=request.remote)
    return reply({"accepted": accepted.new, "duplicates": accepted.duplicates})


async def rejected(request: web.Request) -> web.Response:
    return reply({"items": request.app[REJECTIONS].latest()})


ENDPOINTS = [
    Endpoint(
        method="POST",
        path="/api/v1/hooks/generic",
        handler=generic_hook,
        roles=None,
        summary="Generic call hook (one update or a list), HMAC-signed",
        tag="hooks",
        auth="signature",
        body=GenericCallUpdate,
    ),
    Endpoint(
        method="GET",
        path="/api/v1/hooks/rejected",
        handler=rejected,
        roles=ADMINS,
        summary="The latest refused hook deliveries",
        tag="hooks",
    ),
]
