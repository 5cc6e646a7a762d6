"""The unknown-numbers queue over HTTP, and its triage: link to a client, make one, or list it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp import web
from pydantic import ValidationError

from hub.api.endpoints import PAGE_AFTER, Endpoint, Query
from hub.api.http import (
    actor,
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
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.directory import DIRECTORY
from hub.bootstrap.pipeline import HANDLERS
from hub.domain.errors import InvalidInput
from hub.domain.unknown import UnknownStatus
from hub.services.auth import EDITORS, READERS
from hub.services.directory.commands import TriageRequest
from hub.services.directory.triage import triage_and_commit
from hub.services.serialisers import unknown_view


async def unknown_numbers(request: web.Request) -> web.Response:
    limit = query_limit(request)
    status = (
        query_choice(request, "status", frozenset({*UnknownStatus, "all"})) or UnknownStatus.OPEN
    )
    sort = query_choice(request, "sort", frozenset({"id", "age"})) or "id"
    older = query_int(request, "older_than_days", lo=0, hi=100_000)
    skip = query_int(request, "offset", 0) or 0
    now = request.app[CLOCK].now()
    async with unit_of_work(request) as uow:
        found = await uow.unknown.page(
            status=None if status == "all" else status,
            after_id=query_int(request, "after", 0) or 0,
            limit=limit,
            manager_id=query_int(request, "manager_id", lo=1),
            seen_before=now - timedelta(days=older) if older is not None else None,
            oldest_skip=skip if sort == "age" else None,
        )
        recorded = await uow.calls.last_recorded(u.number for u in found)
    items = [unknown_view(u, now=now, recorded_call=recorded.get(u.number)) for u in found]
    if sort != "age":
        return reply(page(items, limit, "after"))
    # Oldest first pages by position: the next page starts after the ones seen.
    body: dict[str, Any] = {"items": items}
    if len(items) == limit:
        body["next"] = {"offset": skip + limit}
    return reply(body)


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
    now = request.app[CLOCK].now()
    done = await triage_and_commit(
        request.app[SESSIONS],
        request.app[HANDLERS],
        request.match_info["number"],
        action,
        actor=actor(request),
        region=region(request),
        now=now,
    )
    await request.app[DIRECTORY].catch_up()
    async with unit_of_work(request) as uow:
        recorded = await uow.calls.last_recorded([done.entry.number])
    return reply(unknown_view(done.entry, now=now, recorded_call=recorded.get(done.entry.number)))


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
            Query(name="manager_id", type="integer", description="whose numbers"),
            Query(
                name="older_than_days",
                type="integer",
                description="only numbers first seen at least this many days ago",
            ),
            Query(name="sort", description="id (default) or age: the oldest first"),
            Query(name="offset", type="integer", description="with sort=age: skip this many"),
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
