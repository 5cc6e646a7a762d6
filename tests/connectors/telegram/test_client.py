"""The bot sends to clients and reads their files through real HTTP to the stand-in Bot API."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer

from connectors.messaging import Attachment, OutgoingFile
from connectors.telegram import TelegramMessenger
from hub.domain.delivery import Rejected, RetryAfter, Temporary, Unreachable
from tests.connectors.telegram.conftest import CLIENT, SECRET, section, started, webhook
from tests.support.http_proxy import HttpProxyStub
from tests.support.telegram_stub import BotApiStub

Stub = tuple[BotApiStub, TestServer]
WEBHOOK = "https://dozvon.example.com/api/v1/messengers/clients_tg/webhook"


async def test_send_returns_the_message_id(bot: TelegramMessenger, fake: BotApiStub) -> None:
    first = await bot.send(str(CLIENT), "Добрый день! Счёт отправлю сегодня.", key="m-1")
    second = await bot.send(str(CLIENT), "Готово")
    assert first.isdigit() and int(second) == int(first) + 1
    sent = fake.calls("sendMessage")
    assert [r.params["chat_id"] for r in sent] == [str(CLIENT)] * 2
    assert fake.sent_to(CLIENT) == ["Добрый день! Счёт отправлю сегодня.", "Готово"]
    assert "reply_markup" not in sent[0].params and "parse_mode" not in sent[0].params


async def test_send_file_uploads_a_photo_a_document_and_a_voice(
    bot: TelegramMessenger, fake: BotApiStub
) -> None:
    photo = OutgoingFile(kind="photo", filename="plan.jpg", content=b"\xff\xd8pic", caption="План")
    document = OutgoingFile(kind="document", filename="счёт.pdf", content=b"%PDF", caption="")
    voice = OutgoingFile(kind="voice", filename="answer.ogg", content=b"OggS...")
    ids = [await bot.send_file(str(CLIENT), file) for file in (photo, document, voice)]
    assert all(i.isdigit() for i in ids) and len(set(ids)) == 3
    assert fake.photos_to(CLIENT) == [("План", b"\xff\xd8pic")]
    assert fake.documents_to(CLIENT) == [("счёт.pdf", b"%PDF")]
    assert "caption" not in fake.calls("sendDocument")[0].params
    assert fake.voices_to(CLIENT) == [("answer.ogg", b"OggS...")]


async def test_ask_phone_sends_a_one_time_contact_button(
    bot: TelegramMessenger, fake: BotApiStub
) -> None:
    sent = await bot.ask_phone(str(CLIENT), "Оставьте номер, и менеджер перезвонит", "Мой номер")
    request = fake.calls("sendMessage")[0]
    assert int(sent) > 0 and request.params["text"] == "Оставьте номер, и менеджер перезвонит"
    assert request.params["reply_markup"] == {
        "keyboard": [[{"text": "Мой номер", "request_contact": True}]],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }


async def test_there_are_no_templates(bot: TelegramMessenger, fake: BotApiStub) -> None:
    with pytest.raises(Rejected, match="no templates"):
        await bot.send_template(str(CLIENT))
    assert fake.requests == []


async def test_fetch_downloads_what_a_client_sent(bot: TelegramMessenger, fake: BotApiStub) -> None:
    picture = b"\xff\xd8" + bytes(range(256)) * 40
    photo = fake.photo(CLIENT, picture)["message"]["photo"][-1]["file_id"]
    document = fake.document(CLIENT, "акт.pdf", b"%PDF-1.7")["message"]["document"]["file_id"]
    assert await bot.fetch(Attachment(kind="photo", ref=photo)) == picture
    assert await bot.fetch(Attachment(kind="document", ref=document)) == b"%PDF-1.7"
    assert [r.params["file_id"] for r in fake.calls("getFile")] == [photo, document]
    with pytest.raises(Rejected, match="invalid file_id"):
        await bot.fetch(Attachment(kind="photo", ref="gone"))
    with pytest.raises(Rejected, match="not a file"):
        await bot.fetch(Attachment(kind="location", ref="55.7,37.6"))
    fake.fail_method("getFile", 502, 1)
    with pytest.raises(Temporary):
        await bot.fetch(Attachment(kind="photo", ref=photo))
    # The download itself failing: for good (the file is gone), or for now.
    fake.fail_method("download", 404, 1)
    with pytest.raises(Rejected, match="404"):
        await bot.fetch(Attachment(kind="photo", ref=photo))
    fake.fail_method("download", 503, 1)
    with pytest.raises(Temporary, match="503"):
        await bot.fetch(Attachment(kind="photo", ref=photo))
    assert await bot.fetch(Attachment(kind="photo", ref=photo)) == picture


async def test_429_is_retry_after_its_seconds(bot: TelegramMessenger, fake: BotApiStub) -> None:
    fake.fail(429, 1, retry_after=17)
    with pytest.raises(RetryAfter) as caught:
        await bot.send(str(CLIENT), "hi")
    assert caught.value.seconds == 17
    fake.fail(429, 1, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_file(str(CLIENT), OutgoingFile(kind="voice", filename="v.ogg", content=b"1"))
    assert caught.value.seconds == 3
    assert await bot.send(str(CLIENT), "hi")  # and then it goes


async def test_500_is_temporary(bot: TelegramMessenger, fake: BotApiStub) -> None:
    fake.fail(500, 1)
    with pytest.raises(Temporary, match="Internal Server Error"):
        await bot.ask_phone(str(CLIENT), "Номер?", "Мой номер")
    fake.fail_documents(503, 1)
    with pytest.raises(Temporary):
        await bot.send_file(str(CLIENT), OutgoingFile(kind="document", filename="a", content=b"1"))
    assert fake.sent_to(CLIENT) == [] and fake.documents_to(CLIENT) == []


async def test_a_blocked_bot_is_unreachable(bot: TelegramMessenger, fake: BotApiStub) -> None:
    fake.block(CLIENT)
    with pytest.raises(Unreachable, match="blocked"):
        await bot.send(str(CLIENT), "hi")
    with pytest.raises(Unreachable):
        await bot.send_file(str(CLIENT), OutgoingFile(kind="photo", filename="p", content=b"1"))


async def test_a_refusal_is_rejected(bot: TelegramMessenger, fake: BotApiStub) -> None:
    fake.fail_method("sendMessage", 400, 1)
    with pytest.raises(Rejected):
        await bot.send(str(CLIENT), "x" * 5000)
    with pytest.raises(Rejected, match="not a Telegram chat id"):
        await bot.send("vk:123", "hi")
    assert fake.sent_to(CLIENT) == []


async def test_a_refused_token_or_no_server_is_temporary(stub: Stub) -> None:
    async for bot in started(section(stub[1], token="999:revoked")):
        with pytest.raises(Temporary, match="token"):
            await bot.send(str(CLIENT), "hi")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    async for bot in started(section(api_base=f"http://127.0.0.1:{port}")):
        with pytest.raises(Temporary):
            await bot.send(str(CLIENT), "hi")
    assert stub[0].requests == []


async def test_start_in_webhook_mode_sets_the_webhook_with_its_secret(stub: Stub) -> None:
    fake, server = stub
    async for bot in started(webhook(api_base=str(server.make_url("")).rstrip("/"))):
        await bot.start(WEBHOOK)
        with pytest.raises(Rejected, match="public address"):
            await bot.start(None)
    [request] = fake.calls("setWebhook")
    assert request.params["url"] == WEBHOOK
    assert request.params["secret_token"] == SECRET
    assert request.params["allowed_updates"] == '["message"]'
    assert fake.webhook is not None and not fake.calls("deleteWebhook")


async def test_start_in_polling_mode_removes_a_webhook(
    bot: TelegramMessenger, fake: BotApiStub
) -> None:
    fake.webhook = {"url": WEBHOOK}
    await bot.start(None)
    [request] = fake.calls("deleteWebhook")
    assert request.params.get("drop_pending_updates") in (None, "false")
    assert fake.webhook is None and not fake.calls("setWebhook")


@pytest.fixture
async def proxy() -> AsyncIterator[HttpProxyStub]:
    fake = HttpProxyStub()
    await fake.start()
    yield fake
    await fake.close()


async def test_the_bot_goes_through_its_proxy(stub: Stub, proxy: HttpProxyStub) -> None:
    fake, server = stub
    async for bot in started(section(server, proxy=proxy.url)):
        await bot.send(str(CLIENT), "через прокси")
        file_id = fake.document(CLIENT, "a.txt", b"abc")["message"]["document"]["file_id"]
        assert await bot.fetch(Attachment(kind="document", ref=file_id)) == b"abc"
    assert {(t.host, t.port) for t in proxy.tunnels} == {(server.host, server.port)}
    assert proxy.refused == []
    assert len(fake.requests) == 2 and all(r.peer in proxy.sources() for r in fake.requests)
