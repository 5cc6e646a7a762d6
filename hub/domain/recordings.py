"""A call's recording as a person plays it: where it is, and what a connector hands back for it.

A call stores what identifies its recording in ``recording_url``: a typed reference the connector
that made it understands (``zadarma:recording:<id>``, ``mango:recording:<id>``,
``twilio:recording:<url>``, ``asterisk:file:<name>``), or a plain ``http(s)`` link (the generic
hook). The recording is fetched only when somebody asks to hear it, through
``GET /api/v1/calls/{id}/recording`` (:func:`recording_path`): links handed out by the vendors
expire, and some need the account's credentials, so none is stored or shown as it is.

A connector answers a reference with one of three things: a fresh link to send the person to
(:class:`RecordingLink`), the audio itself, streamed through the service (:class:`RecordingAudio`),
or a file the service can read (:class:`RecordingFile`). It raises :class:`RecordingMissing`
(404) when the vendor has no such recording and :class:`RecordingUnavailable` (503) when the
vendor cannot be reached or refuses us.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from hub.domain.errors import NotFound, Unavailable

WEB_LINK = ("http://", "https://")


class RecordingMissing(NotFound):
    """The call has no recording, or the vendor has none by that id (404)."""


class RecordingUnavailable(Unavailable):
    """The vendor keeping the recording cannot be reached or refuses us (503)."""


@dataclass(frozen=True, slots=True)
class RecordingLink:
    """A fresh link to the recording: the person is redirected to it."""

    url: str


@dataclass(frozen=True, slots=True)
class RecordingFile:
    """A recording file the service reads itself (already checked to be inside its directory)."""

    path: Path


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordingAudio:
    """The audio, fetched from the vendor and streamed through: ``chunks`` until the end, then
    ``close`` (always, whether the stream was read to the end or not)."""

    content_type: str
    length: int | None
    chunks: AsyncIterator[bytes]
    close: Callable[[], Awaitable[None]]


Recording = RecordingLink | RecordingFile | RecordingAudio


class RecordingSource(Protocol):
    """One connector able to hand out the recordings it referenced."""

    async def open(self, reference: str) -> Recording:
        """The recording ``reference`` names (one this connector stored). Raises
        :class:`RecordingMissing` or :class:`RecordingUnavailable`."""
        ...


def reference_id(reference: str, prefix: str) -> str:
    """The vendor's id in ``<prefix><id>``; RecordingMissing for a reference of another kind."""
    if not reference.startswith(prefix) or len(reference) == len(prefix):
        raise RecordingMissing(f"{reference[:80]!r} is not a recording this connector keeps")
    return reference.removeprefix(prefix)


def recording_path(call_id: int | None) -> str | None:
    """Where a person plays the recording of stored call ``call_id`` (not the vendor's id):
    ``/api/v1/calls/<id>/recording``; None for no call (a call without a recording)."""
    return f"/api/v1/calls/{call_id}/recording" if call_id is not None else None
