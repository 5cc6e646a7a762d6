"""A person's console access over HTTP: an admin sets his password, or makes him a one-time
link to set it himself (the link is absolute with ``http.public_url``, else with the address
the request came to)."""

from __future__ import annotations

from aiohttp import web

from hub.api.endpoints import Endpoint
from hub.api.http import actor, path_int, read_model, reply, unit_of_work
from hub.bootstrap.console import GUARD
from hub.bootstrap.core import CLOCK, SETTINGS
from hub.domain.logins import password_link
from hub.services.auth import ADMINS
from hub.services.directory.managers import get_manager
from hub.services.logins.accounts import set_password
from hub.services.logins.commands import PasswordLinkCreate, PasswordSet
from hub.services.logins.links import issue_link
from hub.services.serialisers import iso


async def put_password(request: web.Request) -> web.Response:
    manager_id = path_int(request, "id")
    body = await read_model(request, PasswordSet)
    async with unit_of_work(request) as uow:
        manager = await get_manager(uow, manager_id)
        await set_password(
            uow,
            request.app[GUARD].passwords,
            manager,
            body.password,
            actor=actor(request),
            login=body.login,
        )
        await uow.commit()
        return reply({"id": manager.id, "login": manager.login, "extension": manager.extension})


async def create_password_link(request: web.Request) -> web.Response:
    manager_id = path_int(request, "id")
    body = await read_model(request, PasswordLinkCreate)
    base = request.app[SETTINGS].http.public_url or str(request.url.origin())
    async with unit_of_work(request) as uow:
        code, link = await issue_link(
            uow, manager_id, actor=actor(request), now=request.app[CLOCK].now(), login=body.login
        )
        await uow.commit()
    return reply(
        {
            "manager_id": manager_id,
            "link": password_link(base, code),
            "expires_at": iso(link.expires_at),
        },
        201,
    )


ENDPOINTS = [
    Endpoint(
        method="PUT",
        path="/api/v1/managers/{id}/password",
        handler=put_password,
        roles=ADMINS,
        summary="Set a person's console password (and login); his sessions end",
        tag="managers",
        body=PasswordSet,
    ),
    Endpoint(
        method="POST",
        path="/api/v1/managers/{id}/password-link",
        handler=create_password_link,
        roles=ADMINS,
        summary="A one-time link for a person to set his console password ({} or a login)",
        tag="managers",
        body=PasswordLinkCreate,
        status=201,
    ),
]
