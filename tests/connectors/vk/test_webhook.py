"""VK's Callback API posts, over HTTP to a receiver that verifies and parses them as the hub
does: the confirmation handshake, the community's secret, a client's message and its files."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from connectors.errors import PayloadError, SignatureError
from connectors.messaging import Attachment, Delivery, WebhookRequest
from connectors.vk import parse, verify
from tests.support.messenger_hooks import Receiver
from tests.support.vk_api import VkApi, doc, photo, sticker, voice

PEER = 512_300_777


def _request(event: object) -> WebhookRequest:
    body = json.dumps(event).encode()
    return WebhookRequest(method="POST", headers={}, query={}, body=body)


async def test_the_confirmation_is_answered_with_the_communitys_string(
    vk: VkApi, hook: Receiver
) -> None:
    posted = await vk.post(hook.webhook, vk.confirmation())
    assert (posted.status, posted.text) == (200, "9f3c1b2a")
    assert hook.deliveries == [Delivery(answer="9f3c1b2a")]


async def test_a_confirmation_for_another_community_is_refused(vk: VkApi, hook: Receiver) -> None:
    posted = await vk.post(hook.webhook, vk.confirmation(group_id=1))
    assert posted.status == 401
    assert hook.deliveries == []


async def test_a_clients_message_is_read_and_answered_ok(vk: VkApi, hook: Receiver) -> None:
    event = vk.message_new(PEER, "Здравствуйте, где мой заказ?", id=1042, date=1_795_000_000)
    posted = await vk.post(hook.webhook, event)
    assert (posted.status, posted.text) == (200, "ok")
    [delivery] = hook.deliveries
    [message] = delivery.messages
    assert message.contact == str(PEER)
    assert message.user == str(PEER)
    assert message.message_id == "1042"
    assert message.text == "Здравствуйте, где мой заказ?"
    assert message.at == datetime.fromtimestamp(1_795_000_000, UTC)
    assert message.at.tzinfo is UTC
    assert (message.attachments, message.phone, message.start) == ((), None, None)


@pytest.mark.parametrize(
    ("secret", "reason"),
    [("wrong-secret", "does not match"), ("", "does not match"), (None, "no secret")],
)
async def test_a_wrong_or_missing_secret_is_refused(
    vk: VkApi, hook: Receiver, secret: str | None, reason: str
) -> None:
    event = vk.message_new(PEER, "привет", secret=secret if secret is not None else "x")
    if secret is None:
        del event["secret"]
    posted = await vk.post(hook.webhook, event)
    assert posted.status == 401
    assert hook.deliveries == []
    with pytest.raises(SignatureError, match=reason):
        verify(vk.section(), _request(event))


async def test_an_event_of_another_community_is_refused(vk: VkApi, hook: Receiver) -> None:
    event = vk.message_new(PEER, "привет")
    event["group_id"] = vk.group_id + 1
    assert (await vk.post(hook.webhook, event)).status == 401
    event["group_id"] = str(vk.group_id)
    assert (await vk.post(hook.webhook, event)).status == 401
    assert hook.deliveries == []


async def test_a_body_that_is_no_event_is_refused(vk: VkApi, hook: Receiver) -> None:
    assert (await vk.post(hook.webhook, b"type=message_new")).status == 401
    assert (await vk.post(hook.webhook, b"[1, 2]")).status == 401
    assert hook.deliveries == []


async def test_other_events_are_answered_ok_and_carry_nothing(vk: VkApi, hook: Receiver) -> None:
    event = vk.event("message_reply", {"id": 5, "peer_id": PEER, "text": "ответ", "date": 1})
    posted = await vk.post(hook.webhook, event)
    assert (posted.status, posted.text) == (200, "ok")
    assert hook.deliveries == [Delivery()]


async def test_group_chats_are_not_served(vk: VkApi, hook: Receiver) -> None:
    posted = await vk.post(hook.webhook, vk.message_new(2_000_000_004, "всем привет"))
    assert (posted.status, posted.text) == (200, "ok")
    assert hook.deliveries == [Delivery()]


def test_a_message_without_id_is_named_by_its_dialog_and_number(vk: VkApi) -> None:
    event = vk.message_new(PEER, "текст", id=0, conversation_message_id=31)
    [message] = parse(vk.section(), _request(event)).messages
    assert message.message_id == f"{PEER}:31"


def test_the_link_a_dialog_was_opened_with_is_its_start(vk: VkApi) -> None:
    event = vk.message_new(PEER, "Начать", ref="card-1042")
    [message] = parse(vk.section(), _request(event)).messages
    assert message.start == "card-1042"


def test_files_are_read_by_their_urls(vk: VkApi) -> None:
    event = vk.message_new(
        PEER,
        "смотрите",
        attachments=(
            photo("https://sun9-1.userapi.com/big.jpg"),
            doc("https://vk.com/doc1_1?hash=h", "счёт.pdf", size=2048),
            voice("https://psv4.userapi.com/v.ogg"),
            voice("https://psv4.userapi.com/only.mp3", mp3=True),
            sticker("https://vk.com/sticker/9.png"),
            {"type": "video", "video": {"id": 1, "owner_id": 1, "title": "ролик"}},
        ),
    )
    [message] = parse(vk.section(), _request(event)).messages
    assert message.attachments == (
        Attachment(kind="photo", ref="https://sun9-1.userapi.com/big.jpg", mime="image/jpeg"),
        Attachment(kind="document", ref="https://vk.com/doc1_1?hash=h", name="счёт.pdf", size=2048),
        Attachment(kind="voice", ref="https://psv4.userapi.com/v.ogg", mime="audio/ogg"),
        Attachment(kind="voice", ref="https://psv4.userapi.com/only.mp3", mime="audio/mpeg"),
        Attachment(kind="sticker", ref="https://vk.com/sticker/9.png", mime="image/png"),
    )


def test_an_old_photo_without_dimensions_picks_the_largest_letter(vk: VkApi) -> None:
    sizes = [
        {"type": letter, "width": 0, "height": 0, "url": f"https://vk.com/{letter}.jpg"}
        for letter in "mzxs"
    ]
    event = vk.message_new(PEER, "", attachments=({"type": "photo", "photo": {"sizes": sizes}},))
    [message] = parse(vk.section(), _request(event)).messages
    assert [a.ref for a in message.attachments] == ["https://vk.com/z.jpg"]


@pytest.mark.parametrize(
    ("spoil", "field"),
    [
        (lambda e: e.pop("type"), "type"),
        (lambda e: e.__setitem__("object", []), "object"),
        (lambda e: e["object"].pop("message"), "object.message"),
        (lambda e: e["object"]["message"].pop("peer_id"), "object.message.peer_id"),
        (lambda e: e["object"]["message"].__setitem__("from_id", "1"), "object.message.from_id"),
        (lambda e: e["object"]["message"].__setitem__("date", 0), "object.message.date"),
        (lambda e: e["object"]["message"].__setitem__("text", 5), "object.message.text"),
        (
            lambda e: e["object"]["message"].__setitem__("attachments", {}),
            "object.message.attachments",
        ),
        (
            lambda e: e["object"]["message"].__setitem__(
                "attachments", [{"type": "doc", "doc": {"url": "ftp://x"}}]
            ),
            "object.message.attachments[0].doc.url",
        ),
        (
            lambda e: e["object"]["message"].__setitem__(
                "attachments", [{"type": "photo", "photo": {"sizes": []}}]
            ),
            "object.message.attachments[0].photo.sizes",
        ),
    ],
)
async def test_a_malformed_message_is_a_400_naming_the_field(
    vk: VkApi, hook: Receiver, spoil: object, field: str
) -> None:
    event = vk.message_new(PEER, "текст", id=5)
    spoil(event)  # type: ignore[operator]
    with pytest.raises(PayloadError) as caught:
        parse(vk.section(), _request(event))
    assert caught.value.field == field
    posted = await vk.post(hook.webhook, event)
    assert posted.status == 400
    assert json.loads(posted.text)["field"] == field
    assert hook.deliveries == []


def test_a_body_that_is_not_json_is_a_payload_error(vk: VkApi) -> None:
    request = WebhookRequest(method="POST", headers={}, query={}, body=b"\xff")
    with pytest.raises(PayloadError) as caught:
        parse(vk.section(), request)
    assert caught.value.field == "body"
