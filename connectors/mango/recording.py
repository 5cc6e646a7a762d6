"""Mango's API, called for a recording: ``queries/recording/post``.

A completed recording is stored as ``mango:recording:<recording_id>`` (``parse``). The request is
a form signed as every command is (``verify.command_form``) with ``{"recording_id", "action":
"play"}``; Mango answers with a redirect to the file (a link of its own that expires: the person
is sent there) or with the audio itself (streamed through). A JSON answer is Mango's refusal,
with a result code: no such recording for us.
"""

from __future__ import annotations

import aiohttp
from yarl import URL

from connectors.audio import audio_of, stream_timeout
from connectors.mango.settings import MangoSettings
from connectors.mango.verify import command_form
from hub.domain.recordings import (
    Recording,
    RecordingLink,
    RecordingMissing,
    RecordingUnavailable,
    reference_id,
)

PREFIX = "mango:recording:"
QUERY = "/queries/recording/post"
ACTION = "play"


class MangoRecordings:
    """Recordings of one Mango account."""

    def __init__(self, name: str, config: MangoSettings, session: aiohttp.ClientSession) -> None:
        self._name = name
        self._config = config
        self._session = session

    async def open(self, reference: str) -> Recording:
        config = self._config
        recording_id = reference_id(reference, PREFIX)
        command = {"recording_id": recording_id, "action": ACTION}
        form = command_form(config.api_key, config.api_salt.get_secret_value(), command)
        url = config.api_url.rstrip("/") + QUERY
        timeout = stream_timeout(config.request_timeout.total_seconds())
        try:
            response = await self._session.post(
                url, data=form, timeout=timeout, allow_redirects=False
            )
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise RecordingUnavailable(
                f"{self._name}: Mango's API could not be reached ({exc})"
            ) from exc
        status, kind = response.status, response.content_type
        location = response.headers.get("Location", "")
        if 300 <= status < 400 and location:
            response.release()
            return RecordingLink(str(response.url.join(URL(location))))
        if status == 200 and not kind.startswith(("application/json", "text/")):
            return audio_of(response)
        text = (await response.text(errors="replace"))[:200] if status < 500 else ""
        response.release()
        if status == 404 or (status == 200 and kind == "application/json"):
            raise RecordingMissing(
                f"{self._name}: Mango has no recording {recording_id}: {text or status}"
            )
        raise RecordingUnavailable(
            f"{self._name}: Mango refused the recording: HTTP {status} {text}".rstrip()
        )
