"""Closing a case by hand from a staff bot, on Telegram or on MAX, apart from the messenger:
whether the person may, which reason a button chose, the close itself and its answer in his
words (no aiogram here; the Telegram handlers are :mod:`notifications.bot.closing`).

The close itself is the service every edge uses (given in the context), so the alerts are
edited and the audit log written the same way as from the API.
"""

from __future__ import annotations

import logging

from hub.domain.cases import CaseNotActive, MayNotClose, is_active, may_close
from hub.domain.digits import plain_digits
from hub.domain.errors import NotFound
from notifications.bot.context import BotContext
from notifications.catalogue import Language, text
from storage.models import Manager
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
REASON_MAX = 500


def reason_choice(data: str | None) -> tuple[int, str]:
    """``reason:<case id>:<key>`` → (case id, key); nonsense gives (0, "")."""
    parts = (data or "").split(":")
    if len(parts) != 3 or not plain_digits(parts[1]):
        return 0, ""
    return int(parts[1]), parts[2]


async def refusal(uow: UnitOfWork, lang: Language, staff: Manager, case_id: int) -> str | None:
    """Why ``staff`` may not close this case, or None if he may (asked before the reasons are
    offered; the close itself asks again, with the case locked)."""
    case = await uow.cases.get(case_id) if case_id else None
    if case is None:
        return text("close_missing", lang, id=case_id)
    if not is_active(case.status):
        return _already(lang, case_id, case.status)
    if not may_close(staff.role, staff.id, *await uow.cases.responsible(case)):
        return text("close_forbidden", lang)
    return None


def _already(lang: Language, case_id: int, status: str) -> str:
    return text("close_already", lang, id=case_id, status=text(f"status_{status}", lang))


async def close_by_hand(
    ctx: BotContext, staff: Manager, case_id: int, reason: str, *, where: str = "Telegram"
) -> tuple[bool, str]:
    """Close the case by hand; whether it closed, and the answer to show the person (``where``:
    the messenger he pressed it in, for the log)."""
    lang = ctx.language
    try:
        await ctx.close_case(staff, case_id, reason)
    except NotFound:
        return False, text("close_missing", lang, id=case_id)
    except CaseNotActive as exc:
        return False, _already(lang, case_id, exc.case_status)
    except MayNotClose:
        return False, text("close_forbidden", lang)
    log.info("callback case %s closed by manager %s in %s", case_id, staff.id, where)
    return True, text("close_done", lang, id=case_id, reason=reason)
