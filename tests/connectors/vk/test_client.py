"""The community's client against the VK stand-in: what ``messages.send`` carries, files
through the upload servers, ``random_id`` as VK's deduplication of a retried send, and what
each of VK's refusals means for the hub."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp.test_utils import unused_port

from connectors.messaging import Attachment, OutgoingFile
from connectors.vk import SPEC, VkClient, random_id
from hub.domain.delivery import Rejected, RetryAfter, Temporary, Unreachable
from tests.support.vk_api import VERSION, VkApi

PEER = 512_300_777


async def test_a_text_is_one_messages_send(client: VkClient, vk: VkApi) -> None:
    sent = await client.send(str(PEER), "Добрый день! Заказ отправлен.", key="out-17")
    message = await vk.nth_to(PEER, 0)
    assert vk.sent == [message]
    assert sent == str(message.message_id)
    assert (message.peer_id, message.text) == (PEER, "Добрый день! Заказ отправлен.")
    [(method, form)] = vk.calls
    assert method == "messages.send"
    assert form == {
        "peer_id": str(PEER),
        "random_id": str(random_id(str(PEER), "out-17")),
        "message": "Добрый день! Заказ отправлен.",
        "v": VERSION,
    }


async def test_a_retry_with_the_same_key_is_sent_once(client: VkClient, vk: VkApi) -> None:
    first = await client.send(str(PEER), "Счёт во вложении", key="out-18")
    again = await client.send(str(PEER), "Счёт во вложении", key="out-18")
    assert again == first
    assert vk.texts(PEER) == ["Счёт во вложении"]
    assert len(vk.calls) == 2  # VK was asked twice and sent once


async def test_different_keys_and_no_key_are_different_messages(
    client: VkClient, vk: VkApi
) -> None:
    ids = {
        await client.send(str(PEER), "Да", key="out-1"),
        await client.send(str(PEER), "Да", key="out-2"),
        await client.send(str(PEER), "Да"),
        await client.send(str(PEER), "Да"),
    }
    assert len(ids) == 4
    assert vk.texts(PEER) == ["Да"] * 4


def test_random_id_is_a_stable_positive_int32_of_the_key_and_peer() -> None:
    value = random_id("512300777", "out-18")
    assert value == random_id("512300777", "out-18")
    assert 0 < value < 2**31
    assert value != random_id("512300778", "out-18")
    assert value != random_id("512300777", "out-19")
    fresh = {random_id("512300777", None) for _ in range(20)}
    assert len(fresh) > 1 and all(0 < v < 2**31 for v in fresh)


async def test_a_photo_is_uploaded_saved_and_attached(client: VkClient, vk: VkApi) -> None:
    file = OutgoingFile(kind="photo", filename="plan.png", content=b"\x89PNG...", caption="План")
    sent = await client.send_file(str(PEER), file, key="out-20")
    assert [method for method, _ in vk.calls] == [
        "photos.getMessagesUploadServer",
        "photos.saveMessagesPhoto",
        "messages.send",
    ]
    [message] = vk.sent
    assert sent == str(message.message_id)
    assert message.text == "План"
    assert message.attachment.startswith(f"photo-{vk.group_id}_")
    [uploaded] = vk.attached(message)
    assert (uploaded.kind, uploaded.filename, uploaded.content) == (
        "photo",
        "plan.png",
        b"\x89PNG...",
    )
    assert uploaded.mime == "image/png"


async def test_a_document_and_a_voice_go_through_docs(client: VkClient, vk: VkApi) -> None:
    pdf = OutgoingFile(kind="document", filename="счёт-42.pdf", content=b"%PDF-1.7")
    note = OutgoingFile(kind="voice", filename="voice.ogg", content=b"OggS")
    await client.send_file(str(PEER), pdf)
    await client.send_file(str(PEER), note)
    servers = [form for method, form in vk.calls if method == "docs.getMessagesUploadServer"]
    assert [form["type"] for form in servers] == ["doc", "audio_message"]
    saves = [form for method, form in vk.calls if method == "docs.save"]
    assert [form["title"] for form in saves] == ["счёт-42.pdf", "voice.ogg"]
    first, second = vk.sent
    assert first.attachment.startswith(f"doc-{vk.group_id}_")
    assert [(u.kind, u.content, u.mime) for u in vk.attached(first)] == [
        ("doc", b"%PDF-1.7", "application/pdf")
    ]
    assert [(u.kind, u.content, u.mime) for u in vk.attached(second)] == [
        ("audio_message", b"OggS", "audio/ogg")
    ]
    assert (first.text, second.text) == ("", "")


async def test_a_file_retried_with_its_key_is_sent_once(client: VkClient, vk: VkApi) -> None:
    file = OutgoingFile(kind="document", filename="a.txt", content=b"a")
    first = await client.send_file(str(PEER), file, key="out-30")
    assert await client.send_file(str(PEER), file, key="out-30") == first
    assert len(vk.sent) == 1


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (6, RetryAfter),
        (9, RetryAfter),
        (10, Temporary),
        (1, Temporary),
        (7, Unreachable),
        (901, Unreachable),
        (902, Unreachable),
        (100, Rejected),
        (914, Rejected),
    ],
)
async def test_vks_errors_name_what_to_do(
    client: VkClient, vk: VkApi, error: int, expected: type[Exception]
) -> None:
    vk.fail(error=error)
    with pytest.raises(expected) as caught:
        await client.send(str(PEER), "текст", key="out-40")
    if isinstance(caught.value, RetryAfter):
        assert caught.value.seconds == 1
    else:
        assert f"({error})" in str(caught.value)
    assert vk.sent == []
    # The failure was one answer: the same send goes through now, once.
    await client.send(str(PEER), "текст", key="out-40")
    assert vk.texts(PEER) == ["текст"]


async def test_a_user_who_did_not_allow_messages_is_unreachable(
    client: VkClient, vk: VkApi
) -> None:
    vk.forbid(PEER)
    with pytest.raises(Unreachable, match="901"):
        await client.send(str(PEER), "Здравствуйте")


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_a_server_error_is_temporary(client: VkClient, vk: VkApi, status: int) -> None:
    vk.fail(status=status)
    with pytest.raises(Temporary, match=str(status)):
        await client.send(str(PEER), "текст")


async def test_a_failing_upload_step_fails_the_send(client: VkClient, vk: VkApi) -> None:
    vk.fail(error=10, method="photos.saveMessagesPhoto")
    file = OutgoingFile(kind="photo", filename="a.jpg", content=b"jpg")
    with pytest.raises(Temporary):
        await client.send_file(str(PEER), file)
    assert vk.sent == []


async def test_vk_out_of_reach_is_temporary(vk: VkApi, session: aiohttp.ClientSession) -> None:
    closed = SPEC.client(vk.section(api_base=f"http://127.0.0.1:{unused_port()}/method"), session)
    with pytest.raises(Temporary, match="could not be reached"):
        await closed.send(str(PEER), "текст")


async def test_a_wrong_token_is_rejected(vk: VkApi, session: aiohttp.ClientSession) -> None:
    wrong = SPEC.client(vk.section(access_token="vk1.a.other"), session)
    with pytest.raises(Rejected, match=r"authorization failed.*\(5\)"):
        await wrong.send(str(PEER), "текст")
    assert vk.calls == []


async def test_a_contact_that_is_no_peer_is_rejected_before_vk(client: VkClient, vk: VkApi) -> None:
    for contact in ("", "abc", "-5", "0", "١٢"):
        with pytest.raises(Rejected, match="not a VK peer id"):
            await client.send(contact, "текст")
    assert vk.calls == []


async def test_no_phone_button_and_no_templates(client: VkClient, vk: VkApi) -> None:
    with pytest.raises(Rejected, match="phone"):
        await client.ask_phone(str(PEER), "Поделитесь номером", "Отправить номер")
    with pytest.raises(Rejected, match="template"):
        await client.send_template(str(PEER))
    await client.start("https://dozvon.example.com/api/v1/messengers/vk/webhook")
    assert vk.calls == []


async def test_a_clients_file_is_fetched_by_its_url(client: VkClient, vk: VkApi) -> None:
    url = vk.file("scan.pdf", b"%PDF-scan")
    assert await client.fetch(Attachment(kind="document", ref=url)) == b"%PDF-scan"
    with pytest.raises(Rejected, match="404"):
        await client.fetch(Attachment(kind="document", ref=f"{vk.url}/files/gone.pdf"))
    with pytest.raises(Rejected, match="without a URL"):
        await client.fetch(Attachment(kind="sticker", ref="sticker:9"))
