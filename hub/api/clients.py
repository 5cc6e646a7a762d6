"""Client cards, their phones, history and versions over HTTP.

A token of a person sees the cards of his scope (``hub/api/scoped.py``): another team's card is
a 404, the list leaves it out, and a card may not be given to a manager outside the scope."""

from __future__ import annotations

from collections.abc import Sequence

from aiohttp import web

from hub.api.endpoints import PAGE_AFTER, PAGE_BEFORE, Endpoint, Query
from hub.api.http import (
    actor,
    commit_directory,
    page,
    path_int,
    query_int,
    query_limit,
    query_phone,
    query_status,
    query_text,
    read_model,
    region,
    reply,
    unit_of_work,
)
from hub.api.scoped import may_give, own_only, scope_of
from hub.bootstrap.core import CLOCK, SETTINGS
from hub.domain.client_status import ClientStatus
from hub.domain.errors import NotFound
from hub.services import sales
from hub.services.auth import EDITORS, READERS
from hub.services.client_status import StatusRules
from hub.services.directory import clients as service
from hub.services.directory.commands import (
    ClientCreate,
    ClientUpdate,
    PhoneAdd,
    RestoreRequest,
    SaleCreate,
)
from hub.services.scope import kept
from hub.services.serialisers import call_view, client_view, sale_view, version_view
from storage.models import Client
from storage.uow import UnitOfWork


async def in_scope(request: web.Request, uow: UnitOfWork, client_id: int) -> None:
    """A card outside the token's scope is as if it did not exist (a deleted card's scope is
    that of its last version)."""
    scope = scope_of(request)
    if scope.everything:
        return
    client = await uow.clients.get(client_id)
    if client is not None:
        owner = client.manager_id
    else:
        numbered = await service.versions(uow, client_id)
        last = numbered[-1][1]
        owner = (last.after or last.before or {}).get("manager_id")
    if not scope.sees_client(owner):
        raise NotFound(f"client {client_id} does not exist")


async def list_clients(request: web.Request) -> web.Response:
    limit = query_limit(request)
    scope = scope_of(request)
    manager_id = query_int(request, "manager_id")
    name, phone = query_text(request, "name"), query_phone(request, "phone")
    status = query_status(request, frozenset(ClientStatus))
    after = query_int(request, "after", 0) or 0
    mine = own_only(request)
    if mine is not None and manager_id not in (None, mine):
        return reply(page([], limit, "after"))
    async with unit_of_work(request) as uow:

        async def fetch(last: Client | None, size: int) -> Sequence[Client]:
            return await uow.clients.page(
                manager_id=mine if manager_id is None else manager_id,
                name=name,
                phone=phone,
                status=status,
                after_id=after if last is None else last.id,
                limit=size,
            )

        keep = None if scope.everything else (lambda c: scope.sees_client(c.manager_id))
        found = await kept(fetch, keep, limit)
        phones = await uow.clients.phones_of(c.id for c in found.rows)
        extensions = await uow.clients.extensions_of(phones)
        items = [client_view(c, phones[c.id], extensions[c.id]) for c in found.rows]
    return reply(page(items, limit, "after", resume=found.resume))


async def create_client(request: web.Request) -> web.Response:
    body = await read_model(request, ClientCreate)
    mine = own_only(request)
    if body.manager_id is None and mine is not None:
        # A manager's card is his own unless he says otherwise (else he would not see it).
        body = body.model_copy(update={"manager_id": mine})
    may_give(request, body.manager_id)
    async with unit_of_work(request) as uow:
        card = await service.create_client_from(
            uow, body, actor=actor(request), region=region(request), now=request.app[CLOCK].now()
        )
        await commit_directory(request, uow, settles=card.owned(), handed=card.handed)
        return reply(card.view(), 201)


async def get_client(request: web.Request) -> web.Response:
    client_id = path_int(request, "id")
    async with unit_of_work(request) as uow:
        await in_scope(request, uow, client_id)
        card = await service.read_client(uow, client_id)
        return reply(card.view())


async def update_client(request: web.Request) -> web.Response:
    client_id = path_int(request, "id")
    body = await read_model(request, ClientUpdate)
    async with unit_of_work(request) as uow:
        await in_scope(request, uow, client_id)
        card = await service.update_client(
            uow,
            client_id,
            body,
            actor=actor(request),
            region=region(request),
            now=request.app[CLOCK].now(),
        )
        may_give(request, card.client.manager_id)
        await commit_directory(request, uow, settles=card.owned(), handed=card.handed)
        return reply(card.view())


async def delete_client(request: web.Request) -> web.Response:
    client_id = path_int(request, "id")
    async with unit_of_work(request) as uow:
        await in_scope(request, uow, client_id)
        await service.delete_client(uow, client_id, actor=actor(request))
        await commit_directory(request, uow)
    return web.Response(status=204)


async def add_phone(request: web.Request) -> web.Response:
    client_id = path_int(request, "id")
    body = await read_model(request, PhoneAdd)
    async with unit_of_work(request) as uow:
        await in_scope(request, uow, client_id)
        card = await service.add_phone(
            uow, client_id, body.number, actor=actor(request), region=region(request)
        )
        await commit_directory(request, uow, settles=card.owned(), handed=card.handed)
        return reply(card.view(), 201)


async def remove_phone(request: web.Request) -> web.Response:
    client_id = path_int(request, "id")
    async with unit_of_work(request) as uow:
        await in_scope(request, uow, client_id)
        card = await service.remove_phone(
            uow,
            client_id,
            request.match_info["number"],
            actor=actor(request),
            region=region(request),
        )
        await commit_directory(request, uow, settles=card.owned(), handed=card.handed)
        return reply(card.view())


async def client_calls(request: web.Request) -> web.Response:
    client_id = path_int(request, "id")
    limit = query_limit(request)
    async with unit_of_work(request) as uow:
        await in_scope(request, uow, client_id)
        await service.get_client(uow, client_id)
        numbers = await uow.clients.phones(client_id)
        calls = await uow.calls.page(
            numbers=numbers, before_id=query_int(request, "before"), limit=limit
        )
        return reply(page([call_view(c) for c in calls], limit, "before"))


async def add_sale(request: web.Request) -> web.Response:
    client_id = path_int(request, "id")
    body = await read_model(request, SaleCreate)
    async with unit_of_work(request) as uow:
        await in_scope(request, uow, client_id)
        sale = await sales.add_sale(
            uow,
            client_id,
            body,
            actor=actor(request),
            now=request.app[CLOCK].now(),
            rules=StatusRules.of(request.app[SETTINGS]),
        )
        await uow.commit()
        return reply(sale_view(sale), 201)


async def client_sales(request: web.Request) -> web.Response:
    client_id = path_int(request, "id")
    async with unit_of_work(request) as uow:
        await in_scope(request, uow, client_id)
        found = await sales.client_sales(uow, client_id)
        return reply({"items": [sale_view(s) for s in found]})


async def client_versions(request: web.Request) -> web.Response:
    client_id = path_int(request, "id")
    async with unit_of_work(request) as uow:
        await in_scope(request, uow, client_id)
        numbered = await service.versions(uow, client_id)
        return reply({"items": [version_view(n, e) for n, e in reversed(numbered)]})


async def restore_client(request: web.Request) -> web.Response:
    client_id = path_int(request, "id")
    body = await read_model(request, RestoreRequest)
    async with unit_of_work(request) as uow:
        await in_scope(request, uow, client_id)
        card = await service.restore_client(
            uow, client_id, body.version, actor=actor(request), now=request.app[CLOCK].now()
        )
        may_give(request, card.client.manager_id)
        await commit_directory(request, uow, settles=card.owned(), handed=card.handed)
        return reply(card.view())


ENDPOINTS = [
    Endpoint(
        method="GET",
        path="/api/v1/clients",
        handler=list_clients,
        roles=READERS,
        summary="List clients",
        tag="clients",
        query=(
            Query(name="manager_id", type="integer"),
            Query(name="name", description="a part of the name, in any case"),
            Query(name="phone", description="one of the card's phones, in any format"),
            Query(name="status", description="potential, new, regular, lapsed, churned or all"),
            *PAGE_AFTER,
        ),
    ),
    Endpoint(
        method="POST",
        path="/api/v1/clients",
        handler=create_client,
        roles=EDITORS,
        summary="Create a client card",
        tag="clients",
        body=ClientCreate,
        status=201,
    ),
    Endpoint(
        method="GET",
        path="/api/v1/clients/{id}",
        handler=get_client,
        roles=READERS,
        summary="Read a client card",
        tag="clients",
    ),
    Endpoint(
        method="PATCH",
        path="/api/v1/clients/{id}",
        handler=update_client,
        roles=EDITORS,
        summary="Change a client card (phones replace the list)",
        tag="clients",
        body=ClientUpdate,
    ),
    Endpoint(
        method="DELETE",
        path="/api/v1/clients/{id}",
        handler=delete_client,
        roles=EDITORS,
        summary="Delete a client card (restorable)",
        tag="clients",
        status=204,
    ),
    Endpoint(
        method="POST",
        path="/api/v1/clients/{id}/phones",
        handler=add_phone,
        roles=EDITORS,
        summary="Add a phone to a client",
        tag="clients",
        body=PhoneAdd,
        status=201,
    ),
    Endpoint(
        method="DELETE",
        path="/api/v1/clients/{id}/phones/{number}",
        handler=remove_phone,
        roles=EDITORS,
        summary="Remove a phone from a client",
        tag="clients",
    ),
    Endpoint(
        method="GET",
        path="/api/v1/clients/{id}/calls",
        handler=client_calls,
        roles=READERS,
        summary="The client's interaction history",
        tag="clients",
        query=PAGE_BEFORE,
    ),
    Endpoint(
        method="POST",
        path="/api/v1/clients/{id}/sales",
        handler=add_sale,
        roles=EDITORS,
        summary="Record a purchase (recomputes the client's status)",
        tag="clients",
        body=SaleCreate,
        status=201,
    ),
    Endpoint(
        method="GET",
        path="/api/v1/clients/{id}/sales",
        handler=client_sales,
        roles=READERS,
        summary="The client's purchases, newest first",
        tag="clients",
    ),
    Endpoint(
        method="GET",
        path="/api/v1/clients/{id}/versions",
        handler=client_versions,
        roles=READERS,
        summary="Every recorded version of the card",
        tag="clients",
    ),
    Endpoint(
        method="POST",
        path="/api/v1/clients/{id}/restore",
        handler=restore_client,
        roles=EDITORS,
        summary="Restore the card to an earlier version",
        tag="clients",
        body=RestoreRequest,
    ),
]
