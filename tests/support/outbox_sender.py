"""An outbox sender delivering to the stand-in Bot API, as the service builds one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiogram import Bot
from aiohttp.test_utils import TestServer

from hub.domain.clock import SystemClock
from notifications.channels import Channel, ConsoleChannel
from notifications.sender import OutboxSender, SenderPolicy
from notifications.telegram import TelegramChannel, create_bot
from storage.db import SessionFactory
from storage.uow import UnitOfWork


def stand_in_sender(
    factory: SessionFactory, server: TestServer, policy: SenderPolicy
) -> tuple[OutboxSender, Bot]:
    """A sender whose Telegram channel talks to the stand-in at ``server`` (others: the log),
    and its bot, whose session the test closes."""
    bot = create_bot("123456:TEST", api_base=str(server.make_url("")).rstrip("/"))
    channels: dict[str, Channel] = {"console": ConsoleChannel(), "telegram": TelegramChannel(bot)}
    return OutboxSender(factory, channels, policy, SystemClock()), bot


async def queued_sender(
    factory: SessionFactory,
    server: TestServer,
    rows: list[dict[str, Any]],
    *,
    per_chat_interval: float,
    global_rate: float,
    poll_interval: float,
    max_backoff: float = 1,
) -> tuple[OutboxSender, Bot]:
    """``rows`` queued in the outbox, and a stand-in sender (not started) with these limits."""
    async with UnitOfWork(factory) as uow:
        await uow.outbox.enqueue(rows)
        await uow.commit()
    policy = SenderPolicy(
        per_chat_interval=per_chat_interval,
        global_rate=global_rate,
        max_backoff=max_backoff,
        dead_after=timedelta(hours=1),
        poll_interval=poll_interval,
    )
    return stand_in_sender(factory, server, policy)
