"""What every connector endpoint does the same way: read forms, store, route, log the odd.

Thin: the work is the intake's (``hub/services/ingest/intake.py``) and the router's
(``hub/services/routing.py``); these helpers only take them from the request's app.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from aiohttp import web

from config.settings import Settings
from connectors.errors import ConnectorError, PayloadError
from hub.api.endpoints import Endpoint, Handler, Query
from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.pipeline import INTAKE, REJECTIONS, ROUTER
from hub.domain.calls import CallUpdate
from routing.decision import RouteDecision

log = logging.getLogger(__name__)
_UNKNOWN_SEEN: set[tuple[str, str]] = set()


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def read_form(request: web.Request, connector: str) -> dict[str, str]:
    """A form-encoded body as plain strings (a vendor never sends files here).

    The vendors that call these hooks post forms and nothing else: a body of another type (JSON,
    say) is refused with a 400 and kept among the refused deliveries, rather than read as an
    empty form and acknowledged as an event of no kind."""
    with refusing(request, connector):
        if request.body_exists:
            if request.content_type not in FORM_TYPES:
                raise PayloadError(
                    f"{connector} posts form data; the body is {request.content_type}",
                    field="body",
                )
            if (await request.read()).lstrip()[:1] in (b"{", b"["):
                raise PayloadError(f"{connector} posts form data; the body is JSON", field="body")
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


@contextmanager
def refusing(request: web.Request, connector: str) -> Iterator[None]:
    """A connector error raised inside (401, 400) is kept among the refused deliveries, then
    answered as it says."""
    try:
        yield
    except ConnectorError as exc:
        request.app[REJECTIONS].note(connector, request.remote, exc)
        raise


async def store(request: web.Request, connector: str, updates: list[CallUpdate]) -> None:
    """Committed before the answer (a 503 otherwise)."""
    await request.app[INTAKE].store(connector, updates, remote=request.remote)


async def store_or_keep(request: web.Request, connector: str, updates: list[CallUpdate]) -> None:
    """Answered for whatever happens: kept in the backlog while storage is away."""
    await request.app[INTAKE].store_or_keep(connector, updates)


def store_soon(request: web.Request, connector: str, updates: list[CallUpdate]) -> None:
    """Stored in the background: the PBX waits for the routing answer while the phone rings."""
    request.app[INTAKE].store_soon(connector, updates)


def decide(request: web.Request, caller: str, called: str, call_id: str | None) -> RouteDecision:
    """Routing for a vendor: never raises; anything wrong is the PBX's default route."""
    return request.app[ROUTER].decide(caller, called, call_id)


def now(request: web.Request) -> float:
    """The app's clock as Unix seconds (signature windows)."""
    return request.app[CLOCK].now().timestamp()


def settings_of(request: web.Request) -> Settings:
    return request.app[SETTINGS]


def hook_endpoint(
    name: str,
    path: str,
    handler: Handler,
    summary: str,
    *,
    auth: str,
    method: str = "POST",
    query: tuple[Query, ...] = (),
) -> Endpoint:
    """One of a connector's endpoints: ``/api/v1/hooks/NAME``, or ``path`` below it. Its own
    signature or key authenticates it (``auth``: the connector's type, or "none")."""
    return Endpoint(
        method=method,
        path=f"/api/v1/hooks/{name}/{path}" if path else f"/api/v1/hooks/{name}",
        handler=handler,
        roles=None,
        summary=summary,
        tag="connectors",
        auth=auth,
        query=query,
    )
