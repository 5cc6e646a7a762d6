"""Conversations with clients on messengers — the pure rules.

A conversation is a client (or a contact not yet known) on one channel. A message counts as
waiting for an answer when it says something (text or a file; a start of the bot or a shared
phone alone asks nothing); the first such message since the last reply starts the wait, and a
reply on any channel ends it. WhatsApp lets a business write freely only within 24 hours of the
client's last message: past that only an approved template goes. A deep link carries a client
token — the client's id and a signature — that ties the chat to his card.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime, timedelta

from hub.domain.errors import Conflict

# WhatsApp's customer service window.
SERVICE_WINDOW = timedelta(hours=24)
# The channel types whose free text is held to the window.
WINDOWED = frozenset({"whatsapp"})
_TOKEN = re.compile(r"c([1-9][0-9]{0,9})_([0-9a-f]{16})")


class WindowClosed(Conflict):
    """A free-form reply past the channel's service window: refused before sending; the
    channel's template may be sent instead."""

    code = "window_closed"


def asks_an_answer(text: str, files: int) -> bool:
    """Does a client's message wait for an answer (says something, or sends something)?"""
    return bool(text.strip()) or files > 0


def window_open(channel_type: str, last_in_at: datetime | None, now: datetime) -> bool:
    """May a free-form message go now? Always, except on a windowed channel more than 24 h
    after the client's last message (or before he ever wrote)."""
    if channel_type not in WINDOWED:
        return True
    return last_in_at is not None and now - last_in_at < SERVICE_WINDOW


def client_token(secret: bytes, client_id: int) -> str:
    """The deep-link payload that ties a chat to client ``client_id`` (≤ 64 characters of
    ``[A-Za-z0-9_-]``: fits Telegram's and MAX's start payloads)."""
    signature = hmac.new(secret, f"client:{client_id}".encode(), hashlib.sha256).hexdigest()
    return f"c{client_id}_{signature[:16]}"


def token_client(secret: bytes, token: str) -> int | None:
    """The client a deep-link payload names, or None when it is not one of ours."""
    found = _TOKEN.fullmatch(token or "")
    if found is None:
        return None
    client_id = int(found.group(1))
    expected = client_token(secret, client_id)
    return client_id if hmac.compare_digest(expected, token) else None


def pseudo_number(channel: str, contact: str) -> str:
    """What stands for a contact without a phone where a number is expected (a case, the
    triage queue): the channel and the chat, within 32 characters."""
    return f"{channel}:{contact}"[:32]


def chat_of(number: str) -> tuple[str, str] | None:
    """(channel, chat) of a number that stands for a messenger contact, or None for a phone."""
    channel, colon, contact = number.partition(":")
    if not colon or not channel or not contact or channel.startswith(("+", "tel")):
        return None
    return channel, contact
