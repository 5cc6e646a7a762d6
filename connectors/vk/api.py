"""VK's API methods over plain aiohttp, and what their errors mean for a delivery.

A method is ``POST {api_base}/{method}`` with a form (``access_token``, ``v`` and the
method's parameters); VK answers HTTP 200 with ``{"response": ...}`` or ``{"error":
{"error_code", "error_msg"}}``. Files go to the upload URL a ``get*UploadServer`` method hands
out, as multipart; that server answers JSON of its own (``{"error": "..."}`` when it refuses).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import aiohttp

from connectors.vk.settings import VkSettings
from hub.domain.delivery import DeliveryError, Rejected, RetryAfter, Temporary, Unreachable

CHUNK = 64 * 1024
# Too many requests per second (6) and flood control (9): wait a second and send again.
RATE_LIMITED = frozenset({6, 9})
# An unknown error (1, "try again later") and an internal server error (10).
TRANSIENT = frozenset({1, 10})
# No right to write to this peer (7), the user has not allowed the community's messages (901),
# his privacy settings forbid it (902).
UNREACHABLE = frozenset({7, 901, 902})


def error_of(code: int, message: str) -> DeliveryError:
    """The delivery error of a VK ``error_code``."""
    if code in RATE_LIMITED:
        return RetryAfter(1)
    text = f"VK: {message} ({code})"
    if code in TRANSIENT:
        return Temporary(text)
    if code in UNREACHABLE:
        return Unreachable(text)
    return Rejected(text)


def _http_error(status: int, where: str) -> DeliveryError:
    if status == 429:
        return RetryAfter(1)
    if status >= 500:
        return Temporary(f"{where} answered HTTP {status}")
    return Rejected(f"{where} answered HTTP {status}")


class VkApi:
    """The methods of one community's token."""

    def __init__(self, config: VkSettings, session: aiohttp.ClientSession) -> None:
        self._config = config
        self._session = session
        self._base = config.api_base.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=config.request_timeout.total_seconds())

    async def call(self, method: str, params: Mapping[str, str | int]) -> Any:
        """The ``response`` of ``method``; raises the delivery error of VK's answer."""
        form = {key: str(value) for key, value in params.items()}
        form["access_token"] = self._config.access_token.get_secret_value()
        form["v"] = self._config.api_version
        answer = await self._json("POST", f"{self._base}/{method}", f"VK {method}", data=form)
        if not isinstance(answer, dict):
            raise Temporary(f"VK {method} answered something else than an object")
        error = answer.get("error")
        if isinstance(error, dict):
            code = error.get("error_code")
            message = str(error.get("error_msg") or "no message")[:300]
            raise error_of(code if isinstance(code, int) else 0, message)
        if "response" not in answer:
            raise Temporary(f"VK {method} answered without a response")
        return answer["response"]

    async def upload(
        self, url: str, field: str, filename: str, content: bytes, mime: str
    ) -> dict[str, Any]:
        """Post a file to an upload server; its answer (the fields the saving method takes)."""
        form = aiohttp.FormData()
        form.add_field(field, content, filename=filename, content_type=mime)
        answer = await self._json("POST", url, "VK's upload server", data=form)
        if not isinstance(answer, dict):
            raise Temporary("VK's upload server answered something else than an object")
        if answer.get("error"):
            raise Rejected(f"VK's upload server refused the file: {str(answer['error'])[:300]}")
        return answer

    async def download(self, url: str, limit: int) -> bytes:
        """A file a client sent, read whole (at most ``limit`` bytes)."""
        try:
            async with self._session.get(url, timeout=self.timeout) as response:
                if response.status != 200:
                    raise _http_error(response.status, "VK's file server")
                chunks, total = [], 0
                async for chunk in response.content.iter_chunked(CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise Rejected(f"the file is larger than {limit} bytes")
                    chunks.append(chunk)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise Temporary(f"VK's file server could not be reached ({exc})") from exc
        return b"".join(chunks)

    async def _json(self, method: str, url: str, where: str, *, data: Any) -> Any:
        try:
            async with self._session.request(
                method, url, data=data, timeout=self.timeout
            ) as response:
                if response.status != 200:
                    raise _http_error(response.status, where)
                text = await response.text()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise Temporary(f"{where} could not be reached ({exc})") from exc
        try:
            return json.loads(text)
        except ValueError as exc:
            raise Temporary(f"{where} answered without JSON") from exc
