"""«🎧 Запись» under the messages about a call that has a recording: the question who an unknown
caller was (to hear the talk again), and a missed-call alert whose call left a voicemail. The
button is a signed link that plays the recording without a token."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from config.settings import HttpSettings, Settings
from storage.models import OutboxMessage
from tests.support.api import Api, update
from tests.support.settings import make_settings
from tests.support.team import CALLER, missed_call, outbox, sales_team
from tests.support.telegram_stub import until_true

PUBLIC = "https://dozvon.example.com"
STRANGER = "+79165550101"
RECORDING = "https://rec.example/talk.mp3"


@pytest.fixture
def settings(db_url: str) -> Settings:
    return make_settings(db_url, http=HttpSettings(public_url=PUBLIC))


def _urls(row: OutboxMessage) -> dict[str, str]:
    """The URL buttons under a message, by their text."""
    return {b["text"]: b["url"] for line in row.buttons or [] for b in line if "url" in b}


async def _rows(api: Api, kind: str, number: str) -> list[OutboxMessage]:
    async def written() -> bool:
        return any(r.kind == kind and number in r.text for r in await outbox(api))

    await until_true(written)
    return [r for r in await outbox(api) if r.kind == kind and number in r.text]


async def _plays(api: Api, link: str) -> Any:
    """Open the button's link as a person's browser would: no token."""
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == PUBLIC
    async with api.client.get(f"{parts.path}?{parts.query}", allow_redirects=False) as response:
        return response.status, response.headers.get("Location")


async def test_who_was_it_carries_the_talk_to_hear_again(api: Api) -> None:
    team = await sales_team(api)
    await api.hook(
        [
            update("t1", "ringing", caller=STRANGER, extension="101"),
            update("t1", "answered", caller=STRANGER, extension="101"),
            update("t1", "ended", caller=STRANGER, extension="101", recording_url=RECORDING),
        ]
    )
    [asked] = await _rows(api, "triage", STRANGER)
    assert asked.manager_id == team["ivan"]["id"]
    link = _urls(asked)["🎧 Запись"]
    assert await _plays(api, link) == (302, RECORDING)


async def test_a_voicemail_is_under_the_missed_call_alert_and_a_silent_miss_has_none(
    api: Api,
) -> None:
    await sales_team(api)
    voicemail = missed_call("v1", CALLER, "101")
    voicemail[-1] = voicemail[-1] | {"recording_url": RECORDING}
    await api.hook(voicemail)
    alerts = await _rows(api, "missed", CALLER)
    assert len(alerts) == 2  # Иван and Ольга
    for alert in alerts:
        assert await _plays(api, _urls(alert)["🎧 Запись"]) == (302, RECORDING)
    await api.hook(missed_call("s1", STRANGER, "101"))
    for alert in await _rows(api, "missed", STRANGER):
        assert "🎧 Запись" not in _urls(alert)
