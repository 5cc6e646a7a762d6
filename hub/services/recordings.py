"""Play a call's recording: the one use case behind ``GET /api/v1/calls/{id}/recording``.

The call's ``recording_url`` names the recording in the terms of the connector that stored it
(``hub/domain/recordings.py``); the call's connector, looked up by name in the settings, says by
its type which source hands it out: Zadarma's and Mango's APIs (a fresh link, or Mango's audio),
Twilio's media (streamed through with the account's credentials), Asterisk's MixMonitor files.
A plain ``http(s)`` link (the generic hook's) is handed out as it is.

404 when the call does not exist or has no recording, or the vendor has none by that id; 503 when
the vendor cannot be reached, refuses us, or the connector is no longer configured.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import aiohttp

from config.settings import ConnectorSection
from connectors.asterisk.recording import AsteriskRecordings
from connectors.asterisk.settings import AsteriskSettings
from connectors.mango.recording import MangoRecordings
from connectors.mango.settings import MangoSettings
from connectors.twilio.recording import TwilioRecordings
from connectors.twilio.settings import TwilioSettings
from connectors.zadarma.recording import ZadarmaRecordings
from connectors.zadarma.settings import ZadarmaSettings
from hub.domain.errors import NotFound
from hub.domain.recordings import (
    WEB_LINK,
    Recording,
    RecordingLink,
    RecordingMissing,
    RecordingSource,
    RecordingUnavailable,
)
from storage.db import SessionFactory
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


def source_for(
    name: str, config: ConnectorSection, session: aiohttp.ClientSession
) -> RecordingSource | None:
    """The recordings of connector ``name``, by its type; None for a type that keeps none."""
    if isinstance(config, ZadarmaSettings):
        return ZadarmaRecordings(name, config, session)
    if isinstance(config, MangoSettings):
        return MangoRecordings(name, config, session)
    if isinstance(config, TwilioSettings):
        return TwilioRecordings(name, config, session)
    if isinstance(config, AsteriskSettings):
        return AsteriskRecordings(name, config)
    return None


class Recordings:
    """Finds the recording of a stored call through the connector that stored it."""

    def __init__(
        self,
        factory: SessionFactory,
        connectors: Mapping[str, ConnectorSection],
        session: aiohttp.ClientSession,
    ) -> None:
        self._factory = factory
        self._connectors = connectors
        self._session = session

    async def recording(self, call_id: int) -> Recording:
        """The recording of call ``call_id`` (the stored call's id)."""
        async with UnitOfWork(self._factory, read_only=True) as uow:
            call = await uow.calls.get(call_id)
            if call is None:
                raise NotFound(f"call {call_id} does not exist")
            connector, reference = call.connector, call.recording_url
        if not reference:
            raise RecordingMissing(f"call {call_id} has no recording")
        if reference.startswith(WEB_LINK):
            return RecordingLink(reference)
        config = self._connectors.get(connector)
        source = source_for(connector, config, self._session) if config is not None else None
        if source is None:
            raise RecordingUnavailable(
                f"call {call_id}'s recording is kept by {connector!r}, which is not a "
                "configured PBX connector"
            )
        try:
            return await source.open(reference)
        except RecordingUnavailable as exc:
            log.warning("%s: recording of call %d unavailable: %s", connector, call_id, exc)
            raise
