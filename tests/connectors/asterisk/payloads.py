"""Asterisk's side of a test: a PBX account, recorded AMI streams (and the same calls from other
numbers), and the app started against a fake AMI server."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connectors.asterisk import AsteriskSettings
from tests.connectors.service import service
from tests.support.ami_transcripts import events
from tests.support.api import Api

SECRET = "ami-secret"
Stream = list[Mapping[str, str]]


def account(port: int, **overrides: Any) -> AsteriskSettings:
    """An AMI account on the fake server at ``port``; chan_sip names, quick reconnects."""
    values: dict[str, Any] = {
        "username": "dozvon",
        "secret": SECRET,
        "channel_prefix": "SIP/",
        "reconnect_max": "1s",
        **overrides,
    }
    return AsteriskSettings(type="asterisk", port=port, **values)


async def start(aiohttp_client: Any, db_url: str, config: AsteriskSettings) -> Api:
    """The app with ``config`` as its connector ``ast``."""
    return await service(aiohttp_client, db_url, ast=config)


def recorded(name: str) -> Stream:
    """The events of one recording, as Asterisk sent them."""
    return [e for _, e in events(name)]


def renamed(stream: Stream, caller: str, prefix: str) -> Stream:
    """The same recorded call from another number, under other channel ids."""
    return [
        {
            key: (
                value.replace("+79990000102", caller)
                if key in ("CallerIDNum", "ConnectedLineNum")
                else prefix + value
                if key in ("Uniqueid", "Linkedid", "DestUniqueid", "DestLinkedid")
                else value
            )
            for key, value in event.items()
        }
        for event in stream
    ]
