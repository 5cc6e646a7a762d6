"""Number lists and their entries over HTTP.

A token of a person puts a number on a list only if no other team still has it to triage or to
call back: such a number is a 403 naming it, and nothing changes (``hub/bootstrap/commits.py``)."""

from __future__ import annotations

from aiohttp import web

from hub.api.endpoints import PAGE_AFTER, Endpoint
from hub.api.http import (
    actor,
    commit_directory,
    page,
    query_int,
    query_limit,
    read_model,
    region,
    reply,
    unit_of_work,
)
from hub.services.auth import ADMINS, EDITORS, READERS
from hub.services.directory import lists as service
from hub.services.directory.commands import EntryCreate, ListCreate, ListUpdate
from hub.services.serialisers import entry_view, list_view


async def all_lists(request: web.Request) -> web.Response:
    async with unit_of_work(request) as uow:
        lists = await uow.lists.all()
        items = [list_view(lst, await uow.lists.entry_count(lst.id)) for lst in lists]
    return reply({"items": items})


async def create_list(request: web.Request) -> web.Response:
    body = await read_model(request, ListCreate)
    async with unit_of_work(request) as uow:
        number_list = await service.create_list(uow, body, actor=actor(request))
        await commit_directory(request, uow)
        return reply(list_view(number_list), 201)


async def update_list(request: web.Request) -> web.Response:
    body = await read_model(request, ListUpdate)
    async with unit_of_work(request) as uow:
        number_list = await service.update_list(
            uow, request.match_info["list"], body, actor=actor(request)
        )
        await commit_directory(request, uow)
        return reply(list_view(number_list))


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
        entry = await service.add_entry(
            uow,
            request.match_info["list"],
            body.number,
            body.note,
            actor=actor(request),
            region=region(request),
        )
        slug = request.match_info["list"]
        await commit_directory(request, uow, settles={entry.number: f"list:{slug}"})
        return reply(entry_view(entry, slug), 201)


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
]
