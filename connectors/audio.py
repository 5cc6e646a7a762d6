"""A vendor's answer that is the audio itself, handed on as a :class:`RecordingAudio`.

Mango (sometimes) and Twilio answer a recording request with the file: the response is read in
chunks while the person's request streams it, and released once that is over.
"""

from __future__ import annotations

import aiohttp

from hub.domain.recordings import RecordingAudio

CHUNK = 64 * 1024
AUDIO = "audio/mpeg"


def stream_timeout(seconds: float) -> aiohttp.ClientTimeout:
    """A timeout for a request whose answer may be streamed: ``seconds`` to connect and between
    two reads, none for the whole (a long recording takes as long as the person listens)."""
    return aiohttp.ClientTimeout(total=None, connect=seconds, sock_read=seconds)


def audio_of(response: aiohttp.ClientResponse) -> RecordingAudio:
    """The body of ``response`` (a 200 from the vendor) as audio streamed through."""

    async def close() -> None:
        response.release()

    kind = response.content_type
    return RecordingAudio(
        content_type=kind if kind.startswith("audio/") else AUDIO,
        length=response.content_length,
        chunks=response.content.iter_chunked(CHUNK),
        close=close,
    )
