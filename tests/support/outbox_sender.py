"""An outbox sender delivering to the stand-in Bot API, as the service builds one."""

from __future__ import annotations

from aiogram import Bot
from aiohttp.test_utils import TestServer

from hub.domain.clock import SystemClock
from notifications.channels import Channel, ConsoleChannel
from notifications.sender import OutboxSender, SenderPolicy
from notifications.telegram import TelegramChannel, create_bot
from storage.db import SessionFactory


def stand_in_sender(
    factory: SessionFactory, server: TestServer, policy: SenderPolicy
) -> tuple[OutboxSender, Bot]:
    """A sender whose Telegram channel talks to the stand-in at ``server`` (others: the log),
    and its bot, whose session the test closes."""
    bot = create_bot("123456:TEST", api_base=str(server.make_url("")).rstrip("/"))
    channels: dict[str, Channel] = {"console": ConsoleChannel(), "telegram": TelegramChannel(bot)}
    return OutboxSender(factory, channels, policy, SystemClock()), bot
