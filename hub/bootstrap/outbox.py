"""Telling people: the alert, prompt and relay writers, the outbox sender and the channels it
delivers through (Telegram, MAX and e-mail, each when configured; the log always)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from aiohttp import web

from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.http_client import HTTP_CLIENT
from hub.bootstrap.links import LINKS
from notifications.alerts import Alerts
from notifications.channels import Channel, ConsoleChannel
from notifications.prompts import Prompts
from notifications.relay import Relays
from notifications.sender import OutboxSender, SenderPolicy
from storage.db import SessionFactory
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from aiogram import Bot

ALERTS = web.AppKey("alerts", Alerts)
PROMPTS = web.AppKey("prompts", Prompts)
SENDER = web.AppKey("sender", OutboxSender)
RELAYS = web.AppKey("relays", Relays)
# What people call each kind of messenger, in the header of a relayed message.
TITLES = {"telegram": "Telegram", "max": "MAX", "vk": "VK", "whatsapp": "WhatsApp"}
# The staff bot's aiogram Bot, when a token is set (aiogram is imported only then).
BOT: web.AppKey[Bot] = web.AppKey("bot")


async def outbox(app: web.Application) -> AsyncIterator[None]:
    settings, clock = app[SETTINGS], app[CLOCK]
    telegram_settings = settings.telegram
    app[ALERTS], app[PROMPTS] = case_writers(app)
    console = ConsoleChannel()
    telegram: Channel = console
    bot = None
    if telegram_settings.token is not None:
        from notifications.telegram import TelegramChannel, create_bot

        bot = create_bot(
            telegram_settings.token.get_secret_value(),
            api_base=telegram_settings.api_base,
            proxy=telegram_settings.proxy,
        )
        telegram = TelegramChannel(bot)
        app[BOT] = bot
    app[RELAYS] = Relays(
        telegram_settings.language,
        clock,
        {name: TITLES.get(m.type, m.type) for name, m in settings.messengers.items()},
    )
    channels: dict[str, Channel] = {"console": console, "telegram": telegram}
    if settings.max.token is not None:
        from notifications.max import MaxChannel

        channels["max"] = MaxChannel(settings.max, app[HTTP_CLIENT])
    if settings.email.host:
        from notifications.email import EmailChannel

        channels["email"] = EmailChannel(settings.email, _addresses(app[SESSIONS]))
    policy = settings.outbox
    sender = OutboxSender(
        app[SESSIONS],
        channels,
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


def case_writers(app: web.Application) -> tuple[Alerts, Prompts]:
    """What writes the alerts about cases and the «who was it?» prompts into the outbox."""
    settings, clock = app[SETTINGS], app[CLOCK]
    language, zone = settings.telegram.language, ZoneInfo(settings.company.timezone)
    alerts = Alerts(language, zone, settings.escalation.after.total_seconds(), clock)
    prompts = Prompts(language, zone, clock)
    alerts.recording_link = prompts.recording_link = app[LINKS].recording
    return alerts, prompts


def _addresses(factory: SessionFactory) -> Callable[[int], Awaitable[str | None]]:
    """The e-mail address of a person (the e-mail channel's "chat" is the person's id)."""

    async def address_of(manager_id: int) -> str | None:
        async with UnitOfWork(factory, read_only=True) as uow:
            person = await uow.managers.get(manager_id)
            return person.email if person is not None else None

    return address_of
