"""Zadarma's user API, called for a recording: ``GET /v1/pbx/record/request/``.

A recorded call is stored as ``zadarma:recording:<call_id_with_rec>`` (``parse``); the API
answers that id with a link that expires: ``{"status": "success", "link": "..."}``, or
``"links": [...]`` when the call has several parts (the first is played). The request is signed
with the account's key and secret exactly as click-to-call's is (``verify.api_authorization``).
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from connectors.zadarma.settings import ZadarmaSettings
from connectors.zadarma.verify import api_authorization, api_query
from hub.domain.recordings import (
    RecordingLink,
    RecordingMissing,
    RecordingUnavailable,
    reference_id,
)

RECORD_REQUEST = "/v1/pbx/record/request/"
PREFIX = "zadarma:recording:"


def first_link(answer: Any) -> str | None:
    """The link of a successful answer (``link``, else the first of ``links``)."""
    if not isinstance(answer, dict) or answer.get("status") != "success":
        return None
    link = answer.get("link")
    if not link:
        links = answer.get("links")
        link = links[0] if isinstance(links, list) and links else None
    return link if isinstance(link, str) and link.startswith(("http://", "https://")) else None


class ZadarmaRecordings:
    """Recordings of one Zadarma (or Novofon) account, through its user API."""

    def __init__(self, name: str, config: ZadarmaSettings, session: aiohttp.ClientSession) -> None:
        self._name = name
        self._config = config
        self._session = session

    async def open(self, reference: str) -> RecordingLink:
        config = self._config
        call_id = reference_id(reference, PREFIX)
        if config.api_key is None:
            raise RecordingUnavailable(
                f"{self._name}: Zadarma hands out recordings through its user API: set api_key"
            )
        params = {"call_id": call_id, "format": "json"}
        secret = config.api_secret.get_secret_value()
        headers = {
            "Authorization": api_authorization(config.api_key, secret, RECORD_REQUEST, params)
        }
        url = f"{config.api_base.rstrip('/')}{RECORD_REQUEST}?{api_query(params)}"
        timeout = aiohttp.ClientTimeout(total=config.request_timeout.total_seconds())
        try:
            async with self._session.get(url, headers=headers, timeout=timeout) as response:
                text, status = await response.text(), response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise RecordingUnavailable(
                f"{self._name}: Zadarma's API could not be reached ({exc})"
            ) from exc
        try:
            answer = json.loads(text)
        except ValueError:
            answer = None
        link = first_link(answer)
        if link is not None and status < 400:
            return RecordingLink(link)
        reason = answer.get("message") if isinstance(answer, dict) else None
        reason = str(reason or f"HTTP {status}")[:200]
        if status >= 500 or status in (401, 403) or not isinstance(answer, dict):
            raise RecordingUnavailable(f"{self._name}: Zadarma refused the recording: {reason}")
        raise RecordingMissing(f"{self._name}: Zadarma has no recording {call_id}: {reason}")
