"""What every connector endpoint does the same way: read forms, ingest, route, log the odd."""

from __future__ import annotations

import asyncio
import logging
from zoneinfo import ZoneInfo

from aiohttp import web

from config.settings import Settings
from connectors.errors import ConnectorError, PayloadError
from hub.api.endpoints import Endpoint, Handler
from hub.api.hooks import ingest, note_rejection
from hub.api.route import route_call
from hub.calls import CallUpdate
from hub.errors import Unavailable
from hub.keys import BACKLOG, SETTINGS, STORING
from routing.decision import ReasonCode, RouteDecision, default_decision

log = logging.getLogger(__name__)
_UNKNOWN_SEEN: set[tuple[str, str]] = set()


async def read_form(request: web.Request) -> dict[str, str]:
    """A form-encoded body as plain strings (a vendor never sends files here)."""
    try:
        form = await request.post()
    except ValueError as exc:
        raise PayloadError(f"the body is not a form: {exc}", field="body") from exc
    return {key: value for key, value in form.items() if isinstance(value, str)}


def unknown_event(connector: str, event: str) -> None:
    """An event type we do not handle: logged once per connector and type, then ignored."""
    if (connector, event) not in _UNKNOWN_SEEN:
        _UNKNOWN_SEEN.add((connector, event))
        log.info("%s: ignoring event type %r (logged once)", connector, event[:80])


def zone(settings: Settings, configured: str | None) -> ZoneInfo:
    return ZoneInfo(configured or settings.company.timezone)


def refuse(request: web.Request, connector: str, error: ConnectorError) -> ConnectorError:
    note_rejection(request, connector, error)
    return error


async def store(request: web.Request, connector: str, updates: list[CallUpdate]) -> None:
    if updates:
        await ingest(request, connector, updates)


# Beyond this many first events waiting for the writer, more go to the backlog instead.
MAX_STORING = 1000


async def store_or_keep(request: web.Request, connector: str, updates: list[CallUpdate]) -> None:
    """Store updates that are answered for whatever happens: if storage is away, the backlog
    keeps them and stores them as soon as it can."""
    try:
        await store(request, connector, updates)
    except Unavailable as exc:
        log.warning("%s: call updates not stored yet (%s); kept in the backlog", connector, exc)
        request.app[BACKLOG].keep(connector, updates)


def store_soon(request: web.Request, connector: str, updates: list[CallUpdate]) -> None:
    """Store without making the caller wait: for the first event of a call, whose routing answer
    the PBX is waiting for while the phone rings. If storing fails now (or too many wait
    already), the backlog tries again; the call's later events say the same facts too."""
    storing = request.app[STORING]
    if len(storing) >= MAX_STORING:
        request.app[BACKLOG].keep(connector, updates)
        return

    async def run() -> None:
        try:
            await store_or_keep(request, connector, updates)
        except Exception:
            log.exception("%s: first event of a call not stored", connector)

    task = asyncio.create_task(run(), name=f"{connector}-store")
    storing.add(task)
    task.add_done_callback(storing.discard)


def decide(request: web.Request, caller: str, called: str, call_id: str | None) -> RouteDecision:
    """Routing for a vendor: never raises; anything wrong is the PBX's default route."""
    return decide_in(request.app, caller, called, call_id)


def decide_in(app: web.Application, caller: str, called: str, call_id: str | None) -> RouteDecision:
    try:
        return route_call(app, caller, called, call_id)[1]
    except Exception:
        log.exception("routing failed; answering the default route")
        return default_decision("routing error: default route", ReasonCode.ERROR)


def settings_of(request: web.Request) -> Settings:
    return request.app[SETTINGS]


def post_endpoint(name: str, path: str, handler: Handler, summary: str, auth: str) -> Endpoint:
    """One of a connector's POST endpoints, below ``/api/v1/hooks/NAME/``."""
    return Endpoint(
        method="POST",
        path=f"/api/v1/hooks/{name}/{path}",
        handler=handler,
        roles=None,
        summary=f"{summary} ({name})",
        tag="connectors",
        auth=auth,
    )
