"""Twilio's recordings, fetched for a person: ``GET <RecordingUrl>.mp3`` with the account's auth.

A recording is stored as ``twilio:recording:<RecordingUrl>`` (``parse.recording``). Twilio's
media needs HTTP basic auth of the account (its SID and auth token) unless public media is on,
so the person is not sent there: the service fetches the MP3 and streams it through. The
credentials go only to the host of ``api_base`` (Twilio's API, or a stand-in), whatever a stored
link says; the SID is ``account_sid``, else the one in the link's path.
"""

from __future__ import annotations

import re

import aiohttp
from yarl import URL

from connectors.audio import audio_of, stream_timeout
from connectors.twilio.parse import RECORDING
from connectors.twilio.settings import TwilioSettings
from hub.domain.recordings import (
    RecordingAudio,
    RecordingMissing,
    RecordingUnavailable,
    reference_id,
)

_ACCOUNT = re.compile(r"/Accounts/(AC[0-9a-zA-Z]+)/")


class TwilioRecordings:
    """Recordings of one Twilio account, streamed through with its credentials."""

    def __init__(self, name: str, config: TwilioSettings, session: aiohttp.ClientSession) -> None:
        self._name = name
        self._config = config
        self._session = session

    def media_url(self, reference: str) -> URL:
        """The MP3 of a stored recording link, checked to be on the API's host."""
        link = URL(reference_id(reference, RECORDING))
        api = URL(self._config.api_base)
        if link.origin() != api.origin():
            raise RecordingUnavailable(
                f"{self._name}: the recording is at {link.host}, not at api_base ({api.host}): "
                "the account's credentials are not sent there"
            )
        path = link.path.removesuffix(".json")
        if not path.endswith((".mp3", ".wav")):
            path += ".mp3"
        return link.with_path(path)

    async def open(self, reference: str) -> RecordingAudio:
        config = self._config
        url = self.media_url(reference)
        found = _ACCOUNT.search(url.path)
        sid = config.account_sid or (found.group(1) if found else None)
        if sid is None:
            raise RecordingUnavailable(f"{self._name}: set account_sid to fetch recordings")
        # Sent only to api_base's origin; aiohttp drops it on a redirect to another host.
        auth = {
            "Authorization": aiohttp.encode_basic_auth(sid, config.auth_token.get_secret_value())
        }
        timeout = stream_timeout(config.request_timeout.total_seconds())
        try:
            response = await self._session.get(url, headers=auth, timeout=timeout)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise RecordingUnavailable(
                f"{self._name}: Twilio's API could not be reached ({exc})"
            ) from exc
        if response.status == 200:
            return audio_of(response)
        status = response.status
        response.release()
        if status == 404:
            raise RecordingMissing(f"{self._name}: Twilio has no such recording (deleted?)")
        raise RecordingUnavailable(f"{self._name}: Twilio refused the recording: HTTP {status}")
