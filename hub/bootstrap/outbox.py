"""Telling people: the alert and prompt writers, the outbox sender and the channels it delivers
through."""

from __future__ import annotations

from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiohttp import web

from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.links import LINKS
from notifications.alerts import Alerts
from notifications.channels import Channel, ConsoleChannel
from notifications.prompts import Prompts
from notifications.sender import OutboxSender, SenderPolicy
from notifications.telegram import TelegramChannel, create_bot

ALERTS = web.AppKey("alerts", Alerts)
PROMPTS = web.AppKey("prompts", Prompts)
SENDER = web.AppKey("sender", OutboxSender)
# The staff bot's aiogram Bot, when a token is set.
BOT = web.AppKey("bot", Bot)


async def outbox(app: web.Application) -> AsyncIterator[None]:
    settings, clock = app[SETTINGS], app[CLOCK]
    telegram_settings = settings.telegram
    app[ALERTS] = Alerts(
        telegram_settings.language,
        ZoneInfo(settings.company.timezone),
        settings.escalation.after.total_seconds(),
        clock,
    )
    app[PROMPTS] = Prompts(telegram_settings.language, ZoneInfo(settings.company.timezone), clock)
    app[ALERTS].recording_link = app[PROMPTS].recording_link = app[LINKS].recording
    console = ConsoleChannel()
    telegram: Channel = console
    bot = None
    if telegram_settings.token is not None:
        bot = create_bot(
            telegram_settings.token.get_secret_value(),
            api_base=telegram_settings.api_base,
            proxy=telegram_settings.proxy,
        )
        telegram = TelegramChannel(bot)
        app[BOT] = bot
    policy = settings.outbox
    sender = OutboxSender(
        app[SESSIONS],
        {"console": console, "telegram": telegram},
        SenderPolicy(
            per_chat_interval=policy.per_chat_interval.total_seconds(),
            global_rate=policy.global_rate,
            max_backoff=policy.max_backoff.total_seconds(),
            dead_after=policy.dead_after,
            poll_interval=policy.poll_interval.total_seconds(),
        ),
        clock,
        admin_chat_id=telegram_settings.admin_chat_id,
        language=telegram_settings.language,
    )
    app[SENDER] = sender
    sender.start()
    yield
    await sender.stop()
    if bot is not None:
        await bot.session.close()
