"""Updates as Telegram posts them (built by the stand-in) read as the clients' messages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from connectors.errors import PayloadError
from connectors.messaging import Attachment, Delivery, Incoming
from connectors.telegram import parse
from tests.connectors.telegram.conftest import CLIENT, post, section
from tests.support.telegram_stub import BotApiStub

OTHER = 7007


@pytest.fixture
def telegram() -> BotApiStub:
    """What people do in Telegram, as updates (no server needed to build them)."""
    return BotApiStub()


def one(update: object) -> Incoming:
    delivery = parse(section(), post(update))
    assert delivery.answer == "ok" and delivery.statuses == ()
    assert len(delivery.messages) == 1
    return delivery.messages[0]


def test_a_text_names_the_chat_the_sender_and_the_message(telegram: BotApiStub) -> None:
    update = telegram.message(CLIENT, "Здравствуйте, нужен счёт")
    message = update["message"]
    assert one(update) == Incoming(
        contact=str(CLIENT),
        message_id=f"{CLIENT}:{message['message_id']}",
        at=datetime.fromtimestamp(message["date"], UTC),
        text="Здравствуйте, нужен счёт",
        name=f"User{CLIENT}",
        user=str(CLIENT),
    )
    assert one(update).at.tzinfo is UTC


def test_the_name_joins_first_and_last(telegram: BotApiStub) -> None:
    sender = {"id": CLIENT, "is_bot": False, "first_name": "Анна", "last_name": "Петрова"}
    update = telegram.content(CLIENT, text="привет", **{"from": sender})
    assert one(update).name == "Анна Петрова"


def test_a_photo_is_its_largest_size_and_its_caption_the_text(telegram: BotApiStub) -> None:
    update = telegram.photo(CLIENT, b"\xff\xd8jpeg" * 100, caption="вот накладная")
    sizes = update["message"]["photo"]
    incoming = one(update)
    assert incoming.text == "вот накладная"
    assert incoming.attachments == (Attachment(kind="photo", ref=sizes[1]["file_id"], size=600),)
    # The order Telegram lists sizes in does not decide it.
    update["message"]["photo"] = list(reversed(sizes))
    assert one(update).attachments[0].ref == sizes[1]["file_id"]


def test_a_document_keeps_its_name_type_and_size(telegram: BotApiStub) -> None:
    update = telegram.document(CLIENT, "договор.pdf", b"%PDF-1.7 ...")
    file_id = update["message"]["document"]["file_id"]
    incoming = one(update)
    assert incoming.text == ""
    assert incoming.attachments == (
        Attachment(
            kind="document", ref=file_id, name="договор.pdf", mime="application/pdf", size=12
        ),
    )


@pytest.mark.parametrize(
    ("key", "kind", "fields", "expected"),
    [
        ("voice", "voice", {"duration": 3, "mime_type": "audio/ogg"}, ("audio/ogg", None)),
        (
            "audio",
            "audio",
            {"duration": 90, "file_name": "song.mp3", "mime_type": "audio/mpeg"},
            ("audio/mpeg", "song.mp3"),
        ),
        (
            "video",
            "video",
            {"width": 640, "height": 480, "duration": 5, "mime_type": "video/mp4"},
            ("video/mp4", None),
        ),
        ("video_note", "video", {"length": 240, "duration": 5}, (None, None)),
        (
            "sticker",
            "sticker",
            {"type": "regular", "width": 512, "height": 512, "is_animated": False},
            ("image/webp", None),
        ),
        (
            "sticker",
            "sticker",
            {"type": "regular", "width": 512, "height": 512, "is_animated": True},
            ("application/x-tgsticker", None),
        ),
    ],
)
def test_voice_audio_video_and_stickers(
    telegram: BotApiStub,
    key: str,
    kind: str,
    fields: dict[str, Any],
    expected: tuple[str | None, str | None],
) -> None:
    file = {"file_id": f"{key}-id", "file_unique_id": "u1", "file_size": 2048, **fields}
    incoming = one(telegram.content(CLIENT, **{key: file}))
    mime, name = expected
    assert incoming.attachments == (
        Attachment(kind=kind, ref=f"{key}-id", name=name, mime=mime, size=2048),  # type: ignore[arg-type]
    )


def test_a_voice_message_built_by_the_stand_in(telegram: BotApiStub) -> None:
    update = telegram.voice(CLIENT, b"OggS" * 10)
    attachment = one(update).attachments[0]
    assert (attachment.kind, attachment.ref) == ("voice", update["message"]["voice"]["file_id"])
    assert (attachment.mime, attachment.size) == ("audio/ogg", 40)


def test_a_location_is_latitude_comma_longitude(telegram: BotApiStub) -> None:
    incoming = one(telegram.location(CLIENT, 55.751244, 37.618423))
    assert incoming.attachments == (Attachment(kind="location", ref="55.751244,37.618423"),)
    venue = {
        "location": {"latitude": 59.9386, "longitude": 30.3141},
        "title": "Склад №2",
        "address": "Невский пр., 1",
    }
    incoming = one(telegram.content(CLIENT, location=venue["location"], venue=venue))
    assert incoming.attachments == (
        Attachment(kind="location", ref="59.9386,30.3141", name="Склад №2"),
    )


def test_his_own_contact_gives_his_phone(telegram: BotApiStub) -> None:
    incoming = one(telegram.contact(CLIENT, "79031112233"))
    assert incoming.phone == "+79031112233"
    assert (incoming.text, incoming.attachments, incoming.user) == ("", (), str(CLIENT))
    assert one(telegram.contact(CLIENT, "+7 903 111-22-33")).phone == "+79031112233"


@pytest.mark.parametrize("user_id", [OTHER, None])
def test_someone_elses_contact_gives_no_phone(telegram: BotApiStub, user_id: int | None) -> None:
    update = telegram.contact(CLIENT, "79035556677", own=False, user_id=user_id)
    assert update["message"]["contact"].get("user_id") == user_id
    incoming = one(update)
    assert incoming.phone is None
    assert incoming.text == "" and incoming.contact == str(CLIENT)


def test_a_start_with_a_payload_is_the_payload_not_a_text(telegram: BotApiStub) -> None:
    incoming = one(telegram.start(CLIENT, "client_42-a"))
    assert (incoming.start, incoming.text) == ("client_42-a", "")
    incoming = one(telegram.start(CLIENT))
    assert (incoming.start, incoming.text) == ("", "")
    incoming = one(telegram.message(CLIENT, "/start@dozvon_client_bot ref7"))
    assert (incoming.start, incoming.text) == ("ref7", "")


@pytest.mark.parametrize("payload", ["x" * 65, "да", "a b", "a.b"])
def test_a_payload_outside_telegrams_rule_is_dropped(telegram: BotApiStub, payload: str) -> None:
    incoming = one(telegram.start(CLIENT, payload))
    assert (incoming.start, incoming.text) == ("", "")


def test_other_commands_and_texts_are_texts(telegram: BotApiStub) -> None:
    for text in ("/help", "/starting now", "start"):
        incoming = one(telegram.message(CLIENT, text))
        assert (incoming.start, incoming.text) == (None, text)
    assert one(telegram.start(CLIENT, "x" * 64)).start == "x" * 64


def test_what_is_no_client_writing_gives_nothing(telegram: BotApiStub) -> None:
    message = telegram.message(CLIENT, "исправил")["message"]
    group = telegram.message(-100200300, "всем привет")
    edited = {"update_id": 900, "edited_message": {**message, "edit_date": message["date"] + 5}}
    channel = {
        "update_id": 901,
        "channel_post": {**message, "chat": {"id": -1001, "type": "channel", "title": "Новости"}},
    }
    pressed = telegram.press(CLIENT, "data")
    pinned = telegram.content(CLIENT, pinned_message=message)
    supergroup = telegram.content(CLIENT, text="hi", chat={"id": -1002, "type": "supergroup"})
    for update in (group, edited, channel, pressed, pinned, supergroup):
        assert parse(section(), post(update)) == Delivery(), update


def test_a_message_nothing_is_carried_of_still_reaches_the_hub(telegram: BotApiStub) -> None:
    # A poll or a dice: the hub learns that the client wrote, with nothing to show.
    dice = one(telegram.content(CLIENT, dice={"emoji": "🎲", "value": 4}))
    assert (dice.text, dice.attachments) == ("", ())


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"update_id": None}, "update.update_id"),
        ({"update_id": "7"}, "update.update_id"),
        ({"message": "hi"}, "message"),
        ({"message": {"message_id": 1, "date": 1}}, "message.chat"),
    ],
)
def test_a_malformed_update_names_its_field(
    telegram: BotApiStub, change: dict[str, Any], field: str
) -> None:
    update = {**telegram.message(CLIENT, "hi"), **change}
    with pytest.raises(PayloadError) as caught:
        parse(section(), post(update))
    assert caught.value.field == field and caught.value.status == 400


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("from",), None, "message.from"),
        (("from", "id"), "5001", "message.from.id"),
        (("chat", "id"), None, "message.chat.id"),
        (("chat", "type"), None, "message.chat.type"),
        (("message_id",), None, "message.message_id"),
        (("date",), "yesterday", "message.date"),
        (("date",), 10**20, "message.date"),
        (("text",), 42, "message.text"),
        (("photo",), [], "message.photo"),
        (("document",), {"file_unique_id": "u"}, "message.document.file_id"),
        (("location",), {"latitude": 55.7}, "message.location.longitude"),
        (("contact",), {"first_name": "A", "user_id": CLIENT}, "message.contact.phone_number"),
        (("contact",), {"phone_number": "7903", "user_id": "me"}, "message.contact.user_id"),
    ],
)
def test_a_malformed_message_names_its_field(
    telegram: BotApiStub, path: tuple[str, ...], value: object, field: str
) -> None:
    update = telegram.message(CLIENT, "hi")
    node = update["message"]
    for key in path[:-1]:
        node = node[key]
    if value is None:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    with pytest.raises(PayloadError) as caught:
        parse(section(), post(update))
    assert caught.value.field == field


def test_a_body_that_is_not_json_is_a_payload_error() -> None:
    with pytest.raises(PayloadError) as caught:
        parse(section(), post(b"{not json"))
    assert caught.value.field == "update"
    with pytest.raises(PayloadError):
        parse(section(), post([1, 2]))
