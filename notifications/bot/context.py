"""What every staff-bot handler is given: the services it acts through, and who is writing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import (
    CallbackQuery,
    Message,
    TelegramObject,
    User,
)

from hub.domain.clock import Clock
from hub.domain.people import Redemption
from notifications.catalogue import Language
from storage.db import SessionFactory
from storage.models import Manager
from storage.uow import UnitOfWork


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


class StaffMiddleware(BaseMiddleware):
    """Puts ``staff`` (the manager bound to this private chat, or None) into the handler data."""

    def __init__(self, factory: SessionFactory) -> None:
        self._factory = factory

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat_id = _private_chat(event)
        staff = None
        if chat_id is not None:
            async with UnitOfWork(self._factory, read_only=True) as uow:
                found = await uow.managers.by_chat(chat_id)
            staff = found if found is not None and found.active else None
        data["staff"] = staff
        return await handler(event, data)


def _private_chat(event: TelegramObject) -> int | None:
    if isinstance(event, Message):
        return event.chat.id if event.chat.type == "private" else None
    if isinstance(event, CallbackQuery):
        user: User = event.from_user
        return user.id
    return None


async def staff_only(event: TelegramObject, staff: Manager | None = None) -> bool:
    return staff is not None
