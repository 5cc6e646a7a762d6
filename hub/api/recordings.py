"""A call's recording over HTTP: ``GET /api/v1/calls/{id}/recording`` plays it.

Whoever may list the calls may hear them, and whoever holds a signed link to it (the links in
alerts and reports, ``hub/services/links.py``) until the link expires. The answer is a 302 to a
fresh link (Zadarma's, Mango's, a template's), or the audio itself: a file of the PBX's, or a
vendor's media streamed through with the account's credentials, which never reach the person.
404 says the call has no recording (or the vendor has none), 503 that the vendor cannot be
reached. Nothing is cached: vendors' links expire, and a recording is fetched afresh every time
it is played.
"""

from __future__ import annotations

import logging

import aiohttp
from aiohttp import web

from hub.api.calls import seen_call
from hub.api.endpoints import Endpoint, Query
from hub.api.http import path_int, unit_of_work
from hub.bootstrap.auth import PRINCIPAL
from hub.bootstrap.core import SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.http_client import HTTP_CLIENT
from hub.domain.recordings import RecordingAudio, RecordingFile, RecordingLink
from hub.services.auth import READERS
from hub.services.recordings import Recordings

log = logging.getLogger(__name__)
PRIVATE = {"Cache-Control": "private, no-store"}


def recordings(request: web.Request) -> Recordings:
    app = request.app
    return Recordings(app[SESSIONS], app[SETTINGS].connectors, app[HTTP_CLIENT])


async def play(request: web.Request) -> web.StreamResponse:
    call_id = path_int(request, "id")
    if PRINCIPAL in request:
        # A token hears the calls of its scope; a signed link, the one call it was made for.
        async with unit_of_work(request) as uow:
            await seen_call(request, uow, call_id)
    found = await recordings(request).recording(call_id)
    if isinstance(found, RecordingLink):
        return web.Response(status=302, headers={"Location": found.url, **PRIVATE})
    if isinstance(found, RecordingFile):
        return web.FileResponse(found.path, headers=PRIVATE)
    return await _stream(request, call_id, found)


async def _stream(request: web.Request, call_id: int, audio: RecordingAudio) -> web.StreamResponse:
    """The vendor's audio, passed on chunk by chunk (a person may stop listening midway)."""
    try:
        response = web.StreamResponse(headers={"Content-Type": audio.content_type, **PRIVATE})
        if audio.length is not None:
            response.content_length = audio.length
        await response.prepare(request)
        try:
            async for chunk in audio.chunks:
                await response.write(chunk)
        except (aiohttp.ClientError, TimeoutError) as exc:
            # Too late for an error status: the answer is cut short, and the player sees it.
            log.warning("call %d: the recording stopped coming midway: %s", call_id, exc)
            return response
        await response.write_eof()
        return response
    finally:
        await audio.close()


ENDPOINTS = [
    Endpoint(
        method="GET",
        path="/api/v1/calls/{id}/recording",
        handler=play,
        roles=READERS,
        summary="A call's recording: the audio, or a 302 to a fresh link",
        tag="calls",
        # The links in alerts and reports open it without a token.
        signed=True,
        query=(
            Query(name="expires", type="integer", description="a signed link: until when"),
            Query(name="signature", description="a signed link: its signature"),
        ),
    ),
]
