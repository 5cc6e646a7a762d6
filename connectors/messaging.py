"""What every messenger connector hands the hub, and what the hub asks of it.

A messenger folder (``connectors/telegram``, ``max``, ``vk``, ``whatsapp``) has the same pieces
as a PBX's: ``settings`` (its ``[messengers.NAME]`` section), ``verify`` (is this webhook post
the channel's own: a wrong secret or signature is :class:`~connectors.errors.SignatureError`),
``parse`` (the post as :class:`Delivery`: the clients' messages, the statuses of ours, and what
to answer; a malformed one is :class:`~connectors.errors.PayloadError`) and ``client`` (the
channel's API: send a text, a file, the button that asks for a phone, a template). Translation
only: which client wrote, who answers and when a case opens are the hub's to decide.

A contact is the chat to answer in, as the channel names it (a Telegram or MAX chat id, a VK
peer id, a WhatsApp phone's digits): the hub keeps it as text. A message id is the channel's
id of one message, the key that stores it once however often the channel delivers it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

import aiohttp

from config.settings import ConnectorSection

AttachmentKind = Literal["photo", "document", "voice", "video", "audio", "sticker", "location"]
StatusState = Literal["sent", "delivered", "read", "failed"]


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file a client sent: the channel's reference to fetch it by (a file id or a URL)."""

    kind: AttachmentKind
    ref: str
    name: str | None = None
    mime: str | None = None
    size: int | None = None


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message a client wrote (or a start of the bot, or his phone shared)."""

    contact: str
    message_id: str
    at: datetime
    text: str = ""
    attachments: tuple[Attachment, ...] = ()
    # How he calls himself on the channel, and his user id there (where it differs from the chat).
    name: str = ""
    user: str | None = None
    # His own phone, shared by him: a connector fills it in only when the contact it carries is
    # the sender's own (Telegram: contact.user_id == from.id), never someone else's card.
    phone: str | None = None
    # A deep link's payload (``/start PAYLOAD`` on Telegram, ``bot_started`` on MAX).
    start: str | None = None


@dataclass(frozen=True, slots=True)
class Status:
    """What became of a message the hub sent (WhatsApp reports it; others say nothing)."""

    message_id: str
    state: StatusState
    at: datetime
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    """What one post of the channel carried, and the body of the 200 answer it expects (VK wants
    ``ok``, or the confirmation string for its handshake; WhatsApp's GET wants the challenge)."""

    messages: tuple[Incoming, ...] = ()
    statuses: tuple[Status, ...] = ()
    answer: str = "ok"


@dataclass(frozen=True, slots=True)
class WebhookRequest:
    """A post (or a GET) of the channel as the connector reads it."""

    method: str
    headers: Mapping[str, str]
    query: Mapping[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class OutgoingFile:
    """A file a manager sends a client."""

    kind: Literal["photo", "document", "voice"]
    filename: str
    content: bytes
    caption: str = ""


class Messenger(Protocol):
    """The channel's API as the hub uses it. Each method raises the errors of
    ``hub.domain.delivery``: RetryAfter (429), Temporary (network, 5xx), Unreachable (the client
    blocked the bot or never allowed messages), Rejected (refused for good, or not something
    this channel can carry)."""

    async def start(self, webhook_url: str | None) -> None:
        """Get ready: subscribe the webhook where the channel is told of it (MAX, Telegram)."""
        ...

    async def send(self, contact: str, text: str, *, key: str | None = None) -> str:
        """Send a text; returns the channel's id of the message sent. ``key`` is the hub's
        stable id of this message: a channel that deduplicates sends (VK's ``random_id``)
        derives its own from it, so a retry after a lost answer is not sent twice."""
        ...

    async def send_file(self, contact: str, file: OutgoingFile, *, key: str | None = None) -> str:
        """Send a photo, a document or a voice message; returns its id."""
        ...

    async def ask_phone(self, contact: str, text: str, button: str) -> str:
        """Send ``text`` with a button that shares the client's own phone (Rejected where the
        channel has none)."""
        ...

    async def send_template(self, contact: str) -> str:
        """Send the configured template that reopens a conversation (WhatsApp past its 24-hour
        window; Rejected elsewhere)."""
        ...

    async def fetch(self, attachment: Attachment) -> bytes:
        """Download a file a client sent."""
        ...

    async def health(self, webhook_url: str | None) -> str | None:
        """What is wrong with the channel's delivery to the hub, if anything (None: nothing
        seen): a webhook the channel dropped (MAX unsubscribes a bot after 8 hours of failed
        deliveries) is subscribed again, and said so; deliveries failing are said with the
        channel's own words. A channel that tells nothing of it answers None."""
        ...

    async def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Polled:
    """What a long poll brought, and the offset that confirms it (the next poll's)."""

    delivery: Delivery
    offset: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class MessengerSpec:
    """One messenger type: how to read its section, check and parse its posts, and talk to it."""

    settings: type[ConnectorSection]
    verify: Callable[[ConnectorSection, WebhookRequest], None]
    parse: Callable[[ConnectorSection, WebhookRequest], Delivery]
    client: Callable[[ConnectorSection, aiohttp.ClientSession], Messenger]
    # Long polling where the channel offers it and the section asks for it (Telegram's
    # ``mode = "polling"``): one poll from ``offset``; None: webhooks only.
    poll: Callable[[ConnectorSection, Messenger, int | None], Awaitable[Polled]] | None = None
    # Does this section want polling rather than a webhook?
    polls: Callable[[ConnectorSection], bool] = field(default=lambda section: False)
    # Can a client share his phone by a button, and open a deep link with a payload?
    asks_phone: bool = False
    docs: str
    description: str
    # Where the channel says the webhook post is its own: a header (for the OpenAPI document).
    secret_header: str | None = None
