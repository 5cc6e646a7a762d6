"""Long polling for the clients' messengers that poll (a Telegram client bot in ``polling``
mode): what a poll brought is stored and relayed before the next poll confirms it, so a crash
between the two only fetches it again. Started once the pipeline's handlers exist."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from hub.bootstrap.core import CLOCK
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.messengers import MESSENGERS, Configured
from hub.bootstrap.pipeline import HANDLERS
from hub.domain.delivery import DeliveryError
from hub.services.conversations.intake import receive

log = logging.getLogger(__name__)
# After a failed poll, wait this long (doubling up to the cap) before the next.
POLL_BACKOFF = 1.0
POLL_BACKOFF_MAX = 60.0


async def polls(app: web.Application) -> AsyncIterator[None]:
    """Long polling for the channels that poll: what a poll brought is stored (and relayed)
    before the next poll confirms it, so a crash between the two only fetches it again."""
    found = app[MESSENGERS]
    for configured in found.channels.values():
        if configured.spec.poll is not None and configured.spec.polls(configured.section):
            found.polls.append(asyncio.create_task(_poll(app, configured)))
    yield
    for task in found.polls:
        task.cancel()
    for task in found.polls:
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _poll(app: web.Application, configured: Configured) -> None:
    found, clock = app[MESSENGERS], app[CLOCK]
    poll = configured.spec.poll
    assert poll is not None
    with contextlib.suppress(DeliveryError, OSError):
        await configured.client.start(None)
    offset: int | None = None
    backoff = POLL_BACKOFF
    while True:
        try:
            polled = await poll(configured.section, configured.client, offset)
            delivery = polled.delivery
            if delivery.messages or delivery.statuses:
                await receive(
                    app[SESSIONS],
                    app[HANDLERS],
                    configured.name,
                    delivery,
                    found.policy,
                    now=clock.now(),
                    phone_prompt=found.prompt(configured.name),
                )
            offset = polled.offset
            backoff = POLL_BACKOFF
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("messenger %s: polling failed; trying again", configured.name)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, POLL_BACKOFF_MAX)
