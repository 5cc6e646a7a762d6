"""Inbound call hooks: verify, parse, hand to the writer, answer only once committed."""

from __future__ import annotations

import collections
import logging
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from aiohttp import web

from connectors import generic
from connectors.errors import ConnectorError, PayloadError
from connectors.generic.parse import GenericCallUpdate
from hub.api.endpoints import Endpoint
from hub.api.http import reply
from hub.auth import ADMINS
from hub.calls import CallUpdate
from hub.errors import NotFound, Unavailable
from hub.keys import METRICS, NORMALIZER, SETTINGS, WRITER

log = logging.getLogger(__name__)

REJECTED = web.AppKey("rejected", collections.deque[dict[str, object]])
REJECTED_KEEP = 200


def note_rejection(request: web.Request, connector: str, error: ConnectorError) -> None:
    """Log a refused delivery (no traceback) and keep it in a bounded list for the admin."""
    log.warning("%s hook refused from %s: %s", connector, request.remote, error.message)
    request.app[METRICS].rejected.labels(connector, error.code).inc()
    request.app[REJECTED].append(
        {
            "at": datetime.now(UTC).isoformat(),
            "connector": connector,
            "remote": request.remote,
            "status": error.status,
            "reason": error.message,
        }
    )


async def ingest(request: web.Request, connector: str, updates: list[CallUpdate]) -> dict[str, int]:
    """Commit updates through the writer; 503 (retry later) if they could not be stored.

    An update no database could store is refused here (400), before it reaches the writer,
    where it would fail the whole batch it shares with other requests."""
    for update in updates:
        field = update.unstorable_field()
        if field is not None:
            error = PayloadError(f"{field} contains a NUL character", field=field)
            note_rejection(request, connector, error)
            raise error
    try:
        accepted = await request.app[WRITER].submit(updates)
    except RuntimeError as exc:
        raise Unavailable(f"{exc}; retry later") from exc
    metrics = request.app[METRICS]
    metrics.events_ingested.labels(connector).inc(accepted.new)
    metrics.duplicates_dropped.labels(connector).inc(accepted.duplicates)
    return {"accepted": accepted.new, "duplicates": accepted.duplicates}


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
            now=time.time(),
            window=settings.hooks.signature_window.total_seconds(),
        )
        updates = generic.parse(
            body,
            connector="generic",
            normalize=request.app[NORMALIZER],
            local_zone=ZoneInfo(settings.company.timezone),
        )
    except ConnectorError as exc:
        note_rejection(request, "generic", exc)
        raise
    return reply(await ingest(request, "generic", updates))


async def rejected(request: web.Request) -> web.Response:
    kept: collections.deque[dict[str, object]] = request.app[REJECTED]
    return reply({"items": list(reversed(kept))})


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
