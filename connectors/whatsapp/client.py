"""A WhatsApp Business number's messages, sent through the Cloud API with plain aiohttp.

``pywa`` brings its own framework and HTTP stack; the hub needs a handful of Graph API calls
over the session it already has, so the documented HTTP API is called directly (``graph.py``).

A text is ``POST /{phone_number_id}/messages`` with ``type: "text"``; a file is uploaded first
(``POST /{phone_number_id}/media``, multipart) and sent by its media id as an ``image``, a
``document`` or an ``audio`` — an audio carries no caption, so a voice message's caption
follows it as a text. ``send_template`` sends the configured approved template, the one message
WhatsApp lets through once the client's 24-hour window has closed (a free-form send then fails
with :class:`~connectors.whatsapp.graph.WindowClosed`, a :class:`Rejected`). A client's file
is ``GET /{media_id}`` (a URL valid for minutes) and then that URL, both with the bearer.

WhatsApp keeps no idempotency key: the hub's ``key`` is not sent, and a retry after a lost
answer may deliver a message twice. It knows the client's phone already (his WhatsApp id is
it), so there is no button that asks for it.
"""

from __future__ import annotations

import mimetypes
from typing import Any

import aiohttp

from config.settings import ConnectorSection
from connectors.messaging import Attachment, Messenger, OutgoingFile
from connectors.whatsapp.graph import Graph
from connectors.whatsapp.settings import WhatsAppSettings, whatsapp_settings
from hub.domain.delivery import Rejected, Temporary

# What the hub downloads of a client's file at most (Telegram's upload limit for bots, where
# managers read it).
MAX_FILE = 50 * 1024 * 1024
# An outgoing file's message type on WhatsApp, and its MIME type when the name tells none.
TYPES = {"photo": ("image", "image/jpeg"), "document": ("document", "application/octet-stream")}
# A voice message is OGG/Opus, the only audio WhatsApp plays as a voice note.
VOICE_MIME = "audio/ogg"


def _recipient(contact: str) -> str:
    if not contact.isascii() or not contact.isdigit():
        raise Rejected(f"{contact!r} is not a WhatsApp id (a phone's digits)")
    return contact


class WhatsAppClient:
    """One business number's side of its chats with clients."""

    def __init__(self, config: WhatsAppSettings, session: aiohttp.ClientSession) -> None:
        self._config = config
        self._graph = Graph(config, session)

    async def start(self, webhook_url: str | None) -> None:
        """Nothing: the webhook is entered in the Meta app's settings by hand."""

    async def send(self, contact: str, text: str, *, key: str | None = None) -> str:
        return await self._message(contact, "text", {"body": text, "preview_url": False})

    async def send_file(self, contact: str, file: OutgoingFile, *, key: str | None = None) -> str:
        to = _recipient(contact)
        if file.kind == "voice":
            kind, mime = "audio", VOICE_MIME
        else:
            kind, fallback = TYPES[file.kind]
            mime = mimetypes.guess_type(file.filename)[0] or fallback
        media = await self._upload(file, mime)
        body: dict[str, Any] = {"id": media}
        if kind == "document":
            body["filename"] = file.filename
        if kind != "audio" and file.caption:
            body["caption"] = file.caption
        sent = await self._message(to, kind, body)
        if kind == "audio" and file.caption:
            await self.send(to, file.caption)
        return sent

    async def ask_phone(self, contact: str, text: str, button: str) -> str:
        raise Rejected("WhatsApp needs no phone button: the client's WhatsApp id is his phone")

    async def send_template(self, contact: str) -> str:
        if self._config.template is None:
            raise Rejected("no WhatsApp template is configured to reopen the conversation")
        template = {
            "name": self._config.template,
            "language": {"code": self._config.template_language},
        }
        return await self._message(contact, "template", template)

    async def health(self, webhook_url: str | None) -> str | None:
        """WhatsApp tells nothing of failed deliveries to a bot's server: nothing to say."""
        return None

    async def fetch(self, attachment: Attachment) -> bytes:
        if attachment.kind == "location" or not (
            attachment.ref.isascii() and attachment.ref.isdigit()
        ):
            raise Rejected(f"a WhatsApp {attachment.kind} is not a file to download")
        medium = await self._graph.request("GET", f"/{attachment.ref}")
        url = medium.get("url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise Rejected("WhatsApp's API handed out no URL for the media")
        return await self._graph.download(url, MAX_FILE)

    async def close(self) -> None:
        """Nothing: the HTTP session is the app's."""

    async def _message(self, contact: str, kind: str, body: dict[str, Any]) -> str:
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": _recipient(contact),
            "type": kind,
            kind: body,
        }
        answer = await self._graph.request(
            "POST", f"/{self._config.phone_number_id}/messages", json=payload
        )
        messages = answer.get("messages")
        first = messages[0] if isinstance(messages, list) and messages else None
        ident = first.get("id") if isinstance(first, dict) else None
        if not isinstance(ident, str) or not ident:
            raise Temporary("WhatsApp's API answered without the message's id")
        return ident

    async def _upload(self, file: OutgoingFile, mime: str) -> str:
        form = aiohttp.FormData()
        form.add_field("messaging_product", "whatsapp")
        form.add_field("type", mime)
        form.add_field("file", file.content, filename=file.filename, content_type=mime)
        answer = await self._graph.request(
            "POST", f"/{self._config.phone_number_id}/media", data=form
        )
        media = answer.get("id")
        if not isinstance(media, str) or not media:
            raise Temporary("WhatsApp's API answered the upload without a media id")
        return media


def client(section: ConnectorSection, session: aiohttp.ClientSession) -> Messenger:
    """The registry's factory: the client of a ``type = "whatsapp"`` section."""
    return WhatsAppClient(whatsapp_settings(section), session)
