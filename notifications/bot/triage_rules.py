"""Triage from a staff bot, on Telegram or on MAX, apart from the messenger: how many cards a
search offers and how long its words may be, the row that cancels, and the triage itself with
its answer in the person's words (no aiogram here; the Telegram handlers are
:mod:`notifications.bot.triage`).

The triage is the service the API uses (given in the context): audited with the person's name,
applied to routing at once, and it settles the number's case — whose alerts the outbox then
edits.
"""

from __future__ import annotations

import logging

from hub.domain.errors import Conflict, DozvonError, Forbidden, NotFound
from notifications.bot.actions import TriageAction
from notifications.bot.context import BotContext
from notifications.catalogue import Language, text
from storage.models import Manager
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
MATCHES = 8
QUERY_MAX = 100


def cancel_row(number: str, lang: Language) -> list[dict[str, str]]:
    data = TriageAction(a="cancel", n=number).pack()
    return [{"text": text("button_cancel", lang), "callback_data": data}]


async def triage_number(
    ctx: BotContext,
    staff: Manager,
    number: str,
    kind: str,
    ref: str | int,
    *,
    where: str = "Telegram",
) -> str:
    """Triage through the service; the answer to show the person (``where``: the messenger he
    did it in, for the log)."""
    lang = ctx.language
    try:
        resolution = await ctx.triage(staff, number, kind, ref)
    except Conflict:
        return text("triage_already", lang, number=number)
    except Forbidden:
        return text("triage_not_yours", lang, number=number)
    except NotFound:
        return text("triage_not_waiting", lang, number=number)
    except DozvonError as exc:
        log.info("triage of a number by manager %s refused: %s", staff.id, exc)
        return text("triage_failed", lang, number=number)
    log.info("number triaged by manager %s in %s: %s", staff.id, where, kind)
    return text("triage_done", lang, number=number, outcome=await _outcome(ctx, resolution, kind))


async def _outcome(ctx: BotContext, resolution: str, kind: str) -> str:
    """What the number is now, in words: whose card, or which list."""
    what, _, ref = resolution.partition(":")
    lang = ctx.language
    async with UnitOfWork(ctx.factory, read_only=True) as uow:
        if what == "list":
            found = await uow.lists.by_slug(ref)
            return text("triage_listed", lang, title=found.title if found else ref)
        client = await uow.clients.get(int(ref)) if ref.isdigit() else None
    name = client.name if client is not None else ref
    return text("triage_created" if kind == "new_client" else "triage_linked", lang, name=name)
