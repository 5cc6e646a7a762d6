"""The middleware: JSON errors for everything (a page for a browser's missing address), and
request metrics — the one layer every request passes through."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from hub.api.http import reply
from hub.bootstrap.core import METRICS, MISSING_PAGE, SETTINGS
from hub.domain.errors import DozvonError, NotFound
from storage.db import WriteLockTimeout

log = logging.getLogger(__name__)


def error_body(code: str, message: str, field: str | None = None) -> dict[str, object]:
    error: dict[str, object] = {"code": code, "message": message}
    if field:
        error["field"] = field
    return {"error": error}


_HTTP_CODES = {
    400: "invalid",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
}


def _path_field(request: web.Request) -> str | None:
    """What a 404 is about: the path's first parameter (``/clients/{id}/phones/{number}``: the
    client; a phone the client lacks names ``number`` itself)."""
    return next(iter(request.match_info), None)


@web.middleware
async def api_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every answer counted by route and status, and every error a JSON body: one layer, which
    each request (a routing answer too) passes through once."""
    try:
        response = await handler(request)
    except web.HTTPNotFound as exc:
        page = request.app.get(MISSING_PAGE)
        found = await page(request) if page is not None else None
        response = found if found is not None else _error_answer(request, exc)
    except Exception as exc:
        response = _error_answer(request, exc)
    route = request.match_info.route.resource
    name = route.canonical if route is not None else "unmatched"
    request.app[METRICS].served(request.method, name, response.status).inc()
    return response


def _error_answer(request: web.Request, exc: Exception) -> web.StreamResponse:
    """The JSON answer for what a handler raised (a redirect is raised on)."""
    if isinstance(exc, WriteLockTimeout):
        return reply(error_body("unavailable", f"{exc}; retry later"), 503)
    if isinstance(exc, DozvonError):
        field = exc.field
        if field is None and isinstance(exc, NotFound):
            field = _path_field(request)
        return reply(error_body(exc.code, exc.message, field), exc.status)
    if isinstance(exc, web.HTTPException):
        if exc.status < 400:
            raise exc
        code = _HTTP_CODES.get(exc.status, "http_error")
        message = exc.reason
        if exc.status == 413:
            message = (
                f"request body is larger than {request.app[SETTINGS].http.max_body_bytes} bytes"
            )
        elif exc.status == 404:
            message = f"no such endpoint: {request.method} {request.path}"
        return reply(error_body(code, message), exc.status)
    log.error("unhandled error in %s %s", request.method, request.path, exc_info=exc)
    return reply(error_body("internal", "internal error; it has been logged"), 500)
