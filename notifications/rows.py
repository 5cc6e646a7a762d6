"""One shape for every outbox row, whoever writes it."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from storage.models import Manager


def outbox_row(
    dedup_key: str,
    person: Manager,
    kind: str,
    body: str,
    *,
    now: datetime,
    buttons: Any = None,
    message_key: str | None = None,
    edit_key: str | None = None,
    documents: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """A pending message to ``person``: through Telegram when he has a chat, else to the log."""
    return chat_row(
        dedup_key,
        person.telegram_chat_id,
        kind,
        body,
        now=now,
        manager_id=person.id,
        buttons=buttons,
        message_key=message_key,
        edit_key=edit_key,
        documents=documents,
    )


def chat_row(
    dedup_key: str,
    chat_id: int | None,
    kind: str,
    body: str,
    *,
    now: datetime,
    manager_id: int | None = None,
    buttons: Any = None,
    message_key: str | None = None,
    edit_key: str | None = None,
    documents: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """A pending message to a chat (the log when there is none). ``documents`` go after the
    text, each ``{"filename", "content" (base64), "mime"}`` (see :func:`document`); an image
    made by :func:`photo` is the message itself, the text its caption."""
    return {
        "dedup_key": dedup_key,
        "channel": "telegram" if chat_id is not None else "console",
        "chat_id": chat_id,
        "manager_id": manager_id,
        "kind": kind,
        "text": body,
        "buttons": buttons,
        "message_key": message_key,
        "edit_key": edit_key,
        "documents": documents,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def document(filename: str, content: bytes, mime: str) -> dict[str, str]:
    """A file to send with a message, as an outbox row keeps it."""
    return {"filename": filename, "content": base64.b64encode(content).decode(), "mime": mime}


# How a document is marked as the message's own picture (see notifications/sender.py).
SEND_AS = "send_as"
PHOTO = "photo"


def photo(filename: str, content: bytes, mime: str = "image/png") -> dict[str, str]:
    """An image sent as the message, with the text as its caption (a digest's chart). Not for
    a message that is edited later: an edit replaces a text, not a caption."""
    return document(filename, content, mime) | {SEND_AS: PHOTO}
