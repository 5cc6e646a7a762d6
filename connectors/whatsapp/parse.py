"""A webhook post of the Cloud API as what the hub keeps: clients' messages and the statuses of
the hub's own.

The subscription check (a GET) is answered with its ``hub.challenge``. A post is
``{object: "whatsapp_business_account", entry: [{changes: [{field: "messages", value}]}]}``;
a ``value`` carries ``metadata`` (which of the business's numbers it concerns: another number's
changes are not this section's and are skipped), ``contacts`` (the writers' profile names) and
``messages`` or ``statuses``.

A client is his WhatsApp id (``from``: his phone's digits) — the contact to answer, and his
phone, which WhatsApp has already checked. A message's text is its ``text.body``, a media
caption, the title of a button he tapped (a template's quick reply, an interactive reply) or
the cards of contacts he shared; a medium is an attachment fetched by its media id, a location
one whose ref is ``"lat,lon"``. Reactions and message types the Cloud API itself calls
unsupported carry nothing to relay and are skipped. A status is ``sent``, ``delivered``,
``read`` or ``failed`` (with its first error as ``"<code>: <title>"``: ``131047`` there is the
24-hour window that had closed).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, get_args

from config.settings import ConnectorSection
from connectors.errors import PayloadError
from connectors.messaging import (
    Attachment,
    AttachmentKind,
    Delivery,
    Incoming,
    Status,
    StatusState,
    WebhookRequest,
)
from connectors.whatsapp.settings import whatsapp_settings

STATES: frozenset[str] = frozenset(get_args(StatusState))
MEDIA: dict[str, AttachmentKind] = {
    "image": "photo",
    "document": "document",
    "audio": "audio",
    "video": "video",
    "sticker": "sticker",
}


def parse(section: ConnectorSection, request: WebhookRequest) -> Delivery:
    """The request as a :class:`Delivery`; a malformed one is a :class:`PayloadError` naming
    the field."""
    config = whatsapp_settings(section)
    if request.method.upper() == "GET":
        challenge = request.query.get("hub.challenge")
        if not challenge:
            raise PayloadError("hub.challenge is required", field="hub.challenge")
        return Delivery(answer=challenge)
    try:
        body = json.loads(request.body)
    except ValueError as exc:
        raise PayloadError("the body is not JSON", field="body") from exc
    body = _dict(body, "body")
    if body.get("object") != "whatsapp_business_account":
        raise PayloadError("object is not whatsapp_business_account", field="object")
    messages: list[Incoming] = []
    statuses: list[Status] = []
    for e, entry in enumerate(_list(body.get("entry"), "entry")):
        at = f"entry[{e}].changes"
        for c, change in enumerate(_list(_dict(entry, f"entry[{e}]").get("changes"), at)):
            change = _dict(change, f"{at}[{c}]")
            if change.get("field") != "messages":
                continue
            where = f"{at}[{c}].value"
            value = _dict(change.get("value"), where)
            metadata = _dict(value.get("metadata"), f"{where}.metadata")
            if str(metadata.get("phone_number_id")) != config.phone_number_id:
                continue
            names = _names(value.get("contacts", []), f"{where}.contacts")
            for m, raw in enumerate(_list(value.get("messages", []), f"{where}.messages")):
                incoming = _message(
                    _dict(raw, f"{where}.messages[{m}]"), names, f"{where}.messages[{m}]"
                )
                if incoming is not None:
                    messages.append(incoming)
            for s, raw in enumerate(_list(value.get("statuses", []), f"{where}.statuses")):
                status = _status(_dict(raw, f"{where}.statuses[{s}]"), f"{where}.statuses[{s}]")
                if status is not None:
                    statuses.append(status)
    return Delivery(messages=tuple(messages), statuses=tuple(statuses))


def _names(contacts: Any, at: str) -> dict[str, str]:
    names = {}
    for index, contact in enumerate(_list(contacts, at)):
        contact = _dict(contact, f"{at}[{index}]")
        profile = contact.get("profile")
        name = profile.get("name") if isinstance(profile, dict) else None
        if isinstance(contact.get("wa_id"), str) and isinstance(name, str):
            names[contact["wa_id"]] = name
    return names


def _message(message: dict[str, Any], names: dict[str, str], at: str) -> Incoming | None:
    sender = _text(message, "from", at)
    if not sender.isascii() or not sender.isdigit():
        raise PayloadError(f"{at}.from is not a WhatsApp id", field=f"{at}.from")
    kind = _text(message, "type", at)
    if kind == "contacts":
        text, attachments = _contacts(message.get(kind), f"{at}.{kind}")
    elif kind in READERS:
        text, attachments = READERS[kind](_dict(message.get(kind), f"{at}.{kind}"), f"{at}.{kind}")
    else:
        return None
    return Incoming(
        contact=sender,
        message_id=_text(message, "id", at),
        at=_moment(message, at),
        text=text,
        attachments=attachments,
        name=names.get(sender, ""),
        user=sender,
        phone=f"+{sender}",
    )


Read = Callable[[dict[str, Any], str], tuple[str, tuple[Attachment, ...]]]


def _plain(body: dict[str, Any], at: str) -> tuple[str, tuple[Attachment, ...]]:
    return _text(body, "body", at), ()


def _medium(kind: str) -> Read:
    def read(body: dict[str, Any], at: str) -> tuple[str, tuple[Attachment, ...]]:
        caption = body.get("caption", "")
        filename = body.get("filename")
        mime = body.get("mime_type")
        voice = kind == "audio" and body.get("voice") is True
        attachment = Attachment(
            kind="voice" if voice else MEDIA[kind],
            ref=_text(body, "id", at),
            name=filename if isinstance(filename, str) and filename else None,
            mime=mime if isinstance(mime, str) and mime else None,
        )
        return (caption if isinstance(caption, str) else ""), (attachment,)

    return read


def _location(body: dict[str, Any], at: str) -> tuple[str, tuple[Attachment, ...]]:
    latitude, longitude = (_number(body, name, at) for name in ("latitude", "longitude"))
    name = body.get("name") or body.get("address")
    place = Attachment(
        kind="location",
        ref=f"{latitude},{longitude}",
        name=name if isinstance(name, str) and name else None,
    )
    return "", (place,)


def _button(body: dict[str, Any], at: str) -> tuple[str, tuple[Attachment, ...]]:
    """A template's quick-reply button he tapped: its text."""
    return _text(body, "text", at), ()


def _interactive(body: dict[str, Any], at: str) -> tuple[str, tuple[Attachment, ...]]:
    """His answer to an interactive message: the title of the button or the list row."""
    reply = body.get("button_reply") or body.get("list_reply")
    title = reply.get("title") if isinstance(reply, dict) else None
    if not isinstance(title, str):
        raise PayloadError(f"{at} carries no reply title", field=f"{at}.button_reply")
    return title, ()


def _contacts(cards: Any, at: str) -> tuple[str, tuple[Attachment, ...]]:
    """Contacts he shared: one line per card, the name and its phones."""
    lines = []
    for index, card in enumerate(_list(cards, at)):
        card = _dict(card, f"{at}[{index}]")
        name = card.get("name")
        formatted = name.get("formatted_name") if isinstance(name, dict) else None
        phones = [
            p["phone"]
            for p in card.get("phones", [])
            if isinstance(p, dict) and isinstance(p.get("phone"), str)
        ]
        lines.append(" ".join([formatted if isinstance(formatted, str) else "", *phones]).strip())
    return "\n".join(line for line in lines if line), ()


READERS: dict[str, Read] = {
    "text": _plain,
    **{kind: _medium(kind) for kind in MEDIA},
    "location": _location,
    "button": _button,
    "interactive": _interactive,
}


def _status(status: dict[str, Any], at: str) -> Status | None:
    state = _text(status, "status", at)
    if state not in STATES:
        return None  # "deleted", "warning" and whatever Meta adds: nothing the hub tracks
    errors = status.get("errors")
    error = None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        code, title = errors[0].get("code"), errors[0].get("title") or errors[0].get("message")
        error = ": ".join(str(part) for part in (code, title) if part is not None) or None
    return Status(
        message_id=_text(status, "id", at),
        state=state,  # type: ignore[arg-type]  # checked against STATES just above
        at=_moment(status, at),
        error=error,
    )


def _moment(parent: dict[str, Any], at: str) -> datetime:
    raw = parent.get("timestamp")
    text = str(raw) if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    if not text.isascii() or not text.isdigit() or int(text) == 0:
        raise PayloadError(f"{at}.timestamp is not seconds", field=f"{at}.timestamp")
    return datetime.fromtimestamp(int(text), UTC)


def _number(parent: dict[str, Any], name: str, at: str) -> float:
    value = parent.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PayloadError(f"{at}.{name} is not a number", field=f"{at}.{name}")
    return float(value)


def _text(parent: dict[str, Any], name: str, at: str) -> str:
    value = parent.get(name)
    if not isinstance(value, str) or not value:
        raise PayloadError(f"{at}.{name} is required", field=f"{at}.{name}")
    return value


def _dict(value: Any, at: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PayloadError(f"{at} is not an object", field=at)
    return value


def _list(value: Any, at: str) -> list[Any]:
    if not isinstance(value, list):
        raise PayloadError(f"{at} is not a list", field=at)
    return value
