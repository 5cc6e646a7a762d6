"""``dozvon managers invite --channel max``: the one-time link that binds a person's MAX user to
the staff bot on MAX, with the bot's name asked from MAX (the stand-in), run as a shell would."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.cli import dozvon
from tests.support.max_api import MaxApi
from tests.support.stand_in import serving


@pytest.fixture
async def max_api() -> AsyncIterator[MaxApi]:
    async for served in serving(MaxApi()):
        yield served


async def test_an_invite_to_the_staff_bot_on_max(tmp_path: Path, max_api: MaxApi) -> None:
    env = {
        "DOZVON_DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path / 'dozvon.db'}",
        "DOZVON_MAX__TOKEN": max_api.token,
        "DOZVON_MAX__API_BASE": max_api.url,
    }
    added = await asyncio.to_thread(
        dozvon, tmp_path, "managers", "add", "Иван", "--extension", "101", **env
    )
    assert added.returncode == 0, added.stderr
    invited = await asyncio.to_thread(
        dozvon, tmp_path, "managers", "invite", "101", "--channel", "max", **env
    )
    assert invited.returncode == 0, invited.stderr
    assert invited.stdout.startswith("Иван: https://max.ru/dozvon_bot?start=")

    # Without a MAX bot configured, one line says what to set.
    del env["DOZVON_MAX__TOKEN"]
    refused = await asyncio.to_thread(
        dozvon, tmp_path, "managers", "invite", "101", "--channel", "max", **env
    )
    assert refused.returncode == 2
    assert refused.stderr.strip() == "dozvon: no MAX bot: set DOZVON_MAX__TOKEN"
