"""Long polling: one ``getUpdates`` from an offset, each update read as a webhook post would be.

An offset confirms every update below it (https://core.telegram.org/bots/api#getupdates): the
hub asks again from the offset a poll returns only once it has stored what the poll brought, so
a crash in between brings the same updates again, and their message ids store them once. The
updates are taken as Telegram's own JSON (not aiogram's models) and go through the same
:func:`~connectors.telegram.parse.parse_update` as a webhook post. One update that cannot be read
is logged and passed over, so that it does not hold back every later one.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram.methods import TelegramMethod

from config.settings import ConnectorSection
from connectors.errors import PayloadError
from connectors.messaging import Delivery, Incoming, Messenger, Polled
from connectors.telegram.bot import REQUEST_TIMEOUT, UPDATES, messenger
from connectors.telegram.parse import parse_update
from connectors.telegram.settings import telegram_settings

log = logging.getLogger(__name__)


class RawUpdates(TelegramMethod[list[dict[str, Any]]]):
    """``getUpdates`` answered with the updates as Telegram wrote them."""

    __returning__ = list[dict[str, Any]]
    __api_method__ = "getUpdates"

    offset: int | None = None
    timeout: int | None = None
    allowed_updates: list[str] | None = None


async def poll(section: ConnectorSection, client: Messenger, offset: int | None) -> Polled:
    """One long poll from ``offset``: the messages it brought and the next poll's offset (the
    same offset when nothing came)."""
    settings = telegram_settings(section)
    bot = messenger(client)
    wait = int(settings.polling_timeout.total_seconds())
    method = RawUpdates(offset=offset, timeout=wait, allowed_updates=UPDATES)
    updates = await bot.request(method, REQUEST_TIMEOUT + wait)
    messages: list[Incoming] = []
    last: int | None = None
    for update in updates:
        update_id = update.get("update_id")
        if isinstance(update_id, int) and (last is None or update_id > last):
            last = update_id
        try:
            messages += parse_update(update)
        except PayloadError as exc:
            log.warning("telegram client bot: update %s passed over: %s", update_id, exc)
    return Polled(
        delivery=Delivery(messages=tuple(messages)),
        offset=offset if last is None else last + 1,
    )
