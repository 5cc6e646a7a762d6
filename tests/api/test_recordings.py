"""``GET /api/v1/calls/{id}/recording`` for a call from the generic hook, whose ``recording_url``
is a plain link: a 302 to it; the link helper for messages."""

from __future__ import annotations

from typing import Any

import pytest

from notifications.recording_links import recording_link
from tests.connectors.service import service
from tests.support.api import Api, update
from tests.support.recordings import only_call, play


@pytest.fixture
async def api(aiohttp_client: Any, db_url: str) -> Api:
    return await service(aiohttp_client, db_url)


async def test_a_plain_link_is_a_redirect_to_it(api: Api) -> None:
    await api.hook(
        [
            update("c1", "ringing"),
            update("c1", "answered", extension="101"),
            update("c1", "ended", recording_url="https://rec.example/c1.mp3"),
        ]
    )
    call = await only_call(api, "generic")
    played = await play(api, call["id"])
    assert (played.status, played.location) == (302, "https://rec.example/c1.mp3")
    assert (await play(api, call["id"], token="")).status == 401
    assert (await play(api, 0)).status == 400


def test_links_for_messages() -> None:
    assert recording_link("https://dozvon.example.com/", 7) == (
        "https://dozvon.example.com/api/v1/calls/7/recording"
    )
    assert recording_link(None, 7) is None
    assert recording_link("https://dozvon.example.com", None) is None
