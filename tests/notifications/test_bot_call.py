"""«Позвонить» under an alert: the PBX (the stand-in Mango API) is asked to ring the pressing
manager's phone, then the client — and without a PBX able to, the button is not there."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from hub.app import create_app
from tests.connectors.mango.payloads import KEY, SALT, account
from tests.connectors.mango.stand_in import MangoApi
from tests.support.api import Api
from tests.support.settings import ADMIN_TOKEN, HOOK_SECRET, bot_settings
from tests.support.stand_in import serving
from tests.support.team import CALLER, miss, outbox, sales_team
from tests.support.telegram_stub import BotApiStub, until, until_true

Stub = tuple[BotApiStub, TestServer]
IVAN_CHAT = 1001


@pytest.fixture
async def mango() -> AsyncIterator[MangoApi]:
    async for stand_in in serving(MangoApi(key=KEY, salt=SALT)):
        yield stand_in


@pytest.fixture
async def api(stub: Stub, mango: MangoApi, aiohttp_client: Any, db_url: str) -> Api:
    settings = bot_settings(db_url, stub[1])
    settings = settings.model_copy(update={"connectors": {"mg": account(api_url=mango.url)}})
    client = await aiohttp_client(create_app(settings))
    return Api(client, ADMIN_TOKEN, HOOK_SECRET)


async def test_call_button_asks_the_pbx_to_ring_the_manager_then_the_client(
    api: Api, stub: Stub, mango: MangoApi
) -> None:
    fake = stub[0]
    await sales_team(api)
    await miss(api, "m1")

    async def delivered() -> bool:
        return any(r.kind == "missed" and r.status == "sent" for r in await outbox(api))

    await until_true(delivered)
    alert = next(
        r for r in await outbox(api) if r.manager_id is not None and r.chat_id == IVAN_CHAT
    )
    first_row = (alert.buttons or [[]])[0]
    assert first_row[0] == {"text": "📞 Позвонить", "callback_data": f"call:{CALLER}"}
    assert first_row[1]["url"] == "https://wa.me/79031112233"

    fake.press(IVAN_CHAT, f"call:{CALLER}")
    await until(lambda: bool(mango.callbacks))
    command = mango.callbacks[0]
    assert command["from"]["extension"] == "101"
    assert command["to_number"] == CALLER.lstrip("+")
    await until(lambda: bool(fake.calls("answerCallbackQuery")))
    answers = fake.calls("answerCallbackQuery")
    assert answers[-1].params["text"].startswith("📞 Звоню: сначала ваш телефон")
    audit = await api.get("/api/v1/audit?entity=call")
    assert [(e["action"], e["actor"]) for e in audit["items"]] == [("originate", "Иван")]
