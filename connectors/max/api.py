"""MAX's Bot API over HTTP: one request with the token, its answer or the error it means.

Plain aiohttp through the app's one session rather than ``maxapi``'s ``Bot``: the Bot opens a
session of its own, retries 5xx with sleeps inside a call (the outbox has its own schedule of
retries) and drops a 429's ``Retry-After`` from its error. From ``maxapi`` comes the trust: MAX
asks clients to trust the Russian Ministry of Digital Development's root certificate, which the
library ships beside the system's (``tls_context``).

Every call carries ``Authorization: <token>`` (MAX no longer takes the token in the query). MAX
answers errors as ``{"code", "message"}``: 429 is :class:`RetryAfter` (its ``Retry-After``
header, else a second), 5xx and network errors :class:`Temporary`, 403 or ``chat.denied`` (the
user blocked the bot) :class:`Unreachable`, any other refusal :class:`Rejected` with MAX's words;
``attachment.not.ready`` (a file sent before MAX has processed it) is :class:`NotReady`.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Mapping
from typing import Any, Literal

import aiohttp

from hub.domain.delivery import DeliveryError, Rejected, RetryAfter, Temporary, Unreachable

UploadType = Literal["image", "file", "audio", "video"]
# Codes of MAX's errors that mean the chat cannot be written to.
UNREACHABLE_CODES = frozenset({"chat.denied", "chat.not.found", "dialog.suspended"})
NOT_READY = "attachment.not.ready"
DEFAULT_RETRY_AFTER = 1.0


class NotReady(Temporary):
    """MAX has not finished processing an uploaded file: send it again a little later."""


def tls_context() -> ssl.SSLContext:
    """The system's trusted roots and the Russian Trusted Root CA that MAX's hosts may use."""
    # Imported here: the package's __init__ loads its whole bot framework (about half a second),
    # which only a process that talks to MAX should pay for.
    from maxapi.client.ssl import create_default_ssl_context

    return create_default_ssl_context()


def retry_after(headers: Mapping[str, str]) -> float:
    """The seconds of a 429's ``Retry-After`` (a number; an HTTP date or nothing: a second)."""
    try:
        seconds = float(headers.get("Retry-After", ""))
    except ValueError:
        return DEFAULT_RETRY_AFTER
    return seconds if seconds > 0 else DEFAULT_RETRY_AFTER


def refusal(status: int, answer: Any, headers: Mapping[str, str]) -> DeliveryError:
    """What an HTTP error of MAX's API means for the sender."""
    code = str(answer.get("code") or "") if isinstance(answer, dict) else ""
    message = str(answer.get("message") or "") if isinstance(answer, dict) else ""
    words = f"MAX answered {status}: {message or code or 'no reason given'}"[:300]
    if status == 429:
        return RetryAfter(retry_after(headers))
    if status >= 500:
        return Temporary(words)
    if code == NOT_READY:
        return NotReady(words)
    if status == 403 or code in UNREACHABLE_CODES:
        return Unreachable(words)
    return Rejected(words)


class MaxApi:
    """Requests to one bot's API: JSON in, JSON out, errors as the sender's."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base: str,
        token: str,
        timeout: float,
    ) -> None:
        self._session = session
        self._base = base.rstrip("/")
        self._auth = {"Authorization": token}
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._tls = tls_context()

    async def call(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """One request to the API; its JSON object, or the error its answer means."""
        return await self._request(
            method, f"{self._base}{path}", params=query, json=body, headers=self._auth
        )

    async def upload(self, kind: UploadType, filename: str, content: bytes) -> str:
        """Upload a file (``POST /uploads?type=`` gives the address to post it to) and return
        the token an attachment carries: an image's is in the upload's answer under
        ``photos``, a file's under ``token``; audio and video get theirs with the address."""
        slot = await self.call("POST", "/uploads", query={"type": kind})
        url = slot.get("url")
        if not isinstance(url, str) or not url:
            raise Temporary("MAX gave no address to upload the file to")
        # Names as written (Cyrillic too), as MAX shows them; quoted, they would read "%D1%81…".
        form = aiohttp.FormData(quote_fields=False)
        form.add_field("data", content, filename=filename)
        # Audio and video are answered in a format of their own: their token came with the slot.
        given = kind in ("audio", "video")
        answer = await self._request("POST", url, data=form, headers=self._auth, loose=given)
        token = slot.get("token") if given else _upload_token(answer)
        if not isinstance(token, str) or not token:
            raise Temporary(f"MAX's upload answered without the {kind}'s token")
        return token

    async def download(self, url: str, limit: int) -> bytes:
        """A file at ``url`` (MAX's file server: the token is not sent there), at most
        ``limit`` bytes."""
        try:
            async with self._session.get(url, timeout=self._timeout, ssl=self._tls) as response:
                if response.status >= 400:
                    raise refusal(response.status, None, response.headers)
                content = bytearray()
                async for chunk in response.content.iter_chunked(64 * 1024):
                    content += chunk
                    if len(content) > limit:
                        raise Rejected(f"the file is larger than {limit} bytes")
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise Temporary(f"MAX's file server could not be reached ({exc})") from exc
        return bytes(content)

    async def _request(
        self, method: str, url: str, *, loose: bool = False, **kwargs: Any
    ) -> dict[str, Any]:
        """A request; ``loose``: a success need not answer JSON."""
        try:
            async with self._session.request(
                method, url, timeout=self._timeout, ssl=self._tls, **kwargs
            ) as response:
                text = await response.text()
                status, headers = response.status, response.headers
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise Temporary(f"MAX could not be reached ({exc})") from exc
        try:
            answer = json.loads(text) if text.strip() else {}
        except ValueError:
            answer = None
        if status >= 400:
            raise refusal(status, answer, headers)
        if not isinstance(answer, dict):
            if loose:
                return {}
            raise Temporary(f"MAX answered {status} without a JSON object")
        return answer


def _upload_token(answer: Mapping[str, Any]) -> object:
    photos = answer.get("photos")
    if isinstance(photos, dict) and photos:
        first = next(iter(photos.values()))
        return first.get("token") if isinstance(first, dict) else None
    return answer.get("token")
