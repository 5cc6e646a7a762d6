"""A Telegram update (https://core.telegram.org/bots/api#update) as the client's message it carries.

Only a ``message`` in a private chat is a client writing to the company: edited messages,
channel posts, groups the bot was added to and button presses carry nothing for the hub and give
an empty :class:`Delivery`. A chat's id is the contact; Telegram numbers messages per chat, so a
message's id is ``<chat id>:<message id>``. A photo comes in several sizes: the largest is kept.
A shared contact gives the client's phone only when it is his own (``contact.user_id`` is the
sender's id), never a card of someone else's. ``/start PAYLOAD`` — what a deep link
``https://t.me/<bot>?start=PAYLOAD`` sends — is a start with its payload, not a text. Polling
reads each update of ``getUpdates`` through the same :func:`parse_update`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, TypeGuard

from config.settings import ConnectorSection
from connectors.errors import PayloadError
from connectors.messaging import Attachment, AttachmentKind, Delivery, Incoming, WebhookRequest
from connectors.telegram.settings import PAYLOAD, telegram_settings

# What a client's own action in the chat adds that is no message to anybody (a pin, a timer,
# a background, a payment's receipt): not handed to the hub.
SERVICE = frozenset(
    {
        "pinned_message",
        "message_auto_delete_timer_changed",
        "chat_background_set",
        "write_access_allowed",
        "successful_payment",
        "refunded_payment",
        "connected_website",
        "proximity_alert_triggered",
        "users_shared",
        "chat_shared",
        "gift",
        "unique_gift",
        "forum_topic_created",
        "forum_topic_edited",
        "forum_topic_closed",
        "forum_topic_reopened",
    }
)
# Files by the message's key that holds them, and their kind.
FILES: tuple[tuple[str, AttachmentKind], ...] = (
    ("document", "document"),  # an animation (GIF) comes as a document too
    ("voice", "voice"),
    ("audio", "audio"),
    ("video", "video"),
    ("video_note", "video"),
)
STICKER_MIME = {
    "static": "image/webp",
    "animated": "application/x-tgsticker",
    "video": "video/webm",
}


def parse(section: ConnectorSection, request: WebhookRequest) -> Delivery:
    """One update posted to the webhook."""
    telegram_settings(section)
    try:
        update = json.loads(request.body)
    except ValueError as exc:
        raise PayloadError("the body is not JSON", field="update") from exc
    return Delivery(messages=parse_update(update))


def parse_update(update: object) -> tuple[Incoming, ...]:
    """The client's message an update carries (none for any other update)."""
    body = _object(update, "update")
    _int(body, "update_id", "update")
    if body.get("message") is None:
        return ()
    message = _object(body["message"], "message")
    chat = _object(message.get("chat"), "message.chat")
    chat_id = _int(chat, "id", "message.chat")
    if _text(chat, "type", "message.chat", required=True) != "private":
        return ()
    sender = _object(message.get("from"), "message.from")
    user_id = _int(sender, "id", "message.from")
    message_id = _int(message, "message_id", "message")
    at = _moment(_int(message, "date", "message"))
    text = _text(message, "text", "message") or _text(message, "caption", "message")
    start: str | None = None
    if "text" in message:
        start, text = _start(text)
    attachments = _attachments(message)
    phone = _phone(message, user_id)
    if not (text or attachments or start is not None or "contact" in message) and any(
        key in message for key in SERVICE
    ):
        return ()
    name = " ".join(
        part
        for part in (
            _text(sender, "first_name", "message.from"),
            _text(sender, "last_name", "message.from"),
        )
        if part
    )
    return (
        Incoming(
            contact=str(chat_id),
            message_id=f"{chat_id}:{message_id}",
            at=at,
            text=text,
            attachments=attachments,
            name=name.strip(),
            user=str(user_id),
            phone=phone,
            start=start,
        ),
    )


def _moment(seconds: int) -> datetime:
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise PayloadError("message.date is not a moment", field="message.date") from exc


def _start(text: str) -> tuple[str | None, str]:
    """``/start PAYLOAD`` as (the payload, no text); a payload outside Telegram's rule is
    dropped (the start stays). Any other text stays itself."""
    words = text.split(maxsplit=1)
    if not words or not (words[0] == "/start" or words[0].startswith("/start@")):
        return None, text
    payload = words[1].strip() if len(words) > 1 else ""
    return (payload if PAYLOAD.fullmatch(payload) else ""), ""


def _phone(message: dict[str, Any], user_id: int) -> str | None:
    """The sender's own phone (``+`` and its digits: Telegram's numbers are international)."""
    if message.get("contact") is None:
        return None
    contact = _object(message["contact"], "message.contact")
    number = _text(contact, "phone_number", "message.contact", required=True)
    owner = contact.get("user_id")
    if owner is not None and not _is_int(owner):
        raise PayloadError(
            "message.contact.user_id is not a number", field="message.contact.user_id"
        )
    if owner != user_id:
        return None
    digits = "".join(ch for ch in number if ch.isdigit())
    if not digits:
        raise PayloadError(
            "message.contact.phone_number has no digits", field="message.contact.phone_number"
        )
    return "+" + digits


def _attachments(message: dict[str, Any]) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    if message.get("photo") is not None:
        found.append(_photo(message["photo"]))
    for key, kind in FILES:
        if message.get(key) is not None:
            found.append(_file(kind, _object(message[key], f"message.{key}"), f"message.{key}"))
    if message.get("sticker") is not None:
        sticker = _object(message["sticker"], "message.sticker")
        shape = (
            "video"
            if sticker.get("is_video")
            else "animated"
            if sticker.get("is_animated")
            else "static"
        )
        found.append(_file("sticker", sticker, "message.sticker", mime=STICKER_MIME[shape]))
    if message.get("location") is not None:
        found.append(_location(message))
    return tuple(found)


def _photo(sizes: object) -> Attachment:
    if not isinstance(sizes, list) or not sizes:
        raise PayloadError("message.photo is not a list of sizes", field="message.photo")
    read = [_object(size, "message.photo") for size in sizes]
    largest = max(
        read,
        key=lambda s: (_number(s, "width") * _number(s, "height"), _number(s, "file_size")),
    )
    return _file("photo", largest, "message.photo")


def _file(
    kind: AttachmentKind, item: dict[str, Any], path: str, *, mime: str | None = None
) -> Attachment:
    size = item.get("file_size")
    return Attachment(
        kind=kind,
        ref=_text(item, "file_id", path, required=True),
        name=_text(item, "file_name", path) or None,
        mime=_text(item, "mime_type", path) or mime,
        size=size if _is_int(size) else None,
    )


def _location(message: dict[str, Any]) -> Attachment:
    location = _object(message["location"], "message.location")
    coordinates = []
    for key in ("latitude", "longitude"):
        value = location.get(key)
        if not _is_number(value):
            raise PayloadError(
                f"message.location.{key} is not a number", field=f"message.location.{key}"
            )
        coordinates.append(f"{value}")
    # A venue (a place picked from a list) carries the location too, and the place's name.
    venue = message.get("venue")
    title = venue.get("title") if isinstance(venue, dict) else None
    return Attachment(
        kind="location",
        ref=",".join(coordinates),
        name=title if isinstance(title, str) and title else None,
    )


def _object(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PayloadError(f"{path} is missing or not an object", field=path)
    return value


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(item: dict[str, Any], key: str) -> float:
    value = item.get(key)
    return float(value) if _is_number(value) else 0.0


def _int(item: dict[str, Any], key: str, path: str) -> int:
    value = item.get(key)
    if not _is_int(value):
        raise PayloadError(f"{path}.{key} is missing or not a whole number", field=f"{path}.{key}")
    return value


def _text(item: dict[str, Any], key: str, path: str, *, required: bool = False) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise PayloadError(f"{path}.{key} is missing or not a text", field=f"{path}.{key}")
    return value
