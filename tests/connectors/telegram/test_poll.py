"""Long polling: one getUpdates from an offset, the messages it brought and the next offset."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestServer

from connectors.messaging import Delivery, Polled
from connectors.telegram import TelegramMessenger, parse_update, poll
from hub.domain.delivery import RetryAfter, Temporary
from tests.connectors.telegram.conftest import CLIENT, section, started, webhook
from tests.support.telegram_stub import BotApiStub

Stub = tuple[BotApiStub, TestServer]
OTHER = 5002


async def test_a_poll_brings_the_messages_and_the_next_offset(
    stub: Stub, bot: TelegramMessenger
) -> None:
    fake, server = stub
    text = fake.message(CLIENT, "Есть в наличии?")
    photo = fake.photo(OTHER, b"\xff\xd8" * 50, caption="такой")
    group = fake.message(-100500, "в группе")
    settings = section(server, polling_timeout="1s")

    polled = await poll(settings, bot, None)
    assert polled.offset == group["update_id"] + 1
    assert polled.delivery.messages == parse_update(text) + parse_update(photo)
    assert [m.text for m in polled.delivery.messages] == ["Есть в наличии?", "такой"]
    [request] = fake.calls("getUpdates")
    assert "offset" not in request.params
    assert request.params["timeout"] == "1"
    assert request.params["allowed_updates"] == '["message"]'

    # The next poll confirms them: Telegram forgets them, and nothing new came.
    quiet = section(server, polling_timeout="0s")
    assert await poll(quiet, bot, polled.offset) == Polled(Delivery(), polled.offset)
    assert fake.confirmed == group["update_id"] and fake.updates == []
    assert fake.calls("getUpdates")[-1].params["offset"] == str(polled.offset)

    later = fake.start(CLIENT, "case_9")
    again = await poll(quiet, bot, polled.offset)
    assert again.offset == later["update_id"] + 1
    assert [(m.contact, m.start) for m in again.delivery.messages] == [(str(CLIENT), "case_9")]


async def test_a_poll_that_brings_nothing_keeps_the_offset(
    stub: Stub, bot: TelegramMessenger
) -> None:
    quiet = section(stub[1], polling_timeout="0s")
    assert await poll(quiet, bot, None) == Polled(Delivery(), None)
    assert await poll(quiet, bot, 41) == Polled(Delivery(), 41)
    assert [r.params.get("offset") for r in stub[0].calls("getUpdates")] == [None, "41"]


async def test_an_unreadable_update_is_passed_over(stub: Stub, bot: TelegramMessenger) -> None:
    fake, server = stub
    broken = fake.content(CLIENT, text="hi", chat="not a chat")
    fine = fake.message(CLIENT, "а это дошло")
    polled = await poll(section(server), bot, None)
    assert polled.offset == fine["update_id"] + 1 > broken["update_id"]
    assert [m.text for m in polled.delivery.messages] == ["а это дошло"]


async def test_polling_fails_as_sending_does(stub: Stub, bot: TelegramMessenger) -> None:
    fake, server = stub
    fake.message(CLIENT, "hi")
    fake.fail_method("getUpdates", 429, 1, retry_after=5)
    with pytest.raises(RetryAfter) as caught:
        await poll(section(server), bot, None)
    assert caught.value.seconds == 5
    fake.fail_method("getUpdates", 502, 1)
    with pytest.raises(Temporary):
        await poll(section(server), bot, None)
    assert len((await poll(section(server), bot, None)).delivery.messages) == 1


async def test_start_removes_a_webhook_so_that_polling_works(
    stub: Stub, bot: TelegramMessenger
) -> None:
    fake, server = stub
    async for hooked in started(webhook(api_base=str(server.make_url("")).rstrip("/"))):
        await hooked.start("https://dozvon.example.com/api/v1/messengers/tg/webhook")
    fake.message(CLIENT, "hi")
    with pytest.raises(Temporary, match="webhook is active"):
        await poll(section(server), bot, None)
    await bot.start(None)
    polled = await poll(section(server), bot, None)
    assert [m.text for m in polled.delivery.messages] == ["hi"]


async def test_poll_takes_only_this_connectors_client(stub: Stub) -> None:
    class Other:
        pass

    with pytest.raises(TypeError):
        await poll(section(stub[1]), Other(), None)  # type: ignore[arg-type]
