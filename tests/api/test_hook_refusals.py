"""Hooks refuse nonsense: the generic hook's times out of range, non-http recording links and
unknown fields; every vendor hook a body in a format the vendor never sends. Each is a 400
naming the field, stores nothing, and is counted among the refused deliveries."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from tests.connectors.mango.payloads import account as mango_account
from tests.connectors.service import service
from tests.connectors.twilio.payloads import account as twilio_account
from tests.connectors.zadarma.payloads import account as zadarma_account
from tests.support.api import Api, update


@pytest.fixture
async def api(aiohttp_client: Any, db_url: str) -> Api:
    return await service(
        aiohttp_client, db_url, zd=zadarma_account(), tw=twilio_account(), mg=mango_account()
    )


async def _nothing_stored(api: Api) -> None:
    assert (await api.get("/api/v1/calls"))["items"] == []


async def _refused(api: Api) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = (await api.get("/api/v1/hooks/rejected"))["items"]
    return items


def _at(api: Api, delta: timedelta) -> str:
    return (api.clock.now() + delta).isoformat()


@pytest.mark.parametrize(
    ("extra", "as_list", "field", "says"),
    [
        ({"at": timedelta(minutes=6)}, False, "at", "ahead of the service's clock"),
        ({"at": timedelta(minutes=6)}, True, "[0].at", "ahead of the service's clock"),
        ({"at": -timedelta(days=8)}, False, "at", "older than"),
        ({"recording_url": "ftp://pbx.example.com/r.wav"}, False, "recording_url", "http(s)"),
        ({"recording_url": "javascript:alert(1)"}, True, "[0].recording_url", "http(s)"),
        ({"recording_url": "file:///etc/passwd"}, False, "recording_url", "http(s)"),
        ({"colour": "red"}, False, "colour", "unknown field"),
    ],
)
async def test_generic_hook_refuses_nonsense(
    api: Api, extra: dict[str, Any], as_list: bool, field: str, says: str
) -> None:
    values = {k: _at(api, v) if isinstance(v, timedelta) else v for k, v in extra.items()}
    one = update("g1", "ringing", **values)
    status, body = await api.hook([one] if as_list else one, expect=None)
    assert status == 400, body
    assert body["error"]["field"] == field
    assert says in body["error"]["message"]
    await _nothing_stored(api)
    refused = await _refused(api)
    assert [(r["connector"], r["status"]) for r in refused] == [("generic", 400)]


async def test_generic_hook_takes_times_within_the_limits(api: Api) -> None:
    updates = [
        update("g2", "ringing", at=_at(api, timedelta(minutes=4))),
        update("g3", "ringing", at=_at(api, -timedelta(days=6)), recording_url="https://x.ru/r"),
    ]
    status, _ = await api.hook(updates)
    assert status == 200
    assert await _refused(api) == []


@pytest.mark.parametrize(
    ("connector", "path"),
    [("zd", "zd"), ("tw", "tw/voice"), ("tw", "tw/status"), ("mg", "mg/events/call")],
)
async def test_vendor_hooks_refuse_json(api: Api, connector: str, path: str) -> None:
    body = json.dumps({"event": "NOTIFY_START", "pbx_call_id": "x"}).encode()
    for content_type in ("application/json", "application/x-www-form-urlencoded"):
        async with api.client.post(
            f"/api/v1/hooks/{path}", data=body, headers={"Content-Type": content_type}
        ) as response:
            answer = await response.json()
            assert response.status == 400, answer
            assert answer["error"]["field"] == "body"
            assert "posts form data" in answer["error"]["message"]
    await _nothing_stored(api)
    refused = await _refused(api)
    assert [(r["connector"], r["status"]) for r in refused] == [(connector, 400)] * 2
