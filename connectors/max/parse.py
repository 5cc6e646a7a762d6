"""One MAX webhook post (one update) as a :class:`~connectors.messaging.Delivery`.

MAX posts ``{update_type, timestamp (ms), …}``. ``message_created`` in a dialog is a client
writing: the chat to answer in is ``recipient.chat_id`` (``recipient.user_id`` is the bot
itself), the writer ``sender.user_id``, the message's key ``body.mid``; a forwarded message has
an empty ``body.text`` and its text in ``link.message.text``. ``bot_started`` is a client opening
the bot (by a deep link with its ``payload``, or the start button). Everything else — edits,
deletions, group chats and channels, messages of other bots — carries nothing for the hub and
gives an empty delivery. A field missing or of the wrong kind is a
:class:`~connectors.errors.PayloadError` naming its path (``message.body.mid``).

A ``contact`` attachment (the answer to ``request_contact``) holds a vCard (``vcf_info``) and
the MAX user it describes (``max_info``): its phone is the client's own only when that user is
the sender — someone else's card is not his number.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from config.settings import ConnectorSection
from connectors.errors import PayloadError
from connectors.max.settings import max_section
from connectors.messaging import Attachment, AttachmentKind, Delivery, Incoming, WebhookRequest

# MAX's attachment types and what the hub calls them ("audio" is MAX's voice message).
KINDS: Mapping[str, AttachmentKind] = {
    "image": "photo",
    "file": "document",
    "audio": "voice",
    "video": "video",
    "sticker": "sticker",
}
# Milliseconds since the epoch MAX could plausibly send (2000 to 2100).
_EARLIEST_MS, _LATEST_MS = 946_684_800_000, 4_102_444_800_000


def parse(section: ConnectorSection, request: WebhookRequest) -> Delivery:
    max_section(section)
    update = _body(request.body)
    kind = _text(update, "update_type", "")
    if kind == "message_created":
        incoming = _message_created(update)
    elif kind == "bot_started":
        incoming = _bot_started(update)
    else:
        incoming = None
    return Delivery(messages=(incoming,) if incoming is not None else ())


def _body(raw: bytes) -> Mapping[str, Any]:
    try:
        update = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadError("the body is not JSON", field="body") from exc
    if not isinstance(update, dict):
        raise PayloadError("the body is not a JSON object (an update)", field="body")
    return update


def _message_created(update: Mapping[str, Any]) -> Incoming | None:
    message = _object(update, "message", "")
    recipient = _object(message, "recipient", "message")
    if _text(recipient, "chat_type", "message.recipient") != "dialog":
        return None
    sender = _object(message, "sender", "message")
    if sender.get("is_bot") is True:
        return None
    user_id = _int(sender, "user_id", "message.sender")
    body = _object(message, "body", "message")
    text = _text(body, "text", "message.body", required=False)
    attachments = list(_attachments(body, "message.body"))
    phone = _own_phone(body, "message.body", user_id)
    link = message.get("link")
    if isinstance(link, dict) and link.get("type") == "forward":
        forwarded = _object(link, "message", "message.link")
        text = text or _text(forwarded, "text", "message.link.message", required=False)
        attachments += _attachments(forwarded, "message.link.message")
    return Incoming(
        contact=str(_int(recipient, "chat_id", "message.recipient")),
        message_id=_text(body, "mid", "message.body"),
        at=_moment(message, "timestamp", "message"),
        text=text,
        attachments=tuple(attachments),
        name=_name(sender),
        user=str(user_id),
        phone=phone,
    )


def _bot_started(update: Mapping[str, Any]) -> Incoming:
    chat_id = _int(update, "chat_id", "")
    user = _object(update, "user", "")
    timestamp = _int(update, "timestamp", "")
    return Incoming(
        contact=str(chat_id),
        message_id=f"start:{chat_id}:{timestamp}",
        at=_moment(update, "timestamp", ""),
        name=_name(user),
        user=str(_int(user, "user_id", "user")),
        start=_text(update, "payload", "", required=False),
    )


def _attachments(body: Mapping[str, Any], path: str) -> list[Attachment]:
    items = body.get("attachments") or []
    if not isinstance(items, list):
        raise PayloadError(f"{path}.attachments is not a list", field=f"{path}.attachments")
    found: list[Attachment] = []
    for index, item in enumerate(items):
        where = f"{path}.attachments[{index}]"
        if not isinstance(item, dict):
            raise PayloadError(f"{where} is not an object", field=where)
        kind = _text(item, "type", where)
        if kind == "location":
            latitude = _number(item, "latitude", where)
            longitude = _number(item, "longitude", where)
            found.append(Attachment(kind="location", ref=f"{latitude},{longitude}"))
        elif kind in KINDS:
            payload = _object(item, "payload", where)
            ref = payload.get("url") or payload.get("token")
            if not isinstance(ref, str) or not ref:
                field = f"{where}.payload.url"
                raise PayloadError(f"{field} (or its token) is required", field=field)
            name = item.get("filename")
            size = item.get("size")
            found.append(
                Attachment(
                    kind=KINDS[kind],
                    ref=ref,
                    name=name if isinstance(name, str) else None,
                    size=size if isinstance(size, int) and not isinstance(size, bool) else None,
                )
            )
    return found


def _own_phone(body: Mapping[str, Any], path: str, sender: int) -> str | None:
    """The phone of a ``contact`` attachment that describes the sender himself."""
    for index, item in enumerate(body.get("attachments") or []):
        if not isinstance(item, dict) or item.get("type") != "contact":
            continue
        payload = _object(item, "payload", f"{path}.attachments[{index}]")
        user = payload.get("max_info")
        if not isinstance(user, dict) or user.get("user_id") != sender:
            continue
        phone = vcard_phone(payload.get("vcf_info"))
        if phone:
            return phone
    return None


def vcard_phone(vcard: object) -> str | None:
    """The first ``TEL`` of a vCard (``TEL;TYPE=cell:+79031112233``, ``item1.TEL:…``, vCard 4's
    ``TEL;VALUE=uri:tel:+7…``), as written; None without one."""
    if not isinstance(vcard, str):
        return None
    # Long lines are folded: a line starting with a space or a tab continues the previous one.
    unfolded = vcard.replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "")
    for line in unfolded.split("\n"):
        name, found, value = line.partition(":")
        if found and name.split(";", 1)[0].rsplit(".", 1)[-1].strip().upper() == "TEL":
            phone = value.strip().removeprefix("tel:").strip()
            if phone:
                return phone
    return None


def _name(user: Mapping[str, Any]) -> str:
    parts = [user.get("first_name"), user.get("last_name")]
    name = " ".join(part.strip() for part in parts if isinstance(part, str) and part.strip())
    if name:
        return name
    for key in ("name", "username"):
        value = user.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _where(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _object(data: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        where = _where(path, key)
        raise PayloadError(f"{where} is required (an object)", field=where)
    return value


def _int(data: Mapping[str, Any], key: str, path: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        where = _where(path, key)
        raise PayloadError(f"{where} is required (a number)", field=where)
    return value


def _number(data: Mapping[str, Any], key: str, path: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        where = _where(path, key)
        raise PayloadError(f"{where} is required (a number)", field=where)
    return float(value)


def _text(data: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        where = _where(path, key)
        raise PayloadError(f"{where} is required (text)", field=where)
    return value


def _moment(data: Mapping[str, Any], key: str, path: str) -> datetime:
    ms = _int(data, key, path)
    if not _EARLIEST_MS <= ms <= _LATEST_MS:
        where = _where(path, key)
        raise PayloadError(f"{where} is not milliseconds since the epoch", field=where)
    return datetime.fromtimestamp(ms / 1000, UTC)
