"""Click-to-call from a staff bot, on Telegram or on MAX, apart from the messenger: a failed
call's refusal in the person's words (no aiogram here; the Telegram handler is
:mod:`notifications.bot.calling`)."""

from __future__ import annotations

from hub.domain.errors import DozvonError, InvalidInput, NotFound
from notifications.catalogue import Language, text


def call_refusal(exc: DozvonError, lang: Language, number: str) -> str:
    """The failure in the person's words (the details are in the log)."""
    if isinstance(exc, InvalidInput | NotFound) and exc.field != "number":
        return text("call_no_extension", lang)
    if isinstance(exc, InvalidInput):
        return text("call_bad_number", lang, number=number)
    return text("call_failed", lang)
