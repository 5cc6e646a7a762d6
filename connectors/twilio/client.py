"""Twilio's REST API, called for click-to-call: ``POST /2010-04-01/Accounts/{sid}/Calls.json``.

Built with the official ``twilio`` package (``Client.calls.create_async``) over the app's one
aiohttp session: :class:`SessionHttpClient` is the package's asynchronous HTTP client, sending to
``api_base`` (Twilio's, or a stand-in) with HTTP basic auth of the account SID and auth token.

Twilio calls the manager first — his SIP phone ``sip:<extension>@<sip_domain>``, else his
mobile — from ``caller_id``; when he answers, the inline TwiML ``<Dial>``s the client, showing
``caller_id``. The Dial's ``action`` and the call's status callback are our hooks with the
request's mark in the query, so ``parse`` reads the call as outbound by that manager to the
client, answered when the client answers.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import AsyncHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from connectors.twilio.answer import dial
from connectors.twilio.settings import TwilioSettings
from hub.domain.originate import OriginateFailed, OriginateRequest

log = logging.getLogger(__name__)


# The package ships no type information: its client class is Any to mypy.
class SessionHttpClient(AsyncHttpClient):  # type: ignore[misc]
    """The ``twilio`` package's async HTTP client over an aiohttp session, aimed at ``base``."""

    def __init__(self, session: aiohttp.ClientSession, base: str, timeout: float) -> None:
        super().__init__(log, True, timeout)
        self._session = session
        self._base = base.rstrip("/")

    async def request(
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the package's interface passes it
        allow_redirects: bool = False,
    ) -> Response:
        parts = urlsplit(uri)
        url = self._base + parts.path + (f"?{parts.query}" if parts.query else "")
        sent = dict(headers or {})
        if auth:
            sent["Authorization"] = aiohttp.encode_basic_auth(*auth)
        limit = aiohttp.ClientTimeout(total=timeout or self.timeout)
        async with self._session.request(
            method,
            url,
            params=_plain(params),
            data=_plain(data),
            headers=sent,
            timeout=limit,
            allow_redirects=allow_redirects,
        ) as answer:
            return Response(answer.status, await answer.text(), dict(answer.headers))


def _plain(values: dict[str, object] | None) -> list[tuple[str, str]] | None:
    """Form values as aiohttp sends them; a list value repeats its name, as Twilio expects."""
    if values is None:
        return None
    pairs: list[tuple[str, str]] = []
    for key, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, str(item)))
    return pairs


class TwilioCalls:
    """Click-to-call through one Twilio account; ``hooks`` is its hooks' public base URL."""

    def __init__(
        self, name: str, config: TwilioSettings, session: aiohttp.ClientSession, hooks: str
    ) -> None:
        if not (config.account_sid and config.caller_id):
            raise ValueError(f"{name}: click-to-call needs account_sid and caller_id")
        self._name = name
        self._config = config
        self._caller_id = config.caller_id
        self._hooks = hooks.rstrip("/")
        http = SessionHttpClient(session, config.api_base, config.request_timeout.total_seconds())
        self._client: Any = Client(
            config.account_sid,
            config.auth_token.get_secret_value(),
            http_client=http,
            environment={},
        )

    @property
    def name(self) -> str:
        return self._name

    def manager_phone(self, request: OriginateRequest) -> str:
        if self._config.sip_domain:
            return f"sip:{request.extension}@{self._config.sip_domain}"
        if request.mobile:
            return request.mobile
        raise OriginateFailed(
            "Twilio rings a manager's SIP phone (sip_domain) or his mobile: neither is known"
        )

    def twiml(self, request: OriginateRequest) -> str:
        action = f"{self._hooks}/dial-result?{urlencode({'final': '1', 'dz': request.mark})}"
        recording = None
        if self._config.record:
            recording = f"{self._hooks}/recording?{urlencode({'dz': request.mark})}"
        return dial(
            request.number,
            timeout=self._config.dial_timeout,
            action=action,
            caller_id=self._caller_id,
            recording=recording,
        )

    async def originate(self, request: OriginateRequest) -> str | None:
        try:
            call = await self._client.calls.create_async(
                to=self.manager_phone(request),
                from_=self._caller_id,
                twiml=self.twiml(request),
                status_callback=f"{self._hooks}/status?{urlencode({'dz': request.mark})}",
                timeout=self._config.dial_timeout,
            )
        except TwilioRestException as exc:
            raise OriginateFailed(f"Twilio refused the call: {exc.msg}") from exc
        except (TwilioException, aiohttp.ClientError, TimeoutError) as exc:
            raise OriginateFailed(f"Twilio's API could not be reached ({exc})") from exc
        sid = getattr(call, "sid", None)
        return str(sid) if sid else None
