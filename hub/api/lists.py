"""Number lists and entries, and the unknown-numbers queue with its triage, over HTTP."""

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
    read_model,
    region,
    reply,
    unit_of_work,
    validation_error,
)
from hub.api.schemas import EntryCreate, ListCreate, ListUpdate, TriageRequest
from hub.auth import ADMINS, EDITORS, READERS
from hub.directory import lists as service
from hub.directory.triage import triage
from hub.errors import InvalidInput
from hub.views import entry_view, list_view, unknown_view


async def all_lists(request: web.Request) -> web.Response:
    async with unit_of_work(request) as uow:
        lists = await uow.lists.all()
        items = [list_view(lst, await uow.lists.entry_count(lst.id)) for lst in lists]
    return reply({"items": items})


async def create_list(request: web.Request) -> web.Response:
    body = await read_model(request, ListCreate)
    async with unit_of_work(request) as uow:
        view = await service.create_list(uow, body, actor=actor(request))
        await commit_directory(request, uow)
    return reply(view, 201)


async def update_list(request: web.Request) -> web.Response:
    body = await read_model(request, ListUpdate)
    async with unit_of_work(request) as uow:
        view = await service.update_list(
            uow, request.match_info["list"], body, actor=actor(request)
        )
        await commit_directory(request, uow)
    return reply(view)


async def delete_list(request: web.Request) -> web.Response:
    async with unit_of_work(request) as uow:
        await service.delete_list(uow, request.match_info["list"], actor=actor(request))
        await commit_directory(request, uow)
    return web.Response(status=204)


async def list_entries(request: web.Request) -> web.Response:
    limit = query_limit(request)
    slug = request.match_info["list"]
    async with unit_of_work(request) as uow:
        number_list = await service.get_list(uow, slug)
        entries = await uow.lists.entries(
            number_list.id, after_id=query_int(request, "after", 0) or 0, limit=limit
        )
    return reply(page([entry_view(e, slug) for e in entries], limit, "after"))


async def add_entry(request: web.Request) -> web.Response:
    body = await read_model(request, EntryCreate)
    async with unit_of_work(request) as uow:
        view = await service.add_entry(
            uow,
            request.match_info["list"],
            body.number,
            body.note,
            actor=actor(request),
            region=region(request),
        )
        await commit_directory(request, uow)
    return reply(view, 201)


async def remove_entry(request: web.Request) -> web.Response:
    async with unit_of_work(request) as uow:
        await service.remove_entry(
            uow,
            request.match_info["list"],
            request.match_info["number"],
            actor=actor(request),
            region=region(request),
        )
        await commit_directory(request, uow)
    return web.Response(status=204)


async def unknown_numbers(request: web.Request) -> web.Response:
    limit = query_limit(request)
    status = query_choice(request, "status", frozenset({"open", "resolved", "all"})) or "open"
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
        view = await triage(
            uow,
            request.match_info["number"],
            action,
            actor=actor(request),
            region=region(request),
        )
        await commit_directory(request, uow)
    return reply(view)


ENDPOINTS = [
    Endpoint(
        method="GET",
        path="/api/v1/lists",
        handler=all_lists,
        roles=READERS,
        summary="All number lists with their routing action",
        tag="lists",
    ),
    Endpoint(
        method="POST",
        path="/api/v1/lists",
        handler=create_list,
        roles=ADMINS,
        summary="Create a custom list",
        tag="lists",
        body=ListCreate,
        status=201,
    ),
    Endpoint(
        method="PATCH",
        path="/api/v1/lists/{list}",
        handler=update_list,
        roles=ADMINS,
        summary="Change a list's title or routing action",
        tag="lists",
        body=ListUpdate,
    ),
    Endpoint(
        method="DELETE",
        path="/api/v1/lists/{list}",
        handler=delete_list,
        roles=ADMINS,
        summary="Delete an empty custom list",
        tag="lists",
        status=204,
    ),
    Endpoint(
        method="GET",
        path="/api/v1/lists/{list}/entries",
        handler=list_entries,
        roles=READERS,
        summary="Numbers on a list",
        tag="lists",
        query=PAGE_AFTER,
    ),
    Endpoint(
        method="POST",
        path="/api/v1/lists/{list}/entries",
        handler=add_entry,
        roles=EDITORS,
        summary="Put a number on a list",
        tag="lists",
        body=EntryCreate,
        status=201,
    ),
    Endpoint(
        method="DELETE",
        path="/api/v1/lists/{list}/entries/{number}",
        handler=remove_entry,
        roles=EDITORS,
        summary="Take a number off a list",
        tag="lists",
        status=204,
    ),
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
