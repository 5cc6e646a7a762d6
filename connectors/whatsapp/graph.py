"""Meta's Graph API over plain aiohttp, and what its errors mean for a delivery.

Every call carries ``Authorization: Bearer <access token>``; a refusal is an HTTP 4xx or 5xx
with ``{"error": {"message", "type", "code", "error_data": {"details"}, "fbtrace_id"}}``, and
the ``code`` says what happened (WhatsApp's error codes). A media file's URL is fetched with
the same bearer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp

from connectors.whatsapp.settings import WhatsAppSettings
from hub.domain.delivery import DeliveryError, Rejected, RetryAfter, Temporary, Unreachable

CHUNK = 64 * 1024
# Rate limits, and how long to wait when Meta gives no Retry-After: the number's throughput
# (130429), too many messages to one user (131056: about one per six seconds is reported to be
# safe), the app's and the account's call limits (4, 80007: counted per hour).
RETRY_SECONDS: Mapping[int, float] = {130429: 1.0, 131056: 6.0, 4: 60.0, 80007: 60.0}
# Meta's own trouble: unknown (1), service unavailable (2), something went wrong (131000),
# service unavailable (131016), chose not to deliver for now (131049: "retry later").
TRANSIENT = frozenset({1, 2, 131000, 131016, 131049})
# The number cannot receive: not on WhatsApp, terms not accepted, too old an app (131026).
UNDELIVERABLE = frozenset({131026})
# A free-form message more than 24 hours after the client last wrote.
REENGAGEMENT = 131047


class WindowClosed(Rejected):
    """WhatsApp's 24-hour window of this client had closed: only a template may reopen it."""


def error_of(status: int, answer: Any, retry_after: str | None) -> DeliveryError:
    """The delivery error of a Graph API refusal (HTTP ``status``, its JSON ``answer``)."""
    error = answer.get("error") if isinstance(answer, dict) else None
    error = error if isinstance(error, dict) else {}
    code = error.get("code") if isinstance(error.get("code"), int) else None
    details = (
        error.get("error_data", {}).get("details")
        if isinstance(error.get("error_data"), dict)
        else None
    )
    reason = " — ".join(str(part) for part in (error.get("message"), details) if part)
    text = f"WhatsApp: {reason or f'HTTP {status}'}" + (f" ({code})" if code else "")
    if status == 429 or code in RETRY_SECONDS:
        default = RETRY_SECONDS.get(code or 0, 60.0)
        return RetryAfter(_seconds(retry_after) or default)
    if code == REENGAGEMENT:
        return WindowClosed(
            f"the 24-hour window closed: the client last wrote more than 24 hours ago, only "
            f"a template may be sent ({text})"
        )
    if status >= 500 or code in TRANSIENT:
        return Temporary(text)
    if code in UNDELIVERABLE:
        return Unreachable(text)
    return Rejected(text)


def _seconds(header: str | None) -> float | None:
    if header and header.strip().isdigit():
        return float(header.strip())
    return None


class Graph:
    """The Graph API as one business number's token sees it."""

    def __init__(self, config: WhatsAppSettings, session: aiohttp.ClientSession) -> None:
        self._session = session
        self._base = config.api_base.rstrip("/")
        self._headers = {"Authorization": f"Bearer {config.access_token.get_secret_value()}"}
        self._timeout = aiohttp.ClientTimeout(total=config.request_timeout.total_seconds())

    async def request(
        self, method: str, path: str, *, json: Any = None, data: Any = None
    ) -> dict[str, Any]:
        """The JSON object of a successful answer; raises the delivery error of a refusal."""
        url = f"{self._base}/{path.lstrip('/')}"
        try:
            async with self._session.request(
                method, url, json=json, data=data, headers=self._headers, timeout=self._timeout
            ) as response:
                try:
                    answer = await response.json(content_type=None)
                except ValueError:
                    answer = None
                if response.status >= 400:
                    raise error_of(response.status, answer, response.headers.get("Retry-After"))
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise Temporary(f"WhatsApp's API could not be reached ({exc})") from exc
        if not isinstance(answer, dict):
            raise Temporary(f"WhatsApp's API answered {response.status} without JSON")
        return answer

    async def download(self, url: str, limit: int) -> bytes:
        """A media file's bytes from the URL the API handed out (at most ``limit``)."""
        try:
            async with self._session.get(
                url, headers=self._headers, timeout=self._timeout
            ) as response:
                if response.status >= 400:
                    raise error_of(response.status, None, response.headers.get("Retry-After"))
                chunks, total = [], 0
                async for chunk in response.content.iter_chunked(CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise Rejected(f"the file is larger than {limit} bytes")
                    chunks.append(chunk)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise Temporary(f"WhatsApp's media server could not be reached ({exc})") from exc
        return b"".join(chunks)
