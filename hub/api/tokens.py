"""API tokens over HTTP (admin): issue one (its secret shown once), list, revoke."""

from __future__ import annotations

from aiohttp import web

from hub.api.endpoints import Endpoint
from hub.api.http import actor, path_int, read_model, reply, unit_of_work
from hub.bootstrap.auth import VERIFIER
from hub.bootstrap.core import CLOCK
from hub.services.auth import ADMINS
from hub.services.directory.commands import TokenCreate
from hub.services.directory.tokens import issue_token, revoke_token
from hub.services.serialisers import token_view


async def list_tokens(request: web.Request) -> web.Response:
    async with unit_of_work(request) as uow:
        return reply({"items": [token_view(t) for t in await uow.tokens.all()]})


async def create_token(request: web.Request) -> web.Response:
    body = await read_model(request, TokenCreate)
    async with unit_of_work(request) as uow:
        issued = await issue_token(uow, body, actor=actor(request), now=request.app[CLOCK].now())
        await uow.commit()
        view = {**token_view(issued.token), "token": issued.secret}
    request.app[VERIFIER].forget()
    return reply(view, 201)


async def delete_token(request: web.Request) -> web.Response:
    token_id = path_int(request, "id")
    async with unit_of_work(request) as uow:
        token = await revoke_token(
            uow, token_id, actor=actor(request), now=request.app[CLOCK].now()
        )
        await uow.commit()
        view = token_view(token)
    request.app[VERIFIER].forget()
    return reply(view)


ENDPOINTS = [
    Endpoint(
        method="GET",
        path="/api/v1/tokens",
        handler=list_tokens,
        roles=ADMINS,
        summary="API tokens (never their secrets)",
        tag="tokens",
    ),
    Endpoint(
        method="POST",
        path="/api/v1/tokens",
        handler=create_token,
        roles=ADMINS,
        summary="Issue a token; its secret is shown once",
        tag="tokens",
        body=TokenCreate,
        status=201,
    ),
    Endpoint(
        method="DELETE",
        path="/api/v1/tokens/{id}",
        handler=delete_token,
        roles=ADMINS,
        summary="Revoke a token",
        tag="tokens",
    ),
]
