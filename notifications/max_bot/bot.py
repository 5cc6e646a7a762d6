"""The staff bot on MAX: its webhook, its dispatch, its name.

MAX posts every update to the webhook (``POST /api/v1/max/webhook``) with the subscription's
secret in ``X-Max-Bot-Api-Secret``: a wrong or missing one is a 401 and nothing is done. An
update is claimed in the shared database before it is handled (``bot_updates``, under the
negative key :func:`~notifications.max_bot.updates.claim_key` derives), so one MAX posts again —
to this instance or another — is handled once; it is answered only after it was handled, so MAX
retries what failed: a temporary failure to talk back (a 429, a 5xx, the network) gives the
claim back and answers 503. What MAX refuses for good (the person blocked the bot) is logged and
the update counts as handled. The webhook is subscribed at start, identical from every instance,
retried in the background while MAX is unreachable.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets

from aiohttp import web

from config.settings import MaxSettings
from hub.runtime.tasks import cancel_and_wait
from notifications.bot.claims import CLAIM_STALE, CLAIMS_KEPT, FORGET_EVERY, RETRY_CAP
from notifications.bot.context import BotContext
from notifications.catalogue import text
from notifications.channels import DeliveryError, Rejected, RetryAfter, Temporary, Unreachable
from notifications.max_bot import commands, pressed
from notifications.max_bot.api import MaxBotApi
from notifications.max_bot.dialogue import Dialogue
from notifications.max_bot.talk import Chat, Press
from notifications.max_bot.updates import BadUpdate, Event, Pressed, Started, Wrote, claim_key, read
from storage.models import Manager
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Max-Bot-Api-Secret"  # noqa: S105 (a header name)
UPDATE_TYPES = ("message_created", "message_callback", "bot_started")


class MaxUnavailable(Exception):
    """MAX could not tell the bot's name (no network, wrong token)."""


class MaxStaffBot:
    def __init__(self, api: MaxBotApi, context: BotContext, settings: MaxSettings) -> None:
        self.api = api
        self._ctx = context
        self._settings = settings
        self._task: asyncio.Task[None] | None = None
        self._username: str | None = None
        self._claims = 0

    def start(self) -> None:
        """Subscribe the webhook (when there is one), in the background."""
        if self._settings.webhook_url is not None:
            self._task = asyncio.create_task(self._subscribe(), name="max-staff-subscription")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def username(self) -> str:
        """The bot's name for invite links (asked from MAX once)."""
        if self._username is None:
            try:
                me = await self.api.me()
            except DeliveryError as exc:
                raise MaxUnavailable(f"MAX did not answer GET /me: {exc}") from exc
            name = me.get("username")
            if not isinstance(name, str) or not name:
                raise MaxUnavailable("MAX's GET /me gave no username for the bot")
            self._username = name
        return self._username

    async def _subscribe(self) -> None:
        url, secret = self._settings.webhook_url, self._settings.webhook_secret
        # The settings insist on a secret with an address.
        assert url is not None
        assert secret is not None
        delay = 1.0
        while True:
            try:
                await self.api.subscribe(url, UPDATE_TYPES, secret.get_secret_value())
            except DeliveryError as exc:
                log.warning("MAX webhook subscription failed, retrying in %.0f s: %s", delay, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_CAP)
                continue
            log.info("MAX staff webhook subscribed at %s", url)
            return

    # -- the webhook ------------------------------------------------------------------------

    async def feed(self, request: web.Request) -> web.Response:
        """One update posted by MAX: checked, claimed, handled, then acknowledged."""
        secret = self._settings.webhook_secret
        if secret is None:
            raise web.HTTPNotFound()
        given = request.headers.get(SECRET_HEADER, "")
        if not secrets.compare_digest(given.encode(), secret.get_secret_value().encode()):
            log.warning("MAX staff webhook: wrong or missing %s", SECRET_HEADER)
            raise web.HTTPUnauthorized(reason=f"wrong or missing {SECRET_HEADER}")
        try:
            update = json.loads(await request.read())
            event = read(update)
        except (ValueError, UnicodeDecodeError) as exc:  # BadUpdate is a ValueError
            reason = str(exc) if isinstance(exc, BadUpdate) else "the body is not JSON"
            raise web.HTTPBadRequest(reason=f"not a MAX update: {reason}") from exc
        if event is None:
            return web.json_response({})  # an update type the staff bot does not act on
        key = claim_key(update)
        if not await self._claim(key):
            return web.json_response({})  # MAX posted it again: once is enough
        try:
            await self.handle(event)
        except (RetryAfter, Temporary) as exc:
            await self._settle(key, handled=False)
            log.warning("MAX staff update not handled, MAX will post it again: %s", exc)
            raise web.HTTPServiceUnavailable(reason="MAX could not be answered now") from exc
        except BaseException:
            await self._settle(key, handled=False)
            raise
        await self._settle(key, handled=True)
        return web.json_response({})

    async def _claim(self, key: int) -> bool:
        """Take the update in the database, which every instance behind the webhook shares."""
        async with UnitOfWork(self._ctx.factory) as uow:
            taken = await uow.bot_updates.claim(key, self._ctx.clock.now(), CLAIM_STALE)
            await uow.commit()
        return taken

    async def _settle(self, key: int, *, handled: bool) -> None:
        """Mark it handled, or give it back so MAX's next attempt is handled."""
        now = self._ctx.clock.now()
        async with UnitOfWork(self._ctx.factory) as uow:
            if handled:
                await uow.bot_updates.handled(key, now)
            else:
                await uow.bot_updates.release(key)
            self._claims += 1
            if self._claims % FORGET_EVERY == 0:
                await uow.bot_updates.forget(now - CLAIMS_KEPT)
            await uow.commit()

    # -- the dispatch -----------------------------------------------------------------------

    async def handle(self, event: Event) -> None:
        """Whoever it is from, do what he asks; MAX refusing to take our answer for good (he
        blocked the bot, a press too old to answer) ends it."""
        try:
            await self._dispatch(event)
        except (Unreachable, Rejected) as exc:
            log.warning(
                "MAX did not take the staff bot's answer to user %s: %s", event.user_id, exc
            )

    async def _dispatch(self, event: Event) -> None:
        ctx = self._ctx
        chat = Chat(self.api, event.user_id, ctx.language)
        staff = await self._staff(event.user_id)
        dialogue = Dialogue(ctx.factory, ctx.clock, event.user_id)
        if isinstance(event, Started):
            await commands.start(ctx, chat, staff, event.payload)
        elif isinstance(event, Pressed):
            press = Press(chat, event.callback_id, event.payload)
            if staff is None:
                await press.notify(text("bot_refusal", ctx.language))
                return
            await pressed.on_press(ctx, press, staff, dialogue)
            await press.ack()  # answered once, whatever the button did
        elif isinstance(event, Wrote):
            if staff is None:
                await commands.stranger_wrote(ctx, chat, event)
            else:
                await commands.staff_wrote(ctx, chat, staff, dialogue, event)

    async def _staff(self, user_id: int) -> Manager | None:
        """The active person bound to this MAX user, or None."""
        async with UnitOfWork(self._ctx.factory, read_only=True) as uow:
            found = await uow.managers.by_max_user(user_id)
        return found if found is not None and found.active else None
