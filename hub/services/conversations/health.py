"""Watching the clients' channels: a channel that silently stops delivering loses clients.

Every hour each messenger is asked how its delivery to the hub goes (``Messenger.health``): a
webhook the channel dropped — MAX unsubscribes a bot after 8 hours of failed deliveries — is
subscribed again, and Telegram's own last error while updates pile up is read. What is wrong
goes to the admin's chat, once a day per problem, and to the log.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from connectors.messaging import Messenger
from hub.domain.delivery import DeliveryError
from notifications.catalogue import Language, text
from notifications.rows import chat_row
from storage.db import SessionFactory
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


async def check_channels(
    factory: SessionFactory,
    channels: Mapping[str, tuple[Messenger, str | None]],
    *,
    admin_chat_id: int | None,
    language: Language,
    now: datetime,
) -> int:
    """Ask each channel (its client, the hub's webhook address for it); returns how many have
    something wrong."""
    problems: list[tuple[str, str]] = []
    for name, (messenger, webhook_url) in sorted(channels.items()):
        try:
            problem = await messenger.health(webhook_url)
        except (DeliveryError, OSError) as exc:
            problem = f"its API did not answer ({exc})"
        if problem:
            log.warning("messenger %s: %s", name, problem)
            problems.append((name, problem))
    if problems and admin_chat_id is not None:
        rows = [
            chat_row(
                f"channel-trouble:{name}:{now.date().isoformat()}:{problem}"[:200],
                admin_chat_id,
                "notice",
                text("channel_trouble", language, name=name, problem=problem),
                now=now,
            )
            for name, problem in problems
        ]
        async with UnitOfWork(factory) as uow:
            await uow.outbox.enqueue(rows)
            await uow.commit()
    return len(problems)
