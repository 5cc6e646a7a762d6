"""Zadarma's user API, called for click-to-call: ``GET /v1/request/callback/``.

Zadarma rings ``from`` (the manager's extension) first and, once he answers, dials ``to`` (the
client, international digits); ``sip`` names the extension the call is placed as, so its caller
id, recording and statistics apply. The request is signed with the account's key and secret
(``verify.api_authorization``); Zadarma answers ``{"status": "success", "from", "to", "time"}`` or
``{"status": "error", "message": ...}``. It gives no id of the call it places: the call is
reported like one the manager dialled himself — ``NOTIFY_OUT_START``/``NOTIFY_OUT_END`` with
``internal`` = the extension and ``destination`` = the client — which ``parse`` reads as an
outbound call by that manager to the client.
"""

from __future__ import annotations

import json

import aiohttp

from connectors.zadarma.settings import ZadarmaSettings
from connectors.zadarma.verify import api_authorization, api_query
from hub.domain.originate import OriginateFailed, OriginateRequest

CALLBACK = "/v1/request/callback/"


def callback_params(request: OriginateRequest) -> dict[str, str]:
    """The query of one callback request (``format`` too: it is signed like the rest)."""
    return {
        "from": request.extension,
        "to": request.number.lstrip("+"),
        "sip": request.extension,
        "format": "json",
    }


class ZadarmaCallback:
    """Click-to-call through one Zadarma (or Novofon) account's user API."""

    def __init__(self, name: str, config: ZadarmaSettings, session: aiohttp.ClientSession) -> None:
        if config.api_key is None:
            raise ValueError(f"{name}: click-to-call needs api_key")
        self._name = name
        self._config = config
        self._key = config.api_key
        self._session = session

    @property
    def name(self) -> str:
        return self._name

    async def originate(self, request: OriginateRequest) -> str | None:
        config = self._config
        params = callback_params(request)
        secret = config.api_secret.get_secret_value()
        headers = {"Authorization": api_authorization(self._key, secret, CALLBACK, params)}
        url = f"{config.api_base.rstrip('/')}{CALLBACK}?{api_query(params)}"
        timeout = aiohttp.ClientTimeout(total=config.request_timeout.total_seconds())
        try:
            async with self._session.get(url, headers=headers, timeout=timeout) as response:
                text = await response.text()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise OriginateFailed(f"Zadarma's API could not be reached ({exc})") from exc
        try:
            answer = json.loads(text)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise OriginateFailed(f"Zadarma's API answered {status} without JSON")
        if status >= 400 or answer.get("status") != "success":
            reason = str(answer.get("message") or f"HTTP {status}")[:200]
            raise OriginateFailed(f"Zadarma refused the callback: {reason}")
        return None
