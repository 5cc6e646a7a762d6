"""The unknown-numbers queue over HTTP, and its triage: link to a client, make one, or list it.

A token of a person sees and triages the numbers of his scope (another team's is a 404), links
them to his scope's clients only, and a manager's new client is his own (as in the staff bot)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from aiohttp import web
from pydantic import ValidationError

from hub.api.clients import in_scope
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
from hub.api.scoped import MAX_OFFSET, may_give, own_only, scope_of
from hub.bootstrap.core import CLOCK
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.directory import DIRECTORY
from hub.bootstrap.pipeline import HANDLERS
from hub.domain.errors import InvalidInput, NotFound
from hub.domain.unknown import UnknownStatus
from hub.services.auth import EDITORS, READERS
from hub.services.directory.commands import (
    TriageLink,
    TriageList,
    TriageNewClient,
    TriageRequest,
)
from hub.services.directory.triage import triage_and_commit, triaged_number
from hub.services.scope import Kept, kept
from hub.services.serialisers import unknown_view
from storage.models import UnknownNumber


async def unknown_numbers(request: web.Request) -> web.Response:
    limit = query_limit(request)
    status = (
        query_choice(request, "status", frozenset({*UnknownStatus, "all"})) or UnknownStatus.OPEN
    )
    sort = query_choice(request, "sort", frozenset({"id", "age"})) or "id"
    older = query_int(request, "older_than_days", lo=0, hi=100_000)
    skip = query_int(request, "offset", 0, hi=MAX_OFFSET) or 0
    after = query_int(request, "after", 0) or 0
    manager_id = query_int(request, "manager_id", lo=1)
    now = request.app[CLOCK].now()
    scope = scope_of(request)
    read = 0
    async with unit_of_work(request) as uow:

        async def fetch(last: UnknownNumber | None, size: int) -> Sequence[UnknownNumber]:
            nonlocal read
            rows = await uow.unknown.page(
                status=None if status == "all" else status,
                after_id=after if last is None else last.id,
                limit=size,
                manager_id=manager_id,
                seen_before=now - timedelta(days=older) if older is not None else None,
                oldest_skip=None if sort != "age" else (read if keep else skip),
            )
            read += len(rows)
            return rows

        keep = (
            None
            if scope.everything
            else (lambda u: scope.sees_unknown(u.manager_id, u.manager_ids))
        )
        if keep is None or sort != "age":
            found = await kept(fetch, keep, limit)
        else:
            # Oldest first within the scope: the offset counts the numbers it sees (among the
            # first rows the bounded scan reads, hub/api/scoped.py).
            found = await kept(fetch, keep, skip + limit)
            found = Kept(found.rows[skip:])
        recorded = await uow.calls.last_recorded(u.number for u in found.rows)
    items = [unknown_view(u, now=now, recorded_call=recorded.get(u.number)) for u in found.rows]
    if sort != "age":
        return reply(page(items, limit, "after", resume=found.resume))
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
    await _may_triage(request, request.match_info["number"], action)
    now = request.app[CLOCK].now()
    done = await triage_and_commit(
        request.app[SESSIONS],
        request.app[HANDLERS],
        request.match_info["number"],
        action,
        actor=actor(request),
        region=region(request),
        now=now,
        by=own_only(request),
    )
    await request.app[DIRECTORY].catch_up()
    async with unit_of_work(request) as uow:
        recorded = await uow.calls.last_recorded([done.entry.number])
    return reply(unknown_view(done.entry, now=now, recorded_call=recorded.get(done.entry.number)))


async def _may_triage(
    request: web.Request, raw: str, action: TriageLink | TriageNewClient | TriageList
) -> None:
    """A number outside the token's scope is not in its queue; it links to a client of the
    scope only, and a new client goes to a manager of the scope."""
    scope = scope_of(request)
    if scope.everything:
        return
    number = triaged_number(raw, region(request))
    async with unit_of_work(request) as uow:
        entry = await uow.unknown.get(number)
        if entry is None or not scope.sees_unknown(entry.manager_id, entry.manager_ids):
            raise NotFound(f"{number} is not in the unknown-numbers queue")
        if isinstance(action, TriageLink):
            try:
                await in_scope(request, uow, action.client_id)
            except NotFound as exc:
                raise InvalidInput(exc.message, field="client_id") from exc
    if isinstance(action, TriageNewClient) and action.manager_id is not None:
        may_give(request, action.manager_id)


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
            Query(
                name="offset",
                type="integer",
                description=f"with sort=age: skip this many (at most {MAX_OFFSET:,})",
            ),
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
