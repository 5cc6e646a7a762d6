"""The staff bot's life: updates by long polling (default) or by webhook, and the bot's name.

Polling handles one update at a time and confirms it only by asking for the next ones, so an
update being handled when the service stops comes again. In webhook mode every instance checks
Telegram's ``X-Telegram-Bot-Api-Secret-Token`` and answers only after the update was handled, so
Telegram retries what failed; an update is claimed in the shared database before it is handled,
so one Telegram posts again — to this instance or another — is handled once; the webhook is
(re)registered at start, identical from every instance. Telegram being unreachable never holds
the service up: registration retries in the background.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

from config.settings import TelegramSettings
from hub.runtime.tasks import cancel_and_wait
from notifications.bot.claims import CLAIM_STALE, CLAIMS_KEPT, FORGET_EVERY, RETRY_CAP
from notifications.bot.context import BotContext
from notifications.bot.dialogues import DialogueReset
from notifications.bot.errors import BotUnavailable
from notifications.bot.handlers import build_router
from notifications.bot.staff import StaffMiddleware
from notifications.bot.storage import DatabaseStorage
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
UPDATES = ["message", "callback_query"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
# How long polling may take to wind down gracefully before it is simply cancelled.
STOP_GRACE = 5.0


class StaffBot:
    def __init__(self, bot: Bot, context: BotContext, settings: TelegramSettings) -> None:
        self.bot = bot
        self._settings = settings
        self._clock = context.clock
        self.dispatcher = Dispatcher(
            storage=DatabaseStorage(context.factory, context.clock), ctx=context
        )
        middleware, reset = StaffMiddleware(context.factory), DialogueReset()
        for observer in (self.dispatcher.message, self.dispatcher.callback_query):
            observer.outer_middleware(middleware)
            observer.outer_middleware(reset)
        # A router per dispatcher: aiogram refuses to attach one router twice.
        self.dispatcher.include_router(build_router())
        self._task: asyncio.Task[None] | None = None
        self._username: str | None = None
        self._factory = context.factory
        self._claims = 0

    @property
    def webhook(self) -> bool:
        return self._settings.mode == "webhook"

    def start(self) -> None:
        run = self._webhook() if self.webhook else self._poll()
        self._task = asyncio.create_task(run, name=f"telegram-{self._settings.mode}")

    async def stop(self) -> None:
        if self._task is not None and not self.webhook:
            # RuntimeError: polling had not started (yet).
            with contextlib.suppress(RuntimeError, TimeoutError):
                async with asyncio.timeout(STOP_GRACE):
                    await self.dispatcher.stop_polling()
        await cancel_and_wait(self._task)
        self._task = None

    async def username(self) -> str:
        """The bot's @name for invite links (asked from Telegram once)."""
        if self._username is None:
            try:
                me = await self.bot.get_me()
            except Exception as exc:
                raise BotUnavailable(f"Telegram did not answer getMe: {exc}") from exc
            self._username = me.username or str(me.id)
        return self._username

    async def _registered(self, call: Any, what: str) -> None:
        delay = 1.0
        while True:
            try:
                await call()
                return
            except Exception as exc:
                log.warning("telegram %s failed, retrying in %.0f s: %s", what, delay, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_CAP)

    async def _poll(self) -> None:
        # A webhook left from an earlier deployment would make getUpdates fail.
        await self._registered(
            lambda: self.bot.delete_webhook(drop_pending_updates=False), "deleteWebhook"
        )
        await self.dispatcher.start_polling(
            self.bot,
            polling_timeout=max(int(self._settings.polling_timeout.total_seconds()), 1),
            handle_as_tasks=False,
            handle_signals=False,
            close_bot_session=False,
            allowed_updates=UPDATES,
        )

    async def _webhook(self) -> None:
        assert self._settings.webhook_url is not None
        assert self._settings.webhook_secret is not None
        url, secret = self._settings.webhook_url, self._settings.webhook_secret.get_secret_value()
        await self._registered(
            lambda: self.bot.set_webhook(url, secret_token=secret, allowed_updates=UPDATES),
            "setWebhook",
        )
        log.info("telegram webhook registered at %s", url)

    async def feed(self, request: web.Request) -> web.Response:
        """One update posted by Telegram: checked, handled, then acknowledged."""
        secret = self._settings.webhook_secret
        given = request.headers.get(SECRET_HEADER, "")
        if not self.webhook or secret is None:
            raise web.HTTPNotFound()
        if not secrets.compare_digest(given.encode(), secret.get_secret_value().encode()):
            raise web.HTTPUnauthorized(reason=f"wrong or missing {SECRET_HEADER}")
        try:
            update = Update.model_validate(await request.json(), context={"bot": self.bot})
        except (ValueError, ValidationError) as exc:
            raise web.HTTPBadRequest(reason=f"not a Telegram update: {exc}") from exc
        update_id = update.update_id
        if not await self._claim(update_id):
            return web.json_response({})  # Telegram posted it again: once is enough
        try:
            await self.dispatcher.feed_update(self.bot, update)
        except BaseException:
            await self._settle(update_id, handled=False)
            raise
        await self._settle(update_id, handled=True)
        return web.json_response({})

    async def _claim(self, update_id: int) -> bool:
        """Take the update in the database, which every instance behind the webhook shares."""
        async with UnitOfWork(self._factory) as uow:
            taken = await uow.bot_updates.claim(update_id, self._clock.now(), CLAIM_STALE)
            await uow.commit()
        return taken

    async def _settle(self, update_id: int, *, handled: bool) -> None:
        """Mark it handled, or give it back so Telegram's next attempt is handled."""
        now = self._clock.now()
        async with UnitOfWork(self._factory) as uow:
            if handled:
                await uow.bot_updates.handled(update_id, now)
            else:
                await uow.bot_updates.release(update_id)
            self._claims += 1
            if self._claims % FORGET_EVERY == 0:
                await uow.bot_updates.forget(now - CLAIMS_KEPT)
            await uow.commit()
