"""The business number's client against the Graph API stand-in: what each send carries, files
through the media endpoint, the template that reopens a closed window, and what each of the
Cloud API's refusals means for the hub."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp.test_utils import unused_port

from connectors.messaging import Attachment, OutgoingFile
from connectors.whatsapp import SPEC, WhatsAppClient, WindowClosed
from hub.domain.delivery import Rejected, RetryAfter, Temporary, Unreachable
from tests.support.whatsapp_api import PHONE_NUMBER_ID, WhatsAppApi

CLIENT = "79031234567"


async def test_a_text_is_one_message_post(client: WhatsAppClient, wa: WhatsAppApi) -> None:
    sent = await client.send(CLIENT, "Добрый день! Доставка в Ереван есть.", key="out-1")
    message = await wa.nth_to(CLIENT, 0)
    assert wa.sent == [message]
    assert sent == message.message_id and sent.startswith("wamid.")
    [(method, path, body)] = wa.calls
    assert (method, path) == ("POST", f"{PHONE_NUMBER_ID}/messages")
    assert body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": CLIENT,
        "type": "text",
        "text": {"body": "Добрый день! Доставка в Ереван есть.", "preview_url": False},
    }


async def test_a_photo_is_uploaded_then_sent_by_its_media_id(
    client: WhatsAppClient, wa: WhatsAppApi
) -> None:
    file = OutgoingFile(kind="photo", filename="plan.png", content=b"\x89PNG", caption="План")
    sent = await client.send_file(CLIENT, file)
    upload, message = wa.calls
    assert upload[:2] == ("POST", f"{PHONE_NUMBER_ID}/media")
    assert upload[2] == {"messaging_product": "whatsapp", "type": "image/png"}
    [image] = wa.sent
    assert sent == image.message_id
    assert image.type == "image"
    media_id = image.body["id"]
    assert image.body == {"id": media_id, "caption": "План"}
    assert (wa.media[media_id].content, wa.media[media_id].filename) == (b"\x89PNG", "plan.png")
    assert message[2]["to"] == CLIENT


async def test_a_document_keeps_its_name(client: WhatsAppClient, wa: WhatsAppApi) -> None:
    file = OutgoingFile(kind="document", filename="счёт-42.pdf", content=b"%PDF")
    await client.send_file(CLIENT, file)
    [document] = wa.sent
    assert document.type == "document"
    assert document.body == {"id": document.body["id"], "filename": "счёт-42.pdf"}
    assert wa.media[document.body["id"]].mime == "application/pdf"


async def test_a_voice_is_an_ogg_audio_and_its_caption_follows(
    client: WhatsAppClient, wa: WhatsAppApi
) -> None:
    note = OutgoingFile(kind="voice", filename="voice.oga", content=b"OggS", caption="Послушайте")
    sent = await client.send_file(CLIENT, note)
    audio, caption = wa.sent
    assert sent == audio.message_id
    assert (audio.type, audio.body) == ("audio", {"id": audio.body["id"]})
    assert wa.media[audio.body["id"]].mime == "audio/ogg"
    assert (caption.type, caption.body["body"]) == ("text", "Послушайте")


async def test_the_template_reopens_a_closed_window(
    client: WhatsAppClient, wa: WhatsAppApi
) -> None:
    wa.window_closed(CLIENT)
    with pytest.raises(WindowClosed, match="24-hour window closed") as caught:
        await client.send(CLIENT, "Ваш заказ готов")
    assert isinstance(caught.value, Rejected)
    assert "131047" in str(caught.value)
    sent = await client.send_template(CLIENT)
    [template] = wa.sent
    assert sent == template.message_id
    assert (template.type, template.body) == (
        "template",
        {"name": "reopen_chat", "language": {"code": "ru"}},
    )


async def test_no_template_configured_is_rejected(
    wa: WhatsAppApi, session: aiohttp.ClientSession
) -> None:
    plain = SPEC.client(wa.section(), session)
    with pytest.raises(Rejected, match="no WhatsApp template"):
        await plain.send_template(CLIENT)
    assert wa.calls == []


async def test_no_phone_button(client: WhatsAppClient, wa: WhatsAppApi) -> None:
    with pytest.raises(Rejected, match="phone"):
        await client.ask_phone(CLIENT, "Поделитесь номером", "Отправить номер")
    await client.start("https://dozvon.example.com/api/v1/messengers/wa/webhook")
    assert wa.calls == []


async def test_a_clients_file_is_fetched_through_its_media_url(
    client: WhatsAppClient, wa: WhatsAppApi
) -> None:
    media_id = wa.received_media(b"JPEG-bytes", "image/jpeg")
    assert await client.fetch(Attachment(kind="photo", ref=media_id)) == b"JPEG-bytes"
    assert [(m, p) for m, p, _ in wa.calls] == [("GET", media_id)]
    with pytest.raises(Rejected, match="100"):
        await client.fetch(Attachment(kind="photo", ref="404404"))
    with pytest.raises(Rejected, match="not a file"):
        await client.fetch(Attachment(kind="location", ref="55.7,37.6"))
    with pytest.raises(Rejected, match="not a file"):
        await client.fetch(Attachment(kind="photo", ref="../me"))


@pytest.mark.parametrize(
    ("status", "code", "retry_after", "expected", "seconds"),
    [
        (429, None, None, RetryAfter, 60.0),
        (429, None, "7", RetryAfter, 7.0),
        (400, 130429, None, RetryAfter, 1.0),
        (400, 131056, None, RetryAfter, 6.0),
        (500, None, None, Temporary, None),
        (503, 2, None, Temporary, None),
        (500, 131000, None, Temporary, None),
        (400, 131026, None, Unreachable, None),
        (400, 131051, None, Rejected, None),
        (400, 100, None, Rejected, None),
    ],
)
async def test_the_cloud_apis_refusals_name_what_to_do(
    client: WhatsAppClient,
    wa: WhatsAppApi,
    status: int,
    code: int | None,
    retry_after: str | None,
    expected: type[Exception],
    seconds: float | None,
) -> None:
    wa.fail(status=status, code=code, retry_after=retry_after)
    with pytest.raises(expected) as caught:
        await client.send(CLIENT, "текст")
    assert type(caught.value) is expected
    if isinstance(caught.value, RetryAfter):
        assert caught.value.seconds == seconds
    elif code is not None:
        assert f"({code})" in str(caught.value)
    assert wa.sent == []
    await client.send(CLIENT, "текст")
    assert wa.texts(CLIENT) == ["текст"]


async def test_a_failing_upload_fails_the_send(client: WhatsAppClient, wa: WhatsAppApi) -> None:
    wa.fail(status=500, endpoint="media")
    with pytest.raises(Temporary):
        await client.send_file(CLIENT, OutgoingFile(kind="photo", filename="a.jpg", content=b"x"))
    assert wa.sent == []


async def test_a_wrong_token_is_rejected(wa: WhatsAppApi, session: aiohttp.ClientSession) -> None:
    wrong = SPEC.client(wa.section(access_token="EAAG-other"), session)
    with pytest.raises(Rejected, match=r"Invalid OAuth access token.*\(190\)"):
        await wrong.send(CLIENT, "текст")
    assert wa.calls == []


async def test_the_api_out_of_reach_is_temporary(
    wa: WhatsAppApi, session: aiohttp.ClientSession
) -> None:
    away = SPEC.client(wa.section(api_base=f"http://127.0.0.1:{unused_port()}/v21.0"), session)
    with pytest.raises(Temporary, match="could not be reached"):
        await away.send(CLIENT, "текст")


async def test_a_contact_that_is_no_wa_id_is_rejected_before_the_api(
    client: WhatsAppClient, wa: WhatsAppApi
) -> None:
    for contact in ("+79031234567", "", "7903 123"):
        with pytest.raises(Rejected, match="not a WhatsApp id"):
            await client.send(contact, "текст")
    assert wa.calls == []
