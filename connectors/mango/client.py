"""Mango's API, called back: ``commands/route`` puts a ringing call through to an extension.

Routing at Mango is asynchronous: the event that shows a call ringing is answered at once, and the
command goes out in a task of its own, over the app's one HTTP session, with a timeout per request
and a few attempts (a 5xx or a network error is tried again; any other answer is final). A call
is routed once however often its events repeat. The tasks are the client's own: ``close()``
cancels those still running, so none outlives the app.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections import OrderedDict

import aiohttp

from connectors.mango.settings import MangoSettings
from connectors.mango.verify import command_form
from hub.runtime.tasks import cancel_and_wait

log = logging.getLogger(__name__)
ATTEMPTS = 3
ROUTED_KEEP = 5000  # calls remembered as routed already


class RouteCommands:
    """Sends ``commands/route`` to one Mango account: once per call, in the background."""

    def __init__(self, config: MangoSettings, session: aiohttp.ClientSession) -> None:
        self._config = config
        self._session = session
        self._routed: OrderedDict[str, None] = OrderedDict()
        self._tasks: set[asyncio.Task[None]] = set()

    def submit(self, entry_id: str, leg: str, extension: str) -> None:
        """Route the call ``entry_id`` (its ringing ``leg``) to ``extension``, unless it was."""
        if entry_id in self._routed:
            return
        self._routed[entry_id] = None
        while len(self._routed) > ROUTED_KEEP:
            self._routed.popitem(last=False)
        task = asyncio.create_task(self._send(leg, extension), name=f"mango-route-{entry_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        """Cancel the commands still being sent and wait until they have stopped."""
        for task in list(self._tasks):
            await cancel_and_wait(task)

    async def _send(self, leg: str, extension: str) -> None:
        config = self._config
        command = {"command_id": secrets.token_hex(8), "call_id": leg, "to_number": extension}
        form = command_form(config.api_key, config.api_salt.get_secret_value(), command)
        url = config.api_url.rstrip("/") + "/commands/route"
        timeout = aiohttp.ClientTimeout(total=config.request_timeout.total_seconds())
        for attempt in range(1, ATTEMPTS + 1):
            try:
                async with self._session.post(url, data=form, timeout=timeout) as response:
                    if response.status < 500:
                        if response.status >= 400:
                            log.warning("mango refused commands/route: %s", response.status)
                        return
            except (aiohttp.ClientError, TimeoutError) as exc:
                log.warning("mango commands/route attempt %d failed: %s", attempt, exc)
            await asyncio.sleep(0.2 * attempt)
        log.warning("mango commands/route for %s gave up after %d attempts", leg, ATTEMPTS)
