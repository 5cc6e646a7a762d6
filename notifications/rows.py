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
    conversation_id: int | None = None,
) -> dict[str, Any]:
    """A pending message to ``person`` through the first of his channels that reaches him
    (:func:`reach`), or to the log when none does."""
    channel, chat_id = reach(person)
    return chat_row(
        dedup_key,
        chat_id,
        kind,
        body,
        now=now,
        manager_id=person.id,
        buttons=buttons,
        message_key=message_key,
        edit_key=edit_key,
        documents=documents,
        channel=channel,
        conversation_id=conversation_id,
    )


# The notice that edits the alert of the manager a case was handed from («Передано: теперь
# отвечает …»). It only ever edits: where his alert never reached him, on any of his channels,
# he never knew of the case, and there is nothing to tell him.
HANDED_OVER = "handed_over"

# The staff channels in the order a person is told through when he has chosen none.
ORDER = ("telegram", "max", "email")


def address(person: Manager, channel: str) -> int | None:
    """Where ``person`` is on ``channel``: his Telegram chat, his MAX user id; for e-mail his
    own id (the channel reads his address when it sends); None where he is not."""
    if channel == "telegram":
        return person.telegram_chat_id if not person.chat_unreachable else None
    if channel in (person.unreachable or []):
        return None
    if channel == "max":
        return person.max_user_id
    if channel == "email":
        return person.id if person.email else None
    return None


def order(person: Manager) -> list[str]:
    chosen = [c for c in person.channels or [] if c in ORDER]
    return chosen or list(ORDER)


def reach(person: Manager, *, after: str | None = None) -> tuple[str, int | None]:
    """The first channel of ``person``'s order (after ``after``) that reaches him, with his
    address there; ("console", None) when none does."""
    channels = order(person)
    if after is not None:
        channels = channels[channels.index(after) + 1 :] if after in channels else []
    for channel in channels:
        found = address(person, channel)
        if found is not None:
            return channel, found
    return "console", None


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
    channel: str = "telegram",
    conversation_id: int | None = None,
) -> dict[str, Any]:
    """A pending message to a chat on ``channel`` (the log when there is none). ``documents``
    go after the text, each ``{"filename", "content" (base64), "mime"}`` (see
    :func:`document`); an image made by :func:`photo`, or a file made by :func:`attached_file`,
    is the message itself, the text its caption."""
    return {
        "dedup_key": dedup_key,
        "channel": channel if chat_id is not None else "console",
        "chat_id": chat_id,
        "manager_id": manager_id,
        "kind": kind,
        "text": body,
        "buttons": buttons,
        "message_key": message_key,
        "edit_key": edit_key,
        "documents": documents,
        "conversation_id": conversation_id,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def document(filename: str, content: bytes, mime: str) -> dict[str, str]:
    """A file to send with a message, as an outbox row keeps it."""
    return {"filename": filename, "content": base64.b64encode(content).decode(), "mime": mime}


# How a document is marked as the message itself, the text its caption: a picture, or any
# other file (see notifications/sender.py).
SEND_AS = "send_as"
PHOTO = "photo"
FILE = "file"


def photo(filename: str, content: bytes, mime: str = "image/png") -> dict[str, str]:
    """An image sent as the message, with the text as its caption (a digest's chart). Not for
    a message that is edited later: an edit replaces a text, not a caption."""
    return document(filename, content, mime) | {SEND_AS: PHOTO}


def attached_file(filename: str, content: bytes, mime: str) -> dict[str, str]:
    """A file sent as the message, with the text as its caption (a client's file relayed: a
    reply to it finds him as a reply to his text does). Not for a message edited later."""
    return document(filename, content, mime) | {SEND_AS: FILE}
