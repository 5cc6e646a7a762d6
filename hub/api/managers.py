"""Managers and absences over HTTP."""

from __future__ import annotations

from aiohttp import web

from hub.api.endpoints import Endpoint, Query
from hub.api.http import (
    actor,
    commit_directory,
    path_int,
    read_model,
    region,
    reply,
    unit_of_work,
)
from hub.bootstrap.core import CLOCK
from hub.services.auth import ADMINS, READERS
from hub.services.directory import managers as service
from hub.services.directory.commands import AbsenceCreate, ManagerCreate, ManagerUpdate
from hub.services.directory.reassign import ManagerReassign, reassign
from hub.services.serialisers import absence_view, manager_view


async def list_managers(request: web.Request) -> web.Response:
    active = request.query.get("active")
    flag = None if active in (None, "") else active.lower() in ("1", "true", "yes")
    async with unit_of_work(request) as uow:
        found = await uow.managers.list(active=flag)
        return reply({"items": [manager_view(m) for m in found]})


async def create_manager(request: web.Request) -> web.Response:
    body = await read_model(request, ManagerCreate)
    async with unit_of_work(request) as uow:
        manager = await service.create_manager(
            uow, body, actor=actor(request), region=region(request)
        )
        await commit_directory(request, uow)
        return reply(manager_view(manager), 201)


async def get_manager(request: web.Request) -> web.Response:
    async with unit_of_work(request) as uow:
        manager = await service.get_manager(uow, path_int(request, "id"))
        return reply(manager_view(manager))


async def update_manager(request: web.Request) -> web.Response:
    manager_id = path_int(request, "id")
    body = await read_model(request, ManagerUpdate)
    async with unit_of_work(request) as uow:
        manager = await service.update_manager(
            uow, manager_id, body, actor=actor(request), region=region(request)
        )
        await commit_directory(request, uow)
        return reply(manager_view(manager))


async def delete_manager(request: web.Request) -> web.Response:
    manager_id = path_int(request, "id")
    async with unit_of_work(request) as uow:
        await service.delete_manager(uow, manager_id, actor=actor(request))
        await commit_directory(request, uow)
    return web.Response(status=204)


async def reassign_manager(request: web.Request) -> web.Response:
    manager_id = path_int(request, "id")
    body = await read_model(request, ManagerReassign)
    only = None if body.clients == "all" else body.clients
    async with unit_of_work(request) as uow:
        done = await reassign(
            uow,
            manager_id,
            body.to,
            clients=only,
            actor=actor(request),
            now=request.app[CLOCK].now(),
        )
        await commit_directory(request, uow, handed=done.handed)
    return reply(done.view())


async def list_absences(request: web.Request) -> web.Response:
    manager_id = path_int(request, "id")
    async with unit_of_work(request) as uow:
        await service.get_manager(uow, manager_id)
        return reply({"items": [absence_view(a) for a in await uow.managers.absences(manager_id)]})


async def add_absence(request: web.Request) -> web.Response:
    manager_id = path_int(request, "id")
    body = await read_model(request, AbsenceCreate)
    async with unit_of_work(request) as uow:
        absence = await service.add_absence(uow, manager_id, body, actor=actor(request))
        await commit_directory(request, uow)
        return reply(absence_view(absence), 201)


async def delete_absence(request: web.Request) -> web.Response:
    absence_id = path_int(request, "id")
    async with unit_of_work(request) as uow:
        await service.delete_absence(uow, absence_id, actor=actor(request))
        await commit_directory(request, uow)
    return web.Response(status=204)


ENDPOINTS = [
    Endpoint(
        method="GET",
        path="/api/v1/managers",
        handler=list_managers,
        roles=READERS,
        summary="List managers",
        tag="managers",
        query=(Query(name="active", type="boolean"),),
    ),
    Endpoint(
        method="POST",
        path="/api/v1/managers",
        handler=create_manager,
        roles=ADMINS,
        summary="Create a manager",
        tag="managers",
        body=ManagerCreate,
        status=201,
    ),
    Endpoint(
        method="GET",
        path="/api/v1/managers/{id}",
        handler=get_manager,
        roles=READERS,
        summary="Read a manager",
        tag="managers",
    ),
    Endpoint(
        method="PATCH",
        path="/api/v1/managers/{id}",
        handler=update_manager,
        roles=ADMINS,
        summary="Change a manager",
        tag="managers",
        body=ManagerUpdate,
    ),
    Endpoint(
        method="DELETE",
        path="/api/v1/managers/{id}",
        handler=delete_manager,
        roles=ADMINS,
        summary="Remove a manager without clients or subordinates",
        tag="managers",
        status=204,
    ),
    Endpoint(
        method="POST",
        path="/api/v1/managers/{id}/reassign",
        handler=reassign_manager,
        roles=ADMINS,
        summary="Hand a manager's clients (all or some), open cases and queued numbers to another",
        tag="managers",
        body=ManagerReassign,
    ),
    Endpoint(
        method="GET",
        path="/api/v1/managers/{id}/absences",
        handler=list_absences,
        roles=READERS,
        summary="A manager's absences",
        tag="managers",
    ),
    Endpoint(
        method="POST",
        path="/api/v1/managers/{id}/absences",
        handler=add_absence,
        roles=ADMINS,
        summary="Record an absence with a substitute",
        tag="managers",
        body=AbsenceCreate,
        status=201,
    ),
    Endpoint(
        method="DELETE",
        path="/api/v1/absences/{id}",
        handler=delete_absence,
        roles=ADMINS,
        summary="Cancel an absence",
        tag="managers",
        status=204,
    ),
]
