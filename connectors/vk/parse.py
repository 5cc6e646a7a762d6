"""A Callback API event as what the hub keeps: the client's message, or only the answer.

``confirmation`` is answered with the community's confirmation string; ``message_new`` in a
private dialog (``peer_id`` below 2 000 000 000: above are group chats, which the hub does not
serve) is a client's message; every other event is answered ``ok`` and carries nothing.

``message.id`` is the message's id in the community's dialogs; it is 0 in a group chat, where
only ``peer_id`` + ``conversation_message_id`` name it (kept for completeness: such chats are
skipped). A photo is fetched by its largest size's URL, a document by its URL, a voice message
by its OGG link (MP3 if none). A video, a wall post or a link carries no file VK would hand
out: such attachments are left out and the text comes alone. ``ref`` — the parameter of a
``vk.me/<community>?ref=...`` link the dialog was opened with — is the message's ``start``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from config.settings import ConnectorSection
from connectors.errors import PayloadError
from connectors.messaging import Attachment, Delivery, Incoming, WebhookRequest
from connectors.vk.settings import vk_settings

# Peer ids from here up are group chats (2e9 + chat id).
CHATS_FROM = 2_000_000_000
# VK's size letters from the smallest, for old photos that give no width and height.
SIZE_ORDER = tuple("smopqrxyzw")


def parse(section: ConnectorSection, request: WebhookRequest) -> Delivery:
    """The event as a :class:`Delivery`; a malformed one is a :class:`PayloadError` naming the
    field."""
    config = vk_settings(section)
    try:
        event = json.loads(request.body)
    except ValueError as exc:
        raise PayloadError("the body is not JSON", field="body") from exc
    event = _dict(event, "body")
    kind = event.get("type")
    if not isinstance(kind, str) or not kind:
        raise PayloadError("type is required", field="type")
    if kind == "confirmation":
        return Delivery(answer=config.confirmation)
    if kind != "message_new":
        return Delivery()
    message = _dict(_dict(event.get("object"), "object").get("message"), "object.message")
    incoming = _incoming(message, "object.message")
    return Delivery(messages=(incoming,) if incoming is not None else ())


def _incoming(message: dict[str, Any], at: str) -> Incoming | None:
    peer_id = _int(message, "peer_id", at)
    if not 0 < peer_id < CHATS_FROM:
        return None
    from_id = _int(message, "from_id", at)
    message_id = _int(message, "id", at)
    if message_id == 0:
        chat_message = _int(message, "conversation_message_id", at)
        key = f"{peer_id}:{chat_message}"
    else:
        key = str(message_id)
    date = _int(message, "date", at)
    if date <= 0:
        raise PayloadError(f"{at}.date is not a moment", field=f"{at}.date")
    text = message.get("text", "")
    if not isinstance(text, str):
        raise PayloadError(f"{at}.text is not text", field=f"{at}.text")
    ref = message.get("ref")
    return Incoming(
        contact=str(peer_id),
        message_id=key,
        at=datetime.fromtimestamp(date, UTC),
        text=text,
        attachments=_attachments(message.get("attachments", []), f"{at}.attachments"),
        user=str(from_id),
        start=ref if isinstance(ref, str) and ref else None,
    )


def _attachments(raw: Any, at: str) -> tuple[Attachment, ...]:
    if not isinstance(raw, list):
        raise PayloadError(f"{at} is not a list", field=at)
    found = []
    for index, item in enumerate(raw):
        where = f"{at}[{index}]"
        item = _dict(item, where)
        kind = item.get("type")
        if kind not in READERS:
            continue
        body = _dict(item.get(kind), f"{where}.{kind}")
        attachment = READERS[kind](body, f"{where}.{kind}")
        if attachment is not None:
            found.append(attachment)
    return tuple(found)


def _photo(photo: dict[str, Any], at: str) -> Attachment:
    candidates = [*_list(photo.get("sizes", []), f"{at}.sizes")]
    if isinstance(photo.get("orig_photo"), dict):
        candidates.append(photo["orig_photo"])
    url = _largest(candidates, f"{at}.sizes")
    if url is None:
        raise PayloadError(f"{at}.sizes has no URL", field=f"{at}.sizes")
    return Attachment(kind="photo", ref=url, mime="image/jpeg")


def _doc(doc: dict[str, Any], at: str) -> Attachment:
    title = doc.get("title")
    size = doc.get("size")
    return Attachment(
        kind="document",
        ref=_url(doc.get("url"), f"{at}.url"),
        name=title if isinstance(title, str) and title else None,
        size=size if isinstance(size, int) and not isinstance(size, bool) else None,
    )


def _voice(voice: dict[str, Any], at: str) -> Attachment:
    if voice.get("link_ogg"):
        return Attachment(
            kind="voice", ref=_url(voice["link_ogg"], f"{at}.link_ogg"), mime="audio/ogg"
        )
    return Attachment(
        kind="voice", ref=_url(voice.get("link_mp3"), f"{at}.link_mp3"), mime="audio/mpeg"
    )


def _sticker(sticker: dict[str, Any], at: str) -> Attachment | None:
    images = _list(sticker.get("images", []), f"{at}.images")
    images += _list(sticker.get("images_with_background", []), f"{at}.images_with_background")
    url = _largest(images, f"{at}.images")
    return Attachment(kind="sticker", ref=url, mime="image/png") if url is not None else None


READERS: dict[str, Callable[[dict[str, Any], str], Attachment | None]] = {
    "photo": _photo,
    "doc": _doc,
    "audio_message": _voice,
    "sticker": _sticker,
}


def _largest(sizes: list[Any], at: str) -> str | None:
    """The URL of the largest size: by width × height, by VK's size letter where both are 0."""
    best: tuple[int, int] | None = None
    url = None
    for index, size in enumerate(sizes):
        size = _dict(size, f"{at}[{index}]")
        width, height = size.get("width", 0), size.get("height", 0)
        area = width * height if isinstance(width, int) and isinstance(height, int) else 0
        letter = size.get("type")
        rank = (area, SIZE_ORDER.index(letter) if letter in SIZE_ORDER else -1)
        if best is None or rank > best:
            best, url = rank, _url(size.get("url"), f"{at}[{index}].url")
    return url


def _url(value: Any, at: str) -> str:
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        raise PayloadError(f"{at} is not a URL", field=at)
    return value


def _dict(value: Any, at: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PayloadError(f"{at} is not an object", field=at)
    return value


def _list(value: Any, at: str) -> list[Any]:
    if not isinstance(value, list):
        raise PayloadError(f"{at} is not a list", field=at)
    return value


def _int(parent: dict[str, Any], name: str, at: str) -> int:
    value = parent.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PayloadError(f"{at}.{name} is required as a number", field=f"{at}.{name}")
    return value
