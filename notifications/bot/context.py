"""What every staff-bot handler is given: the services it acts through (on Telegram and on MAX;
who is writing on Telegram is :mod:`notifications.bot.staff`'s)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import tzinfo

from hub.domain.clock import Clock
from hub.domain.people import Redemption
from notifications.catalogue import Language
from storage.db import SessionFactory
from storage.models import Manager


@dataclass(frozen=True, slots=True)
class BotContext:
    """What the handlers need from the service."""

    factory: SessionFactory
    # The services the bot acts through (the same the API and the console use):
    # close_case(person, case id, reason) and redeem(code, chat id); triage and click-to-call.
    close_case: Callable[[Manager, int, str], Awaitable[object]]
    redeem: Callable[[str, int], Awaitable[Redemption]]
    clock: Clock
    language: Language
    zone: tzinfo
    # triage(person, number, "link" | "new_client" | "list", client id | name | list id) → what
    # the number now is (``client:<id>`` or ``list:<slug>``); raises the service's errors.
    triage: Callable[[Manager, str, str, str | int], Awaitable[str]]
    # originate(person, number): the PBX rings the person's phone, then the number.
    originate: Callable[[Manager, str], Awaitable[object]]
    # Whether a PBX can place calls now.
    can_call: Callable[[], bool]
    # password_link(person): a one-time link to set his console password, or None when the
    # service has no public address to put in it.
    password_link: Callable[[Manager], Awaitable[str | None]] | None = None
    # answer(person, conversation id, text, template?): his reply to a client is queued; returns
    # whom it goes to (a name); raises the service's errors (WindowClosed past WhatsApp's 24 h).
    answer: Callable[[Manager, int, str, bool], Awaitable[str]] | None = None
    # answer_file(person, conversation id, kind, file name, content, caption): a file to the
    # client, as ``answer``; files over ``max_file_size`` bytes are refused before download.
    answer_file: Callable[[Manager, int, str, str, bytes, str], Awaitable[str]] | None = None
    max_file_size: int = 20 * 1024 * 1024
    # redeem_max(code, MAX user id): an invite opened in the staff bot on MAX binds his MAX user.
    redeem_max: Callable[[str, int], Awaitable[Redemption]] | None = None
