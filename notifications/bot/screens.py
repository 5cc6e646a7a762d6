"""What the staff bots show, read from the database and rendered by ``views.py``: the lists of
/missed and /team, a client's card, the numbers of /unknown — each a text with its button rows,
the same on Telegram and on MAX.

Nothing is sent inside a transaction: on SQLite it would hold every writer up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hub.domain.people import Role
from hub.domain.unknown import UnknownStatus
from notifications.alerts import load_audience
from notifications.bot import views
from notifications.bot.context import BotContext
from notifications.buttons import Buttons, contact_row, triage_row
from notifications.catalogue import text
from storage.models import CallbackCase, Manager
from storage.uow import UnitOfWork

# A card shows call and WhatsApp buttons for this many of the client's phones.
BUTTON_PHONES = 3
UNKNOWN_LIMIT = 10


@dataclass(frozen=True, slots=True)
class Screen:
    text: str
    buttons: Buttons = field(default_factory=list)


def _conversation_ids(cases: Sequence[CallbackCase]) -> list[int]:
    return [c.conversation_id for c in cases if c.kind == "message" and c.conversation_id]


async def missed(ctx: BotContext, staff: Manager) -> Screen:
    """His own open cases, oldest first, with «Перезвонил» (and «Позвонить») buttons."""
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        cases = await uow.cases.active_of([staff.id])
        audience = await load_audience(uow, cases)
        talks = await uow.conversations.many(_conversation_ids(cases))
    if not cases:
        return Screen(text("missed_none", ctx.language))
    body, buttons = views.case_list(
        "missed_title",
        cases,
        clients=audience.clients,
        managers=None,
        language=ctx.language,
        zone=ctx.zone,
        can_call=ctx.can_call(),
        conversations=talks,
    )
    return Screen(body, buttons)


async def team(ctx: BotContext, staff: Manager) -> Screen:
    """His team's open cases (everybody's for a director or an admin), each with its person."""
    lang = ctx.language
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        members: list[int] | None = None  # None: everybody's cases
        if staff.role not in (Role.DIRECTOR, Role.ADMIN):
            subordinates = await uow.managers.subordinates(staff.id)
            members = [staff.id, *(m.id for m in subordinates)] if subordinates else []
        cases = await uow.cases.active_of(members) if members != [] else []
        audience = await load_audience(uow, cases)
        talks = await uow.conversations.many(_conversation_ids(cases))
    if members == []:
        return Screen(text("team_nobody", lang))
    if not cases:
        return Screen(text("team_none", lang))
    body, buttons = views.case_list(
        "team_title",
        cases,
        clients=audience.clients,
        managers=audience.managers,
        language=lang,
        zone=ctx.zone,
        can_call=ctx.can_call(),
        conversations=talks,
    )
    return Screen(body, buttons)


async def card(ctx: BotContext, client_id: int) -> Screen | None:
    """The client's card with call and WhatsApp buttons for his first phones; None when there
    is no such client."""
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        client = await uow.clients.get(client_id) if client_id else None
        if client is None:
            return None
        phones = await uow.clients.phones(client.id)
        calls = await uow.calls.page(numbers=phones, limit=views.RECENT_CALLS) if phones else []
        managers = {m.id: m for m in await uow.managers.list()}
        active = await uow.cases.active_for(phones)
        case = next(iter(active.values()), None) or await uow.cases.active_of_client(client.id)
        messages = await uow.conversations.recent_of_clients([client.id], views.RECENT_MESSAGES)
    body = views.card(
        client,
        phones=phones,
        owner=managers.get(client.manager_id or 0),
        calls=calls,
        managers=managers,
        case=case,
        language=ctx.language,
        zone=ctx.zone,
        messages=messages,
    )
    rows = [contact_row(p, ctx.language, can_call=ctx.can_call()) for p in phones[:BUTTON_PHONES]]
    return Screen(body, [row for row in rows if row])


async def unknown(ctx: BotContext, staff: Manager) -> list[Screen]:
    """His numbers waiting for triage, oldest first, each with its buttons; after a title."""
    lang = ctx.language
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        waiting = await uow.unknown.page(
            status=UnknownStatus.OPEN, manager_id=staff.id, oldest_skip=0, limit=UNKNOWN_LIMIT
        )
    if not waiting:
        return [Screen(text("unknown_none", lang))]
    now = ctx.clock.now()
    screens = [Screen(text("unknown_title", lang, count=len(waiting)))]
    for entry in waiting:
        body = text(
            "unknown_line",
            lang,
            number=entry.number,
            calls=entry.calls,
            days=(now - entry.first_seen).days,
        )
        rows = [
            contact_row(entry.number, lang, can_call=ctx.can_call()),
            triage_row(entry.number, lang),
        ]
        screens.append(Screen(body, [row for row in rows if row]))
    return screens
