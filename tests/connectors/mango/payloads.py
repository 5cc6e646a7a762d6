"""Mango's side of a test: an account, signed events, and calls in the shapes of Mango's API manual.

An employee's side of a leg carries his ``extension`` and, as ``number``, his device (a SIP address
such as ``sip:user3@vpbx…``, or a login such as ``user1`` in a summary); the company line that was
dialled is ``line_number``. An outbound leg's ``from`` has the extension alone when it appears and
the extension with the company line once connected (the manual's own example). An IVR or queue
leg is disconnected when the call leaves it for a manager's leg (``taken_from_call_id``), and the
whole call ends with ``events/summary``."""

from __future__ import annotations

import time
from typing import Any

from connectors.mango import MangoSettings, command_form
from tests.support.api import Api, settled

KEY = "mango-api-key"
SALT = "mango-salt"
CLIENT = "79031112233"
LINE = "74950001122"
# An employee's device as Mango reports it in ``to.number`` / ``from.number``: never a phone number.
DEVICE = "sip:user3@vpbx400123456.mangosip.ru"
LOGIN = "user1"
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
    """One ``events/call`` of leg ``leg_id``: by default the client's call ringing 101's phone."""
    body = {
        "entry_id": entry,
        "call_id": leg_id,
        "timestamp": T0 + seq,
        "seq": seq,
        "call_state": state,
        "location": "abonent",
        "from": {"number": CLIENT},
        "to": {"extension": "101", "number": DEVICE, "line_number": LINE},
        **extra,
    }
    return "events/call", body


def summary(entry: str, direction: int, **fields: Any) -> Event:
    """The ``events/summary`` of call ``entry``: nobody talked unless ``fields`` say so."""
    body = {
        "entry_id": entry,
        "call_direction": direction,
        "line_number": LINE,
        "create_time": T0,
        "forward_time": 0,
        "talk_time": 0,
        "end_time": T0 + 30,
        "entry_result": 0,
        "disconnect_reason": 1100,
        **fields,
    }
    return "events/summary", body


def ivr_leg(
    entry: str, leg_id: str, client: str, at: int, *, until: int, reason: int, where: str = "ivr"
) -> list[Event]:
    """The call in the IVR (or a ``queue``) from ``at`` until it leaves it (``reason`` 1100) or
    the caller hangs up there (1110)."""
    to: dict[str, Any] = {"number": LINE, "line_number": LINE}
    if where == "queue":
        to["acd_group"] = "sales"
    side = {"location": where, "from": {"number": client}, "to": to}
    return [
        leg(entry, leg_id, 1, "Appeared", **side, timestamp=at),
        leg(entry, leg_id, 2, "Disconnected", **side, timestamp=until, disconnect_reason=reason),
    ]


def answered_inbound(entry: str, client: str, at: int, *, where: str = "ivr") -> list[Event]:
    """The manual's routed call: ``client`` dials LINE, waits in the IVR (or a queue), leaves
    it for leg M to 101, who answers; the client hangs up; the summary says they talked."""
    manager = {
        "from": {"number": client, "taken_from_call_id": f"{entry}-W"},
        "to": {"extension": "101", "number": DEVICE, "line_number": LINE},
    }
    return [
        *ivr_leg(entry, f"{entry}-W", client, at, until=at + 5, reason=1100, where=where),
        leg(entry, f"{entry}-M", 1, "Appeared", **manager, timestamp=at + 5),
        leg(entry, f"{entry}-M", 2, "Connected", **manager, timestamp=at + 8),
        leg(
            entry,
            f"{entry}-M",
            3,
            "Disconnected",
            **manager,
            timestamp=at + 40,
            disconnect_reason=1110,
        ),
        summary(
            entry,
            1,
            **{"from": {"number": client}, "to": manager["to"]},
            create_time=at,
            forward_time=at + 5,
            talk_time=at + 8,
            end_time=at + 40,
            entry_result=1,
            disconnect_reason=1110,
        ),
    ]


def ended_in_ivr(entry: str, client: str, at: int) -> list[Event]:
    """``client`` dials LINE and hangs up in the IVR before any manager's phone rings."""
    return [
        *ivr_leg(entry, f"{entry}-W", client, at, until=at + 12, reason=1110),
        summary(
            entry,
            1,
            **{"from": {"number": client}, "to": {"number": LINE, "line_number": LINE}},
            create_time=at,
            end_time=at + 12,
            disconnect_reason=1110,
        ),
    ]


def outbound_answered(entry: str, client: str, at: int) -> list[Event]:
    """The manual's outbound call: 101 dials ``client``; ``from`` has no number when the leg
    appears and the company line once connected; the summary shows 101's login as ``number``."""
    appeared = {"from": {"extension": "101"}, "to": {"number": client}}
    later = {"from": {"extension": "101", "number": LINE}, "to": {"number": client}}
    return [
        leg(entry, f"{entry}-O", 1, "Appeared", **appeared, timestamp=at),
        leg(entry, f"{entry}-O", 2, "Connected", **later, timestamp=at + 8),
        leg(
            entry,
            f"{entry}-O",
            3,
            "Disconnected",
            **later,
            timestamp=at + 40,
            disconnect_reason=1120,
        ),
        summary(
            entry,
            2,
            **{"from": {"extension": "101", "number": LOGIN}, "to": {"number": client}},
            create_time=at,
            forward_time=at,
            talk_time=at + 8,
            end_time=at + 40,
            entry_result=1,
        ),
    ]


def missed_call(entry: str) -> list[Event]:
    """The client waits in the IVR, is sent to 101 (leg L2), hangs up while it rings."""
    return [
        leg(entry, "L1", 1, "Appeared", location="ivr", to={"number": LINE, "line_number": LINE}),
        leg(entry, "L2", 2, "Appeared"),
        leg(entry, "L2", 3, "Disconnected", disconnect_reason=1110),
        summary(
            entry,
            1,
            **{"from": {"number": CLIENT}, "to": {"extension": "101", "number": DEVICE}},
            create_time=T0 + 1,
            forward_time=T0 + 2,
            end_time=T0 + 30,
            disconnect_reason=1110,
        ),
    ]


def callback(entry: str) -> list[Event]:
    """101 calls the client back (the manual's outbound shapes), recorded; they talk."""
    appeared = {"from": {"extension": "101"}, "to": {"number": CLIENT}}
    later = {"from": {"extension": "101", "number": LINE}, "to": {"number": CLIENT}}
    return [
        leg(entry, "O1", 1, "Appeared", **appeared, timestamp=T0 + 100),
        leg(entry, "O1", 2, "Connected", **later, timestamp=T0 + 105),
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
        summary(
            entry,
            2,
            **{"from": {"extension": "101", "number": LOGIN}, "to": {"number": CLIENT}},
            create_time=T0 + 100,
            forward_time=T0 + 100,
            talk_time=T0 + 105,
            end_time=T0 + 140,
            entry_result=1,
        ),
    ]
