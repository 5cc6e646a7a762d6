"""A VK community's messages, sent through VK's API with plain aiohttp.

``vkbottle`` brings its own framework and HTTP stack; the hub needs four methods and the
session it already has, so the documented HTTP API is called directly (``api.py``).

A text is ``messages.send`` to the client's ``peer_id``; a file is uploaded first — a photo
through ``photos.getMessagesUploadServer`` → the upload server → ``photos.saveMessagesPhoto``
(attached as ``photo<owner>_<id>``), a document or a voice message through
``docs.getMessagesUploadServer`` (``type=doc`` or ``audio_message``) → the upload server →
``docs.save`` (attached as ``doc<owner>_<id>``) — and sent with the caption as its text.

``random_id`` is how VK deduplicates: a second ``messages.send`` with a ``random_id`` it has
seen from the community lately sends nothing and answers the first message's id. The hub keeps
every message it sends once and may send it again after a lost answer, so ``random_id`` is
derived from the hub's ``key`` of the message (and the peer): a retry carries the same one and
the client reads the message once. Without a key every send draws a fresh ``random_id``: VK
then deduplicates nothing, and a retry after a lost answer may be read twice. The id is 31 bits
of a SHA-256: two different messages of the same few hours colliding (and the second being
dropped as a repeat) is about as likely as 1 in 2^31 per pair.

VK has no button that shares a phone and no templates: those are :class:`Rejected`.
"""

from __future__ import annotations

import hashlib
import mimetypes
import secrets
from typing import Any

import aiohttp

from config.settings import ConnectorSection
from connectors.messaging import Attachment, Messenger, OutgoingFile
from connectors.vk.api import VkApi
from connectors.vk.settings import VkSettings, vk_settings
from hub.domain.delivery import Rejected

# random_id is a signed 32-bit number at VK: 1 … 2^31 - 1 (0 would mean "no dedup").
RANDOM_IDS = 2**31 - 1
# What the hub downloads of a client's file at most (Telegram's upload limit for bots, where
# managers read it).
MAX_FILE = 50 * 1024 * 1024


def random_id(contact: str, key: str | None) -> int:
    """The ``random_id`` of a send: the same for the same ``key`` and peer, fresh without a
    key."""
    if key is None:
        return secrets.randbelow(RANDOM_IDS) + 1
    digest = hashlib.sha256(f"vk\x1f{contact}\x1f{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % RANDOM_IDS + 1


def _peer(contact: str) -> int:
    if not contact.isascii() or not contact.isdigit() or int(contact) == 0:
        raise Rejected(f"{contact!r} is not a VK peer id")
    return int(contact)


class VkClient:
    """One community's side of its dialogs with clients."""

    def __init__(self, config: VkSettings, session: aiohttp.ClientSession) -> None:
        self._api = VkApi(config, session)

    async def start(self, webhook_url: str | None) -> None:
        """Nothing: the Callback API server is entered in the community's settings by hand."""

    async def send(self, contact: str, text: str, *, key: str | None = None) -> str:
        return await self._send(contact, key, text)

    async def send_file(self, contact: str, file: OutgoingFile, *, key: str | None = None) -> str:
        peer = _peer(contact)
        if file.kind == "photo":
            attachment = await self._photo(peer, file)
        else:
            attachment = await self._doc(peer, file)
        return await self._send(contact, key, file.caption, attachment)

    async def ask_phone(self, contact: str, text: str, button: str) -> str:
        raise Rejected("VK has no button that shares a client's phone")

    async def send_template(self, contact: str) -> str:
        raise Rejected("VK has no message templates: a community may write any time it is allowed")

    async def health(self, webhook_url: str | None) -> str | None:
        """VK tells nothing of failed deliveries to a bot's server: nothing to say."""
        return None

    async def fetch(self, attachment: Attachment) -> bytes:
        if not attachment.ref.startswith(("https://", "http://")):
            raise Rejected(f"a VK {attachment.kind} without a URL cannot be downloaded")
        return await self._api.download(attachment.ref, MAX_FILE)

    async def close(self) -> None:
        """Nothing: the HTTP session is the app's."""

    async def _send(self, contact: str, key: str | None, text: str, attachment: str = "") -> str:
        params: dict[str, str | int] = {
            "peer_id": _peer(contact),
            "random_id": random_id(contact, key),
            "message": text,
        }
        if attachment:
            params["attachment"] = attachment
        sent = await self._api.call("messages.send", params)
        if isinstance(sent, bool) or not isinstance(sent, int):
            raise Rejected("VK's messages.send answered no message id")
        return str(sent)

    async def _photo(self, peer: int, file: OutgoingFile) -> str:
        server = await self._api.call("photos.getMessagesUploadServer", {"peer_id": peer})
        mime = mimetypes.guess_type(file.filename)[0] or "image/jpeg"
        uploaded = await self._api.upload(
            _upload_url(server), "photo", file.filename, file.content, mime
        )
        if not uploaded.get("photo") or uploaded.get("photo") == "[]":
            raise Rejected("VK's upload server took no picture from the file")
        saved = await self._api.call(
            "photos.saveMessagesPhoto",
            {key: _scalar(uploaded.get(key), key) for key in ("server", "photo", "hash")},
        )
        if not isinstance(saved, list) or not saved:
            raise Rejected("VK's photos.saveMessagesPhoto answered no photo")
        return _attachment("photo", saved[0])

    async def _doc(self, peer: int, file: OutgoingFile) -> str:
        kind = "audio_message" if file.kind == "voice" else "doc"
        server = await self._api.call(
            "docs.getMessagesUploadServer", {"type": kind, "peer_id": peer}
        )
        guessed = mimetypes.guess_type(file.filename)[0]
        mime = "audio/ogg" if file.kind == "voice" else guessed or "application/octet-stream"
        uploaded = await self._api.upload(
            _upload_url(server), "file", file.filename, file.content, mime
        )
        saved = await self._api.call(
            "docs.save", {"file": _scalar(uploaded.get("file"), "file"), "title": file.filename}
        )
        if not isinstance(saved, dict) or not isinstance(saved.get(saved.get("type")), dict):
            raise Rejected("VK's docs.save answered no document")
        return _attachment("doc", saved[saved["type"]])


def _upload_url(server: Any) -> str:
    url = server.get("upload_url") if isinstance(server, dict) else None
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise Rejected("VK handed out no upload URL")
    return url


def _scalar(value: Any, name: str) -> str | int:
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise Rejected(f"VK's upload server answered no {name}")
    return value


def _attachment(prefix: str, saved: Any) -> str:
    """``photo<owner>_<id>`` (``_<access_key>`` where VK gave one) for ``attachment``."""
    if not isinstance(saved, dict):
        raise Rejected(f"VK saved no {prefix}")
    owner, ident = saved.get("owner_id"), saved.get("id")
    if not isinstance(owner, int) or not isinstance(ident, int):
        raise Rejected(f"VK's saved {prefix} has no owner_id and id")
    key = saved.get("access_key")
    return f"{prefix}{owner}_{ident}" + (f"_{key}" if isinstance(key, str) and key else "")


def client(section: ConnectorSection, session: aiohttp.ClientSession) -> Messenger:
    """The registry's factory: the client of a ``type = "vk"`` section."""
    return VkClient(vk_settings(section), session)
