"""Who is writing to the staff bot on Telegram: the manager bound to the private chat, put into
each handler's data by a middleware, and the filter that lets only staff through."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, User

from storage.db import SessionFactory
from storage.models import Manager
from storage.uow import UnitOfWork


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
