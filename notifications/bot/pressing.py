"""The staff bot's filter that routes a pressed button to its handler by the button's data
(:mod:`notifications.button_data`), as aiogram's ``CallbackData.filter`` does: the handler gets
the unpacked data as ``callback_data``."""

from __future__ import annotations

from typing import Any, Literal

from aiogram.filters import Filter
from aiogram.types import CallbackQuery
from magic_filter import MagicFilter

from notifications.button_data import ButtonData


class Pressed(Filter):
    """A button of ``data``'s kind, whose data ``rule`` accepts (any, without one)."""

    def __init__(self, data: type[ButtonData], rule: MagicFilter | None = None) -> None:
        self.data = data
        self.rule = rule

    async def __call__(self, query: CallbackQuery) -> Literal[False] | dict[str, Any]:
        if not isinstance(query, CallbackQuery) or not query.data:
            return False
        try:
            found = self.data.unpack(query.data)
        except (TypeError, ValueError):
            return False
        if self.rule is None or self.rule.resolve(found):
            return {"callback_data": found}
        return False
