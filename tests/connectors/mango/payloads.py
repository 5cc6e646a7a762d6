"""Mango's side of a test: an account, signed events, and the two calls every scenario needs."""

from __future__ import annotations

import time
from typing import Any

from connectors.mango import MangoSettings, command_form
from tests.support.api import Api, settled

KEY = "mango-api-key"
SALT = "mango-salt"
CLIENT = "79031112233"
LINE = "74950001122"
T0 = int(time.time()) - 600

Event = tuple[str, dict[str, Any]]


def account(**overrides: Any) -> MangoSettings:
    return MangoSettings(type="mango", api_key=KEY, api_salt=SALT, **overrides)


async def event(
    api: Api,
    path: str,
    body: Any,
    *,
    name: str = "mg",
    key: str = KEY,
    salt: str = SALT,
    raw: bool = False,
) -> tuple[int, Any]:
    """Post ``body`` signed as Mango does (or, ``raw``, the form exactly as given)."""
    form = body if raw else command_form(key, salt, body)
    async with api.client.post(f"/api/v1/hooks/{name}/{path}", data=form) as response:
        status, payload = response.status, await response.json()
    if status == 200:
        await settled(api.app)
    return status, payload


def leg(entry: str, leg_id: str, seq: int, state: str, **extra: Any) -> Event:
    body = {
        "entry_id": entry,
        "call_id": leg_id,
        "timestamp": T0 + seq,
        "seq": seq,
        "call_state": state,
        "location": "abonent",
        "from": {"number": CLIENT},
        "to": {"extension": "101", "number": LINE},
        **extra,
    }
    return "events/call", body


def missed_call(entry: str) -> list[Event]:
    return [
        leg(entry, "L1", 1, "Appeared", location="ivr", to={"number": LINE}),
        leg(entry, "L2", 2, "Appeared"),
        leg(entry, "L2", 3, "Disconnected", disconnect_reason=1110),
        (
            "events/summary",
            {
                "entry_id": entry,
                "call_direction": 1,
                "from": {"number": CLIENT},
                "to": {"extension": "101", "number": LINE},
                "line_number": LINE,
                "create_time": T0 + 1,
                "forward_time": T0 + 2,
                "talk_time": 0,
                "end_time": T0 + 30,
                "entry_result": 0,
                "disconnect_reason": 1110,
            },
        ),
    ]


def callback(entry: str) -> list[Event]:
    out = {"from": {"extension": "101", "number": "101"}, "to": {"number": CLIENT}}
    return [
        leg(entry, "O1", 1, "Appeared", **out, timestamp=T0 + 100),
        leg(entry, "O1", 2, "Connected", **out, timestamp=T0 + 105),
        (
            "events/recording",
            {
                "entry_id": entry,
                "call_id": "O1",
                "recording_id": "REC-42",
                "recording_state": "Completed",
                "extension": "101",
                "timestamp": T0 + 140,
            },
        ),
        (
            "events/summary",
            {
                "entry_id": entry,
                "call_direction": 2,
                **out,
                "create_time": T0 + 100,
                "forward_time": T0 + 100,
                "talk_time": T0 + 105,
                "end_time": T0 + 140,
                "entry_result": 1,
            },
        ),
    ]
