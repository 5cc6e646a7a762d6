"""``GET /api/v1/calls/{id}/recording`` for a call from the generic hook, whose ``recording_url``
is a plain link: a 302 to it, for a token; and the signed links messages and reports carry,
which open without one until they expire — that call only, unchanged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from config.settings import HttpSettings
from hub.app import create_app
from hub.bootstrap.links import LINKS
from tests.support.api import Api, update
from tests.support.clock import TestClock
from tests.support.recordings import only_call, play
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, make_settings

PUBLIC = "https://dozvon.example.com"


@pytest.fixture
async def api(aiohttp_client: Any, db_url: str, clock: TestClock) -> Api:
    settings = make_settings(db_url, http=HttpSettings(public_url=PUBLIC + "/", link_ttl="7d"))
    client = await aiohttp_client(create_app(settings, clock=clock))
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


async def _recorded_call(api: Api) -> int:
    await api.hook(
        [
            update("c1", "ringing"),
            update("c1", "answered", extension="101"),
            update("c1", "ended", recording_url="https://rec.example/c1.mp3"),
        ]
    )
    call_id: int = (await only_call(api, "generic"))["id"]
    return call_id


async def _open(api: Api, path: str, query: dict[str, str]) -> tuple[int, Any]:
    async with api.client.get(f"{path}?{urlencode(query)}", allow_redirects=False) as response:
        if response.status == 302:
            return 302, response.headers["Location"]
        return response.status, (await response.json())["error"]["message"]


async def test_a_plain_link_is_a_redirect_to_it(api: Api) -> None:
    call_id = await _recorded_call(api)
    played = await play(api, call_id)
    assert (played.status, played.location) == (302, "https://rec.example/c1.mp3")
    assert (await play(api, call_id, token="")).status == 401
    assert (await play(api, 0)).status == 400


async def test_a_signed_link_opens_without_a_token_until_it_expires(
    api: Api, clock: TestClock
) -> None:
    call_id = await _recorded_call(api)
    link = urlsplit(api.app[LINKS].recording(call_id) or "")
    assert f"{link.scheme}://{link.netloc}" == PUBLIC
    assert link.path == f"/api/v1/calls/{call_id}/recording"
    query = {k: v[0] for k, v in parse_qs(link.query).items()}
    assert await _open(api, link.path, query) == (302, "https://rec.example/c1.mp3")
    # Another call's path, a changed moment, a changed signature: refused, naming why.
    other = f"/api/v1/calls/{call_id + 1}/recording"
    assert await _open(api, other, query) == (401, "the link's signature is wrong")
    later = {**query, "expires": str(int(query["expires"]) + 1)}
    assert await _open(api, link.path, later) == (401, "the link's signature is wrong")
    assert await _open(api, link.path, {**query, "signature": "0" * 64}) == (
        401,
        "the link's signature is wrong",
    )
    assert await _open(api, link.path, {"signature": query["signature"]}) == (
        401,
        "a signed link needs expires and signature",
    )
    clock.advance(timedelta(days=7, seconds=1))
    assert await _open(api, link.path, query) == (401, "the link has expired")


async def test_the_key_is_kept_so_links_outlive_a_restart(
    aiohttp_client: Any, api: Api, db_url: str, clock: TestClock
) -> None:
    call_id = await _recorded_call(api)
    link = urlsplit(api.app[LINKS].recording(call_id) or "")
    query = {k: v[0] for k, v in parse_qs(link.query).items()}
    # A second instance on the same database (or this one restarted) opens the first's links.
    settings = make_settings(db_url, http=HttpSettings(public_url=PUBLIC))
    second = Api(await aiohttp_client(create_app(settings, clock=clock)), ADMIN_TOKEN, HOOK_SECRET)
    assert await _open(second, link.path, query) == (302, "https://rec.example/c1.mp3")
