"""A clients' channel that stops delivering is noticed: MAX's dropped webhook is subscribed
again and Telegram's failing deliveries are read — the admin is told, once a day per problem."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestServer

from config.settings import HttpSettings
from connectors.telegram import TelegramSettings as ClientBotSettings
from hub.bootstrap.people import CHANNELS_HEALTH, SCHEDULE
from tests.conversations.conftest import CLIENT_TOKEN, hub_settings, start
from tests.support.api import Api
from tests.support.max_api import MaxApi
from tests.support.telegram_stub import BotApiStub, until

Stub = tuple[BotApiStub, TestServer]
PUBLIC = "https://dozvon.example.com"
ADMIN_CHAT = 5000


async def _check(api: Api) -> None:
    schedule = api.app[SCHEDULE]
    schedule.wake(CHANNELS_HEALTH)
    await schedule.settle(CHANNELS_HEALTH)


async def test_a_dropped_webhook_is_subscribed_again_and_failing_posts_are_told(
    staff: Stub, clients_bot: Stub, max_api: MaxApi, aiohttp_client: Any, db_url: str
) -> None:
    staff_bot, staff_server = staff
    client_bot, client_server = clients_bot
    settings = hub_settings(
        db_url,
        staff_server,
        admin_chat_id=ADMIN_CHAT,
        http=HttpSettings(public_url=PUBLIC),
        messengers={
            "mx": max_api.section(),
            "tg": ClientBotSettings(
                type="telegram",
                token=CLIENT_TOKEN,
                api_base=str(client_server.make_url("")).rstrip("/"),
                mode="webhook",
                webhook_secret="client-bot-secret",
            ),
        },
    )
    api = await start(aiohttp_client, settings)
    max_hook = f"{PUBLIC}/api/v1/messengers/mx/webhook"
    assert [s["url"] for s in max_api.subscriptions] == [max_hook]  # subscribed at start
    assert client_bot.webhook is not None
    assert client_bot.webhook["url"] == f"{PUBLIC}/api/v1/messengers/tg/webhook"

    # All is well: nothing to tell.
    await _check(api)
    assert staff_bot.sent_to(ADMIN_CHAT) == []

    # MAX dropped the webhook, and Telegram cannot reach the service.
    max_api.subscriptions.clear()
    client_bot.webhook_trouble = (12, "Connection refused")
    await _check(api)
    assert [s["url"] for s in max_api.subscriptions] == [max_hook]
    await until(lambda: len(staff_bot.sent_to(ADMIN_CHAT)) == 2)
    told = staff_bot.sent_to(ADMIN_CHAT)
    assert any("«mx»" in t and "subscribed again" in t for t in told)
    assert any("«tg»" in t and "12 updates waiting" in t for t in told)

    # The same trouble again the same day: the admin is not told twice.
    max_api.subscriptions.clear()
    await _check(api)
    assert [s["url"] for s in max_api.subscriptions] == [max_hook]
    notices = [m for m in (await api.get("/api/v1/outbox"))["items"] if m["chat_id"] == ADMIN_CHAT]
    assert len(notices) == 2
