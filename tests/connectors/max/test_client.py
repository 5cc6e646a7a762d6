"""The MAX bot's API through a real aiohttp session to the stand-in: texts, files through
uploads (waiting while MAX processes them), the phone button, downloads, the webhook
subscription, and what each of MAX's refusals means to the sender."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from connectors.errors import ConnectorError
from connectors.max import SPEC, MaxClient
from connectors.messaging import Attachment, Delivery, OutgoingFile, WebhookRequest
from hub.domain.delivery import Rejected, RetryAfter, Temporary, Unreachable
from tests.connectors.max.conftest import section
from tests.support.max_api import SECRET, TOKEN, MaxApi, post_update, until

CHAT, USER = 51234567, 7001
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def test_a_text_goes_to_the_chat_with_the_token(client: MaxClient, max_api: MaxApi) -> None:
    mid = await client.send(str(CHAT), "Добрый день! Счёт во вложении.")
    assert max_api.sent_to(CHAT) == ["Добрый день! Счёт во вложении."]
    (request,) = max_api.sends()
    assert request.authorization == TOKEN
    assert request.query == {"chat_id": str(CHAT)}
    assert (
        mid.startswith("mid.") and max_api.messages[mid]["text"] == "Добрый день! Счёт во вложении."
    )


async def test_the_message_id_is_mids(client: MaxClient, max_api: MaxApi) -> None:
    first = await client.send(str(CHAT), "раз")
    second = await client.send(str(CHAT), "два")
    assert first != second
    assert max_api.messages[first]["text"] == "раз"
    assert max_api.messages[second]["text"] == "два"


async def test_a_photo_is_uploaded_then_sent_with_its_caption(
    client: MaxClient, max_api: MaxApi
) -> None:
    mid = await client.send_file(
        str(CHAT), OutgoingFile(kind="photo", filename="chart.png", content=PNG, caption="Отчёт")
    )
    (photo,) = max_api.files_to(CHAT)
    assert (photo.type, photo.filename, photo.content) == ("image", "chart.png", PNG)
    (body,) = max_api.messages_to(CHAT)
    assert body["text"] == "Отчёт"
    assert body["attachments"][0]["type"] == "image"
    assert mid in max_api.messages
    slot = next(r for r in max_api.requests if r.path == "/uploads")
    assert slot.query == {"type": "image"} and slot.authorization == TOKEN


@pytest.mark.parametrize(("kind", "uploaded"), [("document", "file"), ("voice", "audio")])
async def test_documents_and_voice(
    client: MaxClient, max_api: MaxApi, kind: str, uploaded: str
) -> None:
    file = OutgoingFile(kind=kind, filename="счёт.pdf", content=b"%PDF-1.4 ...")  # type: ignore[arg-type]
    await client.send_file(str(CHAT), file)
    (sent,) = max_api.files_to(CHAT)
    assert (sent.type, sent.filename, sent.content) == (uploaded, "счёт.pdf", b"%PDF-1.4 ...")
    (body,) = max_api.messages_to(CHAT)
    assert "text" not in body


async def test_a_file_not_yet_processed_is_sent_again(client: MaxClient, max_api: MaxApi) -> None:
    max_api.not_ready(2)
    await client.send_file(str(CHAT), OutgoingFile(kind="photo", filename="a.png", content=PNG))
    assert len(max_api.files_to(CHAT)) == 1
    refused = [r for r in max_api.requests if r.path == "/messages" and r.status == 400]
    assert len(refused) == 2


async def test_the_wait_for_processing_is_bounded(client: MaxClient, max_api: MaxApi) -> None:
    max_api.not_ready(10)
    with pytest.raises(Temporary, match="attachment"):
        await client.send_file(str(CHAT), OutgoingFile(kind="photo", filename="a.png", content=PNG))
    assert max_api.files_to(CHAT) == []
    assert max_api.unready == 7  # three tries: the first and one after each of two waits


async def test_the_phone_button(client: MaxClient, max_api: MaxApi) -> None:
    await client.ask_phone(str(CHAT), "Поделитесь номером, чтобы мы вас узнали", "Отправить номер")
    (body,) = max_api.messages_to(CHAT)
    assert body["text"] == "Поделитесь номером, чтобы мы вас узнали"
    assert body["attachments"] == [
        {
            "type": "inline_keyboard",
            "payload": {"buttons": [[{"type": "request_contact", "text": "Отправить номер"}]]},
        }
    ]


async def test_no_templates_on_max(client: MaxClient, max_api: MaxApi) -> None:
    with pytest.raises(Rejected, match="template"):
        await client.send_template(str(CHAT))
    assert max_api.requests == []


async def test_a_clients_file_is_fetched_without_the_token(
    client: MaxClient, max_api: MaxApi
) -> None:
    attachment = max_api.photo(PNG)
    ref = attachment["payload"]["url"]
    assert await client.fetch(Attachment(kind="photo", ref=ref)) == PNG
    (download,) = [r for r in max_api.requests if r.path.startswith("/files/")]
    assert download.authorization is None


async def test_a_file_that_cannot_be_fetched(max_api: MaxApi, http: aiohttp.ClientSession) -> None:
    client = MaxClient(section(api_base=max_api.url, max_download_bytes=1024), http)
    with pytest.raises(Rejected, match="404"):
        await client.fetch(Attachment(kind="photo", ref=f"{max_api.url}/files/gone"))
    big = max_api.serve("big", b"x" * 2048)
    with pytest.raises(Rejected, match="larger than 1024"):
        await client.fetch(Attachment(kind="document", ref=big))
    with pytest.raises(Rejected, match="location"):
        await client.fetch(Attachment(kind="location", ref="55.75,37.62"))


async def test_start_subscribes_the_webhook(client: MaxClient, max_api: MaxApi) -> None:
    await client.start(None)
    assert max_api.requests == []
    await client.start("https://dozvon.example.com/api/v1/messengers/max/webhook")
    (subscription,) = max_api.subscriptions
    assert subscription["url"] == "https://dozvon.example.com/api/v1/messengers/max/webhook"
    assert subscription["update_types"] == ["message_created", "bot_started"]
    assert subscription["secret"] == SECRET


async def test_too_many_requests_waits_as_told(client: MaxClient, max_api: MaxApi) -> None:
    max_api.fail(429, 1, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await client.send(str(CHAT), "x")
    assert caught.value.seconds == 3.0
    max_api.fail(429, 1, retry_after=None)
    with pytest.raises(RetryAfter) as caught:
        await client.send(str(CHAT), "x")
    assert caught.value.seconds == 1.0
    await client.send(str(CHAT), "x")
    assert max_api.sent_to(CHAT) == ["x"]


async def test_server_errors_and_outages_are_temporary(
    client: MaxClient, max_api: MaxApi, http: aiohttp.ClientSession
) -> None:
    max_api.fail(500, 1)
    with pytest.raises(Temporary, match="500"):
        await client.send(str(CHAT), "x")
    max_api.fail_uploads(503, 1)
    with pytest.raises(Temporary, match="503"):
        await client.send_file(str(CHAT), OutgoingFile(kind="photo", filename="a.png", content=PNG))
    base = max_api.url
    await max_api.close()
    with pytest.raises(Temporary, match="could not be reached"):
        await MaxClient(section(api_base=base), http).send(str(CHAT), "x")


async def test_a_user_who_blocked_the_bot_is_unreachable(
    client: MaxClient, max_api: MaxApi
) -> None:
    max_api.block(CHAT)
    with pytest.raises(Unreachable, match=r"chat\.denied"):
        await client.send(str(CHAT), "x")
    max_api.fail(400, 1, code="chat.denied")
    with pytest.raises(Unreachable):
        await client.send(str(CHAT + 1), "x")


async def test_other_refusals_are_final_with_maxs_words(
    client: MaxClient, max_api: MaxApi, http: aiohttp.ClientSession
) -> None:
    max_api.fail(400, 1, code="proto.payload")
    with pytest.raises(Rejected, match="stand-in failure 400"):
        await client.send(str(CHAT), "x")
    with pytest.raises(Rejected, match="4000"):
        await client.send(str(CHAT), "я" * 4001)
    with pytest.raises(Rejected, match="chat id"):
        await client.send("+79031112233", "x")
    wrong = MaxClient(section(api_base=max_api.url, token="not-the-token"), http)
    with pytest.raises(Rejected, match="401: Invalid access_token"):
        await wrong.send(str(CHAT), "x")
    assert max_api.sent_to(CHAT) == []


@pytest.fixture
async def hub_webhook() -> AsyncIterator[tuple[TestServer, list[Delivery]]]:
    """The hub's side in small: verify and parse each post, answer 401/400 as they say."""
    received: list[Delivery] = []

    async def webhook(request: web.Request) -> web.Response:
        post = WebhookRequest(
            method=request.method,
            headers=request.headers,
            query=request.query,
            body=await request.read(),
        )
        try:
            SPEC.verify(section(), post)
            delivery = SPEC.parse(section(), post)
        except ConnectorError as exc:
            return web.json_response({"error": exc.code}, status=exc.status)
        received.append(delivery)
        return web.Response(text=delivery.answer)

    app = web.Application()
    app.router.add_post("/api/v1/messengers/max/webhook", webhook)
    server = TestServer(app)
    await server.start_server()
    yield server, received
    await server.close()


async def test_what_max_posts_to_the_subscribed_webhook_is_read(
    client: MaxClient, max_api: MaxApi, hub_webhook: tuple[TestServer, list[Delivery]]
) -> None:
    server, received = hub_webhook
    url = str(server.make_url("/api/v1/messengers/max/webhook"))
    await client.start(url)
    assert await max_api.push(max_api.message_created(CHAT, USER, "Где мой заказ?")) == [200]
    assert await max_api.push(max_api.bot_started(CHAT, USER, "promo")) == [200]
    await until(lambda: len(received) == 2)
    assert received[0].messages[0].text == "Где мой заказ?"
    assert received[0].messages[0].contact == str(CHAT)
    assert received[1].messages[0].start == "promo"
    assert await post_update(url, max_api.message_created(CHAT, USER, "x"), secret="wrong") == 401
    assert await post_update(url, {"update_type": "message_created"}) == 400
    assert len(received) == 2
