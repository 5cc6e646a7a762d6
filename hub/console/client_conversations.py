"""A client card's «Переписка»: the client's conversations on the messengers (whether each
waits for an answer), the latest messages across them, in and out, with who wrote and how far
our messages got, and the links that tie a client's chat to the card.

A link for the client is the company bot's deep link (Telegram, MAX) with the client's token
(``hub/services/links.py``): the client opens it, the bot starts with the token, and his chat
joins the card — from then on what he writes reaches his personal manager by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from aiohttp import web

from hub.bootstrap.links import LINKS
from hub.bootstrap.messengers import MESSENGERS
from hub.services.conversations.replies import ASK_PHONE, TEMPLATE
from storage.models import Conversation, ConversationMessage
from storage.uow import UnitOfWork

MESSAGES = 50  # the latest messages a card shows
# The channel types whose bots start with a deep link's payload.
LINKED = ("telegram", "max")
# What an outbound message's state shows: pending, sent, delivered or read, failed.
MARKS = {"pending": "⏳", "sent": "✓", "delivered": "✓✓", "read": "✓✓", "failed": "❗"}
KINDS = ("telegram", "max", "vk", "whatsapp")


@dataclass(frozen=True, slots=True)
class ReplyProblem:
    """A reply refused: in which conversation, the text that says why, what the person had
    typed, and whether the channel's template may go instead."""

    conversation_id: int
    key: str
    typed: str = ""
    template: bool = False


def _when(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")


def _channel(name: str, types: Mapping[str, str]) -> dict[str, str]:
    """A channel as the card names it: its configured name and its type (when still
    configured)."""
    kind = types.get(name, "")
    return {"name": name, "kind": kind if kind in KINDS else ""}


def _who(conversation: Conversation) -> str:
    return conversation.name or conversation.contact


def _files(message: ConversationMessage) -> tuple[list[str], str]:
    """The names of the files a message carried, and what kind of message of ours it was
    (a template, a request for the phone: "" for neither)."""
    names, kind = [], ""
    for attachment in message.attachments or []:
        found = dict(attachment) if isinstance(attachment, Mapping) else {}
        what = str(found.get("kind") or "")
        if what in (TEMPLATE, ASK_PHONE):
            kind = what
            continue
        names.append(str(found.get("name") or what or "…"))
    return names, kind


def conversation_rows(
    conversations: Sequence[Conversation], types: Mapping[str, str], zone: tzinfo
) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "channel": _channel(c.channel, types),
            "who": _who(c),
            "contact": c.contact,
            "phone": c.phone or "",
            "awaiting": c.awaiting_since is not None,
            "since": _when(c.awaiting_since, zone) if c.awaiting_since is not None else "",
            "last": _when(c.last_message_at, zone),
        }
        for c in conversations
    ]


def message_rows(
    found: Sequence[tuple[ConversationMessage, Conversation]],
    names: Mapping[int, str],
    types: Mapping[str, str],
    zone: tzinfo,
) -> list[dict[str, Any]]:
    """The messages as the card lists them, newest first: an inbound one's author is the
    contact, ours the person who wrote it (none: the bot itself)."""
    rows = []
    for message, conversation in found:
        inbound = message.direction == "in"
        files, kind = _files(message)
        rows.append(
            {
                "id": message.id,
                "conversation": conversation.id,
                "at": _when(message.at, zone),
                "inbound": inbound,
                "channel": _channel(conversation.channel, types),
                "author": _who(conversation) if inbound else names.get(message.manager_id or 0),
                "text": message.text,
                "files": files,
                "kind": kind,
                "state": "" if inbound else message.status,
                "mark": "" if inbound else MARKS.get(message.status, ""),
                "error": (message.error or "") if message.status == "failed" else "",
            }
        )
    return rows


def client_links(request: web.Request, client_id: int) -> list[dict[str, str]]:
    """For each configured Telegram or MAX bot with a name, the deep link that ties a client's
    chat to this card."""
    token = request.app[LINKS].client_token(client_id)
    links = []
    for name, configured in sorted(request.app[MESSENGERS].channels.items()):
        section = configured.section
        make: Callable[[str], str | None] | None = getattr(section, "deep_link", None)
        if section.type not in LINKED or make is None or not getattr(section, "bot_username", None):
            continue
        link = make(token)
        if link:
            links.append({"name": name, "kind": section.type, "link": link})
    return links


async def conversation_context(
    request: web.Request,
    uow: UnitOfWork,
    client_id: int,
    *,
    zone: tzinfo,
    names: Mapping[int, str],
) -> dict[str, Any]:
    """What the card's «Переписка» shows of client ``client_id`` (``names``: the people by
    id)."""
    types = request.app[MESSENGERS].types
    conversations = await uow.conversations.of_client(client_id)
    recent = (
        await uow.conversations.recent_of_clients([client_id], MESSAGES) if conversations else []
    )
    return {
        "conversations": conversation_rows(conversations, types, zone),
        "messages": message_rows(recent, names, types, zone),
        "client_links": client_links(request, client_id),
    }
