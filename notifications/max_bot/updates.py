"""MAX's updates as the staff bot reads them: who started the bot, wrote or pressed, and what.

Only what the bot acts on is read — ``bot_started`` (with a deep link's payload: an invite
code), ``message_created`` (a command, a typed answer, a reply to a relayed message: its
``link`` of type ``reply`` names the mid it answers) and ``message_callback`` (a button's
payload: the ``callback_data`` the button rows carry); other update types are left alone.

:func:`claim_key` names an update for claiming it once in ``bot_updates``, the table Telegram's
webhook claims its update ids in. MAX's updates carry no id of their own, so the key is derived
from what names one: the type, the timestamp and the message's mid, the press's callback id or
who started the bot, hashed to a **negative** 63-bit integer. Telegram's update ids are
positive, so the two never meet in that table, its claims and their clean-up are shared, and no
new table is needed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class BadUpdate(ValueError):
    """Not an update MAX could have posted (names what is wrong)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Started:
    """Somebody started the bot (by ``https://max.ru/<bot>?start=<payload>``, or plainly)."""

    user_id: int
    payload: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Wrote:
    """Somebody wrote to the bot in his dialog with it."""

    user_id: int
    mid: str
    text: str
    # The mid of the message this one replies to (MAX's «Ответить»), if any.
    reply_to: str | None
    has_files: bool
    # The files it carries that a client may be sent: (kind, URL to fetch it, file name).
    files: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Pressed:
    """Somebody pressed a ``callback`` button under one of the bot's messages."""

    user_id: int
    callback_id: str
    payload: str
    mid: str | None


Event = Started | Wrote | Pressed


def read(update: Any) -> Event | None:
    """The event in ``update``; None for what the bot does not act on (other types, a message
    in a group chat, a bot's own). Raises :class:`BadUpdate` for what is not an update."""
    if not isinstance(update, dict):
        raise BadUpdate("an update is a JSON object")
    kind = update.get("update_type")
    if not isinstance(kind, str) or not kind:
        raise BadUpdate("update_type is missing")
    if kind == "bot_started":
        return Started(user_id=_user_id(update.get("user"), "user"), payload=_payload(update))
    if kind == "message_callback":
        return _pressed(update)
    if kind == "message_created":
        return _wrote(update)
    return None


def _pressed(update: Mapping[str, Any]) -> Pressed:
    callback = update.get("callback")
    if not isinstance(callback, dict):
        raise BadUpdate("callback is missing")
    callback_id = callback.get("callback_id")
    if not isinstance(callback_id, str) or not callback_id:
        raise BadUpdate("callback.callback_id is missing")
    message = update.get("message")
    body = message.get("body") if isinstance(message, dict) else None
    mid = body.get("mid") if isinstance(body, dict) else None
    payload = callback.get("payload")
    return Pressed(
        user_id=_user_id(callback.get("user"), "callback.user"),
        callback_id=callback_id,
        payload=payload if isinstance(payload, str) else "",
        mid=mid if isinstance(mid, str) else None,
    )


def _wrote(update: Mapping[str, Any]) -> Wrote | None:
    message = update.get("message")
    if not isinstance(message, dict):
        raise BadUpdate("message is missing")
    sender = message.get("sender")
    body = message.get("body")
    if not isinstance(body, dict) or not isinstance(body.get("mid"), str):
        raise BadUpdate("message.body.mid is missing")
    recipient = message.get("recipient")
    chat_type = recipient.get("chat_type") if isinstance(recipient, dict) else None
    if chat_type != "dialog" or (isinstance(sender, dict) and sender.get("is_bot")):
        return None  # a group chat the bot was added to, or a bot: not a person's dialog
    text = body.get("text")
    return Wrote(
        user_id=_user_id(sender, "message.sender"),
        mid=body["mid"],
        text=text if isinstance(text, str) else "",
        reply_to=_replied(message.get("link")),
        has_files=bool(body.get("attachments")),
        files=_files(body.get("attachments")),
    )


# MAX's attachment types as the files a client may be sent, with a name where MAX gives none.
_KINDS = {
    "image": ("photo", "photo.jpg"),
    "file": ("document", "file"),
    "audio": ("voice", "voice.ogg"),
}


def _files(attachments: Any) -> tuple[tuple[str, str, str], ...]:
    found: list[tuple[str, str, str]] = []
    for item in attachments if isinstance(attachments, list) else []:
        if not isinstance(item, dict):
            continue
        kind = _KINDS.get(str(item.get("type")))
        payload = item.get("payload")
        url = payload.get("url") if isinstance(payload, dict) else None
        if kind is None or not isinstance(url, str) or not url.startswith(("https://", "http://")):
            continue
        name = item.get("filename")
        found.append((kind[0], url, name if isinstance(name, str) and name else kind[1]))
    return tuple(found)


def _replied(link: Any) -> str | None:
    if not isinstance(link, dict) or link.get("type") != "reply":
        return None
    replied = link.get("message")
    mid = replied.get("mid") if isinstance(replied, dict) else None
    return mid if isinstance(mid, str) and mid else None


def _user_id(user: Any, where: str) -> int:
    found = user.get("user_id") if isinstance(user, dict) else None
    if not isinstance(found, int) or isinstance(found, bool):
        raise BadUpdate(f"{where}.user_id is missing")
    return found


def _payload(update: Mapping[str, Any]) -> str:
    payload = update.get("payload")
    return payload.strip() if isinstance(payload, str) else ""


def claim_key(update: Mapping[str, Any]) -> int:
    """The update's key in ``bot_updates``: the same for MAX's every delivery of it, negative."""
    kind = update.get("update_type")
    message = update.get("message")
    body = message.get("body") if isinstance(message, dict) else None
    callback = update.get("callback")
    if kind == "message_callback" and isinstance(callback, dict):
        names: Any = callback.get("callback_id")
    elif isinstance(body, dict) and body.get("mid"):
        names = body.get("mid")
    elif kind == "bot_started":
        user = update.get("user")
        names = [update.get("chat_id"), user.get("user_id") if isinstance(user, dict) else None]
        names.append(update.get("payload"))
    else:
        names = update  # nothing names it better than all of it
    seed = json.dumps([kind, update.get("timestamp"), names], sort_keys=True, default=str)
    digest = hashlib.sha256(seed.encode()).digest()
    return -(int.from_bytes(digest[:8], "big") >> 1) - 1
