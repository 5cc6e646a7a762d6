"""The unknown-numbers queue over HTTP, and its triage: link to a client, make one, or list it."""

from __future__ import annotations

from aiohttp import web
from pydantic import ValidationError

from hub.api.endpoints import PAGE_AFTER, Endpoint, Query
from hub.api.http import (
    actor,
    commit_directory,
    page,
    query_choice,
    query_int,
    query_limit,
    region,
    reply,
    unit_of_work,
    validation_error,
)
from hub.bootstrap.core import CLOCK
from hub.domain.errors import InvalidInput
from hub.domain.unknown import UnknownStatus
from hub.services.auth import EDITORS, READERS
from hub.services.directory.commands import TriageRequest
from hub.services.directory.triage import triage
from hub.services.serialisers import unknown_view


async def unknown_numbers(request: web.Request) -> web.Response:
    limit = query_limit(request)
    status = (
        query_choice(request, "status", frozenset({*UnknownStatus, "all"})) or UnknownStatus.OPEN
    )
    async with unit_of_work(request) as uow:
        found = await uow.unknown.page(
            status=None if status == "all" else status,
            after_id=query_int(request, "after", 0) or 0,
            limit=limit,
        )
    return reply(page([unknown_view(u) for u in found], limit, "after"))


async def triage_number(request: web.Request) -> web.Response:
    raw = await request.read()
    if not raw.strip():
        raise InvalidInput("the request body is empty; send a JSON object", field="body")
    try:
        action = TriageRequest.model_validate_json(b'{"triage":' + raw + b"}").triage
    except ValidationError as exc:
        error = validation_error(exc)
        field = (error.field or "body").removeprefix("triage").lstrip(".") or "body"
        raise InvalidInput(error.message.removeprefix("triage").lstrip(".: "), field=field) from exc
    async with unit_of_work(request) as uow:
        entry = await triage(
            uow,
            request.match_info["number"],
            action,
            actor=actor(request),
            region=region(request),
            now=request.app[CLOCK].now(),
        )
        await commit_directory(request, uow)
        return reply(unknown_view(entry))


ENDPOINTS = [
    Endpoint(
        method="GET",
        path="/api/v1/unknown-numbers",
        handler=unknown_numbers,
        roles=READERS,
        summary="The triage queue of unknown numbers",
        tag="triage",
        query=(
            Query(name="status", description="open (default), resolved or all"),
            *PAGE_AFTER,
        ),
    ),
    Endpoint(
        method="POST",
        path="/api/v1/unknown-numbers/{number}/triage",
        handler=triage_number,
        roles=EDITORS,
        summary="Triage: link to a client, create a client, or move to a list",
        tag="triage",
        body=TriageRequest,
    ),
]
