"""``/clients/{id}``: a client's card — phones, status, manager, notes, the calls with their
recordings (played through signed links, ``hub/services/links.py``), the client's conversations
on the messengers with a reply form for each (``client_conversations.py``,
``client_replies.py``) — and its changes: the card's fields, a phone added or removed. Every
change goes through the directory's services with the person's name (audited as the API's are);
a refused one shows the card again with the problem named, having changed nothing.

A client outside the person's scope is the same 404 as a client that does not exist: an id in a
URL reveals nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from hub.bootstrap.commits import commit_directory
from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.links import LINKS
from hub.console.access import Handler, field, page, person, scope, see_other
from hub.console.client_conversations import ReplyProblem, conversation_context
from hub.console.client_forms import (
    Choice,
    Refused,
    assignable,
    card_values,
    may_assign,
    service_refusal,
    validated,
)
from hub.console.render import message, render
from hub.domain.client_status import ClientStatus
from hub.domain.digits import record_id
from hub.domain.errors import DozvonError
from hub.domain.recordings import recording_path
from hub.domain.scope import Scope
from hub.services.directory.clients import (
    ClientCard,
    add_phone,
    read_client,
    remove_phone,
    update_client,
)
from hub.services.directory.commands import ClientUpdate
from storage.uow import UnitOfWork

CALLS = 50  # the latest calls a card shows
DONE = ("saved", "created", "restored", "phone_added", "phone_removed", "reply_queued")

Change = Callable[[UnitOfWork, ClientCard, Scope], Awaitable[ClientCard]]


def client_id(request: web.Request) -> int:
    """The card the address names (0, which is no card, for an id no record can have)."""
    return record_id(request.match_info["id"]) or 0


def missing(request: web.Request) -> web.Response:
    """The page of a client that does not exist or is not the person's."""
    me = person(request)
    return message(request, "clients_missing_title", "clients_missing", status=404, person=me)


async def visible_card(uow: UnitOfWork, sees: Scope, wanted: int) -> ClientCard | None:
    """The card ``wanted`` when it exists and ``sees`` covers it."""
    client = await uow.clients.get(wanted) if wanted <= 2**31 - 1 else None
    if client is None or not sees.sees_client(client.manager_id):
        return None
    return await read_client(uow, wanted)


async def _calls(
    request: web.Request, uow: UnitOfWork, card: ClientCard, names: Mapping[int, str]
) -> list[dict[str, Any]]:
    """The card's latest calls as its history shows them, newest first."""
    if not card.phones:
        return []
    zone = ZoneInfo(request.app[SETTINGS].company.timezone)
    links = request.app[LINKS]
    rows = []
    for call in await uow.calls.page(numbers=card.phones, limit=CALLS):
        path = recording_path(call.id if call.recording_url else None)
        rows.append(
            {
                "at": call.started_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
                "direction": call.direction,
                "outcome": call.outcome or "ongoing",
                "number": call.external_number or "",
                "manager": names.get(call.manager_id or 0, call.extension or ""),
                "recording": links.signed(path) if path else None,
            }
        )
    return rows


async def card_page(
    request: web.Request,
    wanted: int,
    *,
    refused: Refused | None = None,
    posted: Mapping[str, object] | None = None,
    typed: str = "",
    reply: ReplyProblem | None = None,
) -> web.Response:
    """The card (with ``refused``'s problem and the fields as ``posted``, a 400, when a change
    was refused; with ``reply``'s, when a reply was)."""
    me, sees = person(request), await scope(request)
    zone = ZoneInfo(request.app[SETTINGS].company.timezone)
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        card = await visible_card(uow, sees, wanted)
        if card is None:
            return missing(request)
        managers = list(await uow.managers.list())
        names = {m.id: m.name for m in managers}
        calls = await _calls(request, uow, card, names)
        talks = await conversation_context(request, uow, wanted, zone=zone, names=names)
    client = card.client
    form = {
        "name": client.name,
        "notes": client.notes,
        "status": client.status,
        "manager_id": str(client.manager_id or ""),
    }
    if posted is not None:
        form.update({key: field(posted, key) for key in form})
    choices = assignable(sees, managers)
    current = next((m for m in managers if m.id == client.manager_id), None)
    if current is not None and all(c.id != current.id for c in choices):
        choices.insert(0, Choice(current.id, current.name))
    done = request.query.get("done", "")
    context = {
        "client": client,
        "phones": [(n, card.extensions.get(n, "")) for n in card.phones],
        "manager": current.name if current is not None else None,
        "calls": calls,
        "form": form,
        "choices": choices,
        "nobody": sees.owns(None) or client.manager_id is None,
        "statuses": list(ClientStatus),
        "error": refused,
        "typed": typed,
        "done": done if done in DONE else "",
        "reply": reply,
        **talks,
    }
    failed = refused is not None or reply is not None
    return render(request, "client_card.html", context, person=me, status=400 if failed else 200)


async def card(request: web.Request) -> web.StreamResponse:
    return await card_page(request, client_id(request))


async def change(request: web.Request, act: Change, done: str, typed: str = "") -> web.Response:
    """Apply ``act`` to the card, commit it audited with the person's name and go back to the
    card; a refusal shows the card with the problem, nothing changed."""
    me, sees, wanted = person(request), await scope(request), client_id(request)
    posted = await request.post()
    try:
        async with UnitOfWork(request.app[SESSIONS]) as uow:
            card = await visible_card(uow, sees, wanted)
            if card is None:
                return missing(request)
            changed = await act(uow, card, sees)
            await commit_directory(
                request.app,
                uow,
                actor=me.name,
                settles=changed.owned(),
                scope=sees,
                handed=changed.handed,
            )
    except Refused as refused:
        return await card_page(request, wanted, refused=refused, posted=posted, typed=typed)
    except DozvonError as exc:
        said = service_refusal(exc, typed)
        return await card_page(request, wanted, refused=said, posted=posted, typed=typed)
    return see_other(f"/clients/{wanted}?done={done}")


async def edit(request: web.Request) -> web.StreamResponse:
    posted = await request.post()
    me = person(request)

    async def act(uow: UnitOfWork, card: ClientCard, sees: Scope) -> ClientCard:
        values = card_values(posted)
        if values["manager_id"] != card.client.manager_id and not may_assign(
            sees, await uow.managers.list(), values["manager_id"]
        ):
            raise Refused("clients_error_manager")
        body = validated(ClientUpdate, values)
        settings = request.app[SETTINGS]
        return await update_client(
            uow,
            card.client.id,
            body,
            actor=me.name,
            region=settings.phone.default_region,
            now=request.app[CLOCK].now(),
        )

    return await change(request, act, "saved")


def _phone_change(service: Callable[..., Awaitable[ClientCard]], done: str) -> Handler:
    """A handler that adds or removes the posted ``number`` with ``service``."""

    async def handler(request: web.Request) -> web.StreamResponse:
        number = field(await request.post(), "number").strip()[:64]
        me = person(request)

        async def act(uow: UnitOfWork, card: ClientCard, _: Scope) -> ClientCard:
            region = request.app[SETTINGS].phone.default_region
            return await service(uow, card.client.id, number, actor=me.name, region=region)

        return await change(request, act, done, number)

    return handler


phone_added = _phone_change(add_phone, "phone_added")
phone_removed = _phone_change(remove_phone, "phone_removed")


ROUTES = [
    web.get(r"/clients/{id:\d+}", page(card)),
    web.post(r"/clients/{id:\d+}/edit", page(edit)),
    web.post(r"/clients/{id:\d+}/phones", page(phone_added)),
    web.post(r"/clients/{id:\d+}/phones/remove", page(phone_removed)),
]
