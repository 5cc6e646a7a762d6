"""Mango's API, called back: ``commands/route`` puts a ringing call through to an extension;
``commands/callback`` places a click-to-call (:class:`MangoCallback`).

Routing at Mango is asynchronous: the event that shows a call ringing is answered at once, and the
command goes out in a task of its own, over the app's one HTTP session, with a timeout per request
and a few attempts (a 5xx or a network error is tried again; any other answer is final). A call
is routed once however often its events repeat. The tasks are the client's own: ``close()``
cancels those still running, so none outlives the app.

A click-to-call is one request, answered while the manager waits: Mango rings his extension,
then dials the number. Its ``command_id`` is the request's mark, which the call's events repeat
(``parse`` reads them as an outbound call by that manager to the client); the outcome comes
later to ``/result/callback``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections import OrderedDict

import aiohttp

from connectors.mango.settings import MangoSettings
from connectors.mango.verify import command_form
from hub.domain.originate import OriginateFailed, OriginateRequest
from hub.runtime.tasks import cancel_and_wait

log = logging.getLogger(__name__)
ATTEMPTS = 3
ROUTED_KEEP = 5000  # calls remembered as routed already
ACCEPTED = 1000  # Mango's result code of a command it took


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


class MangoCallback:
    """Click-to-call through one Mango account: ``commands/callback``."""

    def __init__(self, name: str, config: MangoSettings, session: aiohttp.ClientSession) -> None:
        self._name = name
        self._config = config
        self._session = session

    @property
    def name(self) -> str:
        return self._name

    def command(self, request: OriginateRequest) -> dict[str, object]:
        command: dict[str, object] = {
            "command_id": request.mark,
            "from": {"extension": request.extension},
            "to_number": request.number.lstrip("+"),
        }
        if self._config.callback_line_number:
            command["line_number"] = self._config.callback_line_number
        return command

    async def originate(self, request: OriginateRequest) -> str | None:
        config = self._config
        form = command_form(
            config.api_key, config.api_salt.get_secret_value(), self.command(request)
        )
        url = config.api_url.rstrip("/") + "/commands/callback"
        timeout = aiohttp.ClientTimeout(total=config.request_timeout.total_seconds())
        try:
            async with self._session.post(url, data=form, timeout=timeout) as response:
                text, status = await response.text(), response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise OriginateFailed(f"Mango's API could not be reached ({exc})") from exc
        try:
            answer = json.loads(text) if text.strip() else {}
        except ValueError:
            answer = {}
        result = answer.get("result") if isinstance(answer, dict) else None
        if status >= 400 or (result is not None and str(result) != str(ACCEPTED)):
            raise OriginateFailed(
                f"Mango refused commands/callback: HTTP {status}, result {result}"
            )
        return request.mark
