"""MAX's updates as the hub's deliveries: a client's message, his start of the bot, his own
phone (never someone else's card), and what carries nothing for the hub."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from connectors.errors import PayloadError
from connectors.max import parse
from connectors.max.parse import vcard_phone
from connectors.messaging import Attachment, Delivery, Incoming
from tests.connectors.max.conftest import posted, section
from tests.support.max_api import MaxApi

CHAT, USER = 51234567, 7001

stand_in = MaxApi()  # only its builders: nothing is served


def one(update: dict[str, Any] | bytes) -> Incoming:
    delivery = parse(section(), posted(update))
    assert len(delivery.messages) == 1, delivery
    return delivery.messages[0]


def test_a_message_in_the_dialog() -> None:
    update = stand_in.message_created(CHAT, USER, "Здравствуйте, нужен счёт", mid="mid.abc")
    update["message"]["timestamp"] = 1_795_000_000_123
    incoming = one(update)
    assert incoming == Incoming(
        contact=str(CHAT),
        message_id="mid.abc",
        at=datetime(2026, 11, 18, 11, 6, 40, 123000, tzinfo=UTC),
        text="Здравствуйте, нужен счёт",
        name="Иван Петров",
        user=str(USER),
    )
    assert incoming.at.utcoffset() is not None
    assert parse(section(), posted(update)).answer == "ok"


def test_a_forwarded_message_brings_its_text() -> None:
    incoming = one(stand_in.message_created(CHAT, USER, forwarded="Пересланный счёт №12"))
    assert incoming.text == "Пересланный счёт №12"
    assert incoming.user == str(USER)  # the one who forwarded it, not its author


def test_a_reply_keeps_its_own_text() -> None:
    update = stand_in.message_created(CHAT, USER, "да, этот")
    update["message"]["link"] = {"type": "reply", "message": {"mid": "mid.1", "text": "старый"}}
    assert one(update).text == "да, этот"


def test_attachments_of_every_kind() -> None:
    attachments: list[dict[str, Any]] = [
        {"type": "image", "payload": {"photo_id": 1, "token": "t1", "url": "https://i.max/1"}},
        {
            "type": "file",
            "payload": {"url": "https://f.max/2", "token": "t2"},
            "filename": "счёт.pdf",
            "size": 2048,
        },
        {"type": "audio", "payload": {"url": "https://a.max/3", "token": "t3"}},
        {"type": "video", "payload": {"token": "t4"}},
        {"type": "sticker", "payload": {"url": "https://s.max/5", "code": "abc"}},
        {"type": "location", "latitude": 55.75, "longitude": 37.62},
        {"type": "share", "payload": {"url": "https://example.com"}},
        {"type": "inline_keyboard", "payload": {"buttons": []}},
    ]
    incoming = one(stand_in.message_created(CHAT, USER, "смотрите", attachments=attachments))
    assert incoming.attachments == (
        Attachment(kind="photo", ref="https://i.max/1"),
        Attachment(kind="document", ref="https://f.max/2", name="счёт.pdf", size=2048),
        Attachment(kind="voice", ref="https://a.max/3"),
        Attachment(kind="video", ref="t4"),
        Attachment(kind="sticker", ref="https://s.max/5"),
        Attachment(kind="location", ref="55.75,37.62"),
    )
    assert incoming.text == "смотрите"


def test_his_own_phone_is_taken() -> None:
    incoming = one(stand_in.contact(CHAT, USER, "+79031112233"))
    assert incoming.phone == "+79031112233"
    assert incoming.attachments == ()


def test_someone_elses_card_is_not_his_phone() -> None:
    incoming = one(stand_in.contact(CHAT, USER, "+79035556677", own=False))
    assert incoming.phone is None


def test_a_card_without_the_max_user_is_not_his_phone() -> None:
    update = stand_in.contact(CHAT, USER, "+79031112233")
    del update["message"]["body"]["attachments"][0]["payload"]["max_info"]
    assert one(update).phone is None


@pytest.mark.parametrize(
    ("vcard", "phone"),
    [
        ("BEGIN:VCARD\r\nTEL;TYPE=cell:79031112233\r\nEND:VCARD", "79031112233"),
        ("BEGIN:VCARD\nitem1.TEL:+7 903 111-22-33\nEND:VCARD", "+7 903 111-22-33"),
        ("BEGIN:VCARD\r\nTEL;VALUE=uri:tel:+79031112233\r\nEND:VCARD", "+79031112233"),
        ("BEGIN:VCARD\r\nTEL:+7903111\r\n 2233\r\nEND:VCARD", "+79031112233"),
        ("BEGIN:VCARD\r\nFN:Иван\r\nEND:VCARD", None),
        (None, None),
    ],
)
def test_the_phone_of_a_vcard(vcard: str | None, phone: str | None) -> None:
    assert vcard_phone(vcard) == phone


def test_a_start_with_a_deep_link_payload() -> None:
    update = stand_in.bot_started(CHAT, USER, "invoice-42")
    update["timestamp"] = 1_795_000_000_000
    incoming = one(update)
    assert incoming == Incoming(
        contact=str(CHAT),
        message_id=f"start:{CHAT}:1795000000000",
        at=datetime(2026, 11, 18, 11, 6, 40, tzinfo=UTC),
        name="Иван Петров",
        user=str(USER),
        start="invoice-42",
    )


def test_a_start_without_a_payload() -> None:
    assert one(stand_in.bot_started(CHAT, USER)).start == ""


@pytest.mark.parametrize(
    "update",
    [
        stand_in.message_created(CHAT, USER, "в группе", chat_type="chat"),
        stand_in.message_created(CHAT, USER, "в канале", chat_type="channel"),
        stand_in.message_created(CHAT, USER, "я бот", is_bot=True),
        {"update_type": "message_edited", "timestamp": 1_795_000_000_000, "message": {}},
        {"update_type": "bot_stopped", "timestamp": 1_795_000_000_000, "chat_id": CHAT},
        {"update_type": "message_callback", "timestamp": 1_795_000_000_000},
    ],
    ids=["group", "channel", "bot", "edited", "stopped", "callback"],
)
def test_what_carries_nothing_for_the_hub(update: dict[str, Any]) -> None:
    assert parse(section(), posted(update)) == Delivery()


def _without(update: dict[str, Any], *path: str) -> dict[str, Any]:
    copy: dict[str, Any] = json.loads(json.dumps(update))
    node = copy
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return copy


MESSAGE = stand_in.message_created(CHAT, USER, "текст")


@pytest.mark.parametrize(
    ("update", "field"),
    [
        (b"{not json", "body"),
        (b"[1, 2]", "body"),
        ({"timestamp": 1}, "update_type"),
        (_without(MESSAGE, "message"), "message"),
        (_without(MESSAGE, "message", "body", "mid"), "message.body.mid"),
        (_without(MESSAGE, "message", "sender"), "message.sender"),
        (_without(MESSAGE, "message", "sender", "user_id"), "message.sender.user_id"),
        (_without(MESSAGE, "message", "recipient", "chat_id"), "message.recipient.chat_id"),
        (_without(MESSAGE, "message", "recipient", "chat_type"), "message.recipient.chat_type"),
        (_without(MESSAGE, "message", "timestamp"), "message.timestamp"),
        (_without(stand_in.bot_started(CHAT, USER), "chat_id"), "chat_id"),
        (_without(stand_in.bot_started(CHAT, USER), "user"), "user"),
        (_without(stand_in.bot_started(CHAT, USER), "user", "user_id"), "user.user_id"),
    ],
)
def test_a_missing_field_is_named(update: dict[str, Any] | bytes, field: str) -> None:
    with pytest.raises(PayloadError) as caught:
        parse(section(), posted(update))
    assert caught.value.field == field
    assert caught.value.status == 400


def test_wrong_kinds_of_values_are_named() -> None:
    update = stand_in.message_created(CHAT, USER, "текст")
    update["message"]["timestamp"] = "вчера"
    with pytest.raises(PayloadError) as caught:
        parse(section(), posted(update))
    assert caught.value.field == "message.timestamp"
    update = stand_in.message_created(CHAT, USER, "текст")
    update["message"]["timestamp"] = 1_795_000_000  # seconds, not milliseconds
    with pytest.raises(PayloadError, match="milliseconds"):
        parse(section(), posted(update))
    update = stand_in.message_created(CHAT, USER, attachments=[{"type": "image", "payload": {}}])
    with pytest.raises(PayloadError) as caught:
        parse(section(), posted(update))
    assert caught.value.field == "message.body.attachments[0].payload.url"
