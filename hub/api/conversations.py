"""Conversations with clients over HTTP: list them, read one's messages, answer in one.

A token of a person sees the conversations of his scope: those he (or his team) answers for,
and — for a supervisor — those nobody in particular does; another's is a 404. An answer is sent
as the calling person (his name on the message, his case returned), and past WhatsApp's 24-hour
window a free text is refused (409 ``window_closed``) — the template may be sent instead
(``"template": true``).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from hub.api.endpoints import LIMIT, Endpoint, Query
from hub.api.http import (
    path_int,
    principal,
    query_choice,
    query_int,
    query_limit,
    read_model,
    reply,
    unit_of_work,
)
from hub.api.scoped import MAX_OFFSET, scope_of
from hub.bootstrap.core import CLOCK
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.messengers import MESSENGERS
from hub.bootstrap.pipeline import HANDLERS
from hub.domain.errors import Forbidden, InvalidInput, NotFound
from hub.domain.people import Role
from hub.domain.scope import Scope
from hub.services.auth import EDITORS, READERS
from hub.services.conversations.replies import send_reply
from hub.services.directory.commands import Body
from hub.services.serialisers import conversation_view, message_view
from storage.models import Conversation
from storage.uow import UnitOfWork

BOOLEANS = frozenset({"true", "false"})


class ReplyRequest(Body):
    text: str = ""
    template: bool = False


def _sees(scope: Scope, conversation: Conversation, client_manager: int | None) -> bool:
    if scope.everything or scope.owns(conversation.manager_id):
        return True
    if conversation.client_id is not None and scope.sees_client(client_manager):
        return True
    return conversation.manager_id is None and scope.role != Role.MANAGER


async def _conversation(
    request: web.Request, uow: UnitOfWork, conversation_id: int
) -> Conversation:
    conversation = await uow.conversations.get(conversation_id)
    client = (
        await uow.clients.get(conversation.client_id)
        if conversation is not None and conversation.client_id
        else None
    )
    if conversation is None or not _sees(
        scope_of(request), conversation, client.manager_id if client else None
    ):
        raise NotFound(f"conversation {conversation_id} does not exist")
    return conversation


def _people(scope: Scope) -> list[int] | None:
    """Whose conversations a scope lists (None: everyone's)."""
    if scope.everything:
        return None
    return sorted({*scope.team, *([scope.person_id] if scope.person_id else [])})


async def list_conversations(request: web.Request) -> web.Response:
    limit = query_limit(request)
    offset = query_int(request, "offset", 0) or 0
    if offset > MAX_OFFSET:
        raise InvalidInput(f"offset is at most {MAX_OFFSET}", field="offset")
    awaiting = query_choice(request, "awaiting_reply", BOOLEANS)
    manager_id = query_int(request, "manager_id")
    scope = scope_of(request)
    people = _people(scope)
    if manager_id is not None:
        # Another's conversations are not asked for: outside the scope, the list is empty.
        people = [] if people is not None and manager_id not in people else [manager_id]
    async with unit_of_work(request) as uow:
        rows = await uow.conversations.list(
            client_id=query_int(request, "client_id"),
            manager_ids=people,
            awaiting=None if awaiting is None else awaiting == "true",
            limit=limit,
            offset=offset,
        )
    return reply({"items": [conversation_view(c) for c in rows]})


async def messages(request: web.Request) -> web.Response:
    conversation_id = path_int(request, "id")
    limit = query_limit(request)
    before = query_int(request, "before")
    async with unit_of_work(request) as uow:
        await _conversation(request, uow, conversation_id)
        rows = await uow.conversations.messages(conversation_id, limit=limit, before=before)
    items = [message_view(m) for m in rows]
    body: dict[str, Any] = {"items": items}
    if len(items) == limit and items:
        body["next"] = items[0]["id"]
    return reply(body)


async def answer(request: web.Request) -> web.Response:
    conversation_id = path_int(request, "id")
    body = await read_model(request, ReplyRequest)
    person_id = principal(request).person_id
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        await _conversation(request, uow, conversation_id)
        by = await uow.managers.get(person_id) if person_id is not None else None
    if person_id is not None and by is None:
        raise Forbidden("the token's person is no longer in the directory")
    message = await send_reply(
        request.app[SESSIONS],
        request.app[HANDLERS],
        conversation_id,
        body.text,
        by=by,
        now=request.app[CLOCK].now(),
        channel_types=request.app[MESSENGERS].types,
        template=body.template,
    )
    return reply(message_view(message), status=201)


ENDPOINTS = [
    Endpoint(
        method="GET",
        path="/api/v1/conversations",
        handler=list_conversations,
        roles=READERS,
        summary="Conversations with clients on the messengers, the latest first",
        tag="messengers",
        query=(
            Query(name="client_id", type="integer"),
            Query(name="manager_id", type="integer"),
            Query(name="awaiting_reply", description="true: only those waiting for a reply"),
            Query(name="offset", type="integer"),
            LIMIT,
        ),
    ),
    Endpoint(
        method="GET",
        path="/api/v1/conversations/{id}/messages",
        handler=messages,
        roles=READERS,
        summary="A conversation's messages, in and out, with their delivery state",
        tag="messengers",
        query=(Query(name="before", type="integer", description="cursor from `next`"), LIMIT),
    ),
    Endpoint(
        method="POST",
        path="/api/v1/conversations/{id}/messages",
        handler=answer,
        roles=EDITORS,
        summary="Answer the client as the calling person (or send the channel's template)",
        tag="messengers",
        body=ReplyRequest,
        status=201,
    ),
]
