"""The MAX bot as the hub's :class:`~connectors.messaging.Messenger`.

A contact is the dialog's ``chat_id``: ``POST /messages?chat_id=`` answers with the message,
whose ``body.mid`` is the id returned. A file is uploaded first (``api.MaxApi.upload``) and sent
as an attachment ``{type, payload: {token}}``; MAX refuses it with ``attachment.not.ready`` until
it has processed the file, so the send is repeated after READY_WAITS (about 7 s in all) before
it is left to the outbox to retry. The phone is asked for with an inline keyboard holding a
``request_contact`` button. MAX has no templates. ``start`` subscribes the webhook with the
section's update types and secret. MAX takes no key to recognise a repeated send, so ``key`` is
not used: a send retried after an answer lost on the way may reach the client twice.

The requests are plain aiohttp on the app's session (``api``, which says why not ``maxapi``'s
Bot); the library gives only the trust in the root certificate MAX's hosts may use.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from typing import Any

import aiohttp

from config.settings import ConnectorSection
from connectors.max.api import MaxApi, NotReady, UploadType
from connectors.max.settings import MaxSettings, max_section
from connectors.messaging import Attachment, Messenger, OutgoingFile
from hub.domain.delivery import Rejected

# What a file the hub sends is uploaded and attached as.
UPLOAD_TYPES: Mapping[str, UploadType] = {"photo": "image", "document": "file", "voice": "audio"}
# Seconds to wait before sending a just-uploaded file again while MAX processes it.
READY_WAITS = (0.5, 1.0, 2.0, 3.5)
MAX_TEXT = 4000
_CHAT_ID = re.compile(r"-?\d{1,20}")


class MaxClient:
    """One MAX bot's API."""

    def __init__(
        self,
        settings: MaxSettings,
        session: aiohttp.ClientSession,
        *,
        ready_waits: Sequence[float] = READY_WAITS,
    ) -> None:
        self._settings = settings
        self._api = MaxApi(
            session,
            base=settings.api_base,
            token=settings.token.get_secret_value(),
            timeout=settings.request_timeout.total_seconds(),
        )
        self._ready_waits = tuple(ready_waits)

    async def start(self, webhook_url: str | None) -> None:
        if webhook_url is None:
            return
        answer = await self._api.call(
            "POST",
            "/subscriptions",
            body={
                "url": webhook_url,
                "update_types": list(self._settings.update_types),
                "secret": self._settings.webhook_secret.get_secret_value(),
            },
        )
        if answer.get("success") is False:
            raise Rejected(f"MAX refused the webhook: {answer.get('message') or 'no reason'}")

    async def health(self, webhook_url: str | None) -> str | None:
        """Is the hub's webhook still subscribed? MAX drops it after 8 hours of failed
        deliveries: then it is subscribed again, and that is said."""
        if webhook_url is None:
            return None
        answer = await self._api.call("GET", "/subscriptions")
        listed = answer.get("subscriptions") or []
        if any(isinstance(s, dict) and s.get("url") == webhook_url for s in listed):
            return None
        await self.start(webhook_url)
        return "MAX had dropped the webhook (after failed deliveries); subscribed again"

    async def send(self, contact: str, text: str, *, key: str | None = None) -> str:
        return await self._send(contact, {"text": _text(text)})

    async def send_file(self, contact: str, file: OutgoingFile, *, key: str | None = None) -> str:
        chat = _chat(contact)
        kind = UPLOAD_TYPES[file.kind]
        token = await self._api.upload(kind, file.filename, file.content)
        body: dict[str, Any] = {"attachments": [{"type": kind, "payload": {"token": token}}]}
        if file.caption:
            body["text"] = _text(file.caption)
        for wait in self._ready_waits:
            try:
                return await self._send(chat, body)
            except NotReady:
                await asyncio.sleep(wait)
        return await self._send(chat, body)

    async def ask_phone(self, contact: str, text: str, button: str) -> str:
        keyboard = {"buttons": [[{"type": "request_contact", "text": button}]]}
        body = {
            "text": _text(text),
            "attachments": [{"type": "inline_keyboard", "payload": keyboard}],
        }
        return await self._send(contact, body)

    async def send_template(self, contact: str) -> str:
        raise Rejected("MAX has no message templates: a client is written to once he wrote")

    async def fetch(self, attachment: Attachment) -> bytes:
        if not attachment.ref.startswith(("https://", "http://")):
            raise Rejected(f"a MAX {attachment.kind} without an address cannot be downloaded")
        return await self._api.download(attachment.ref, self._settings.max_download_bytes)

    async def close(self) -> None:
        """Nothing of its own to close: the session is the app's."""

    async def _send(self, contact: str, body: Mapping[str, Any]) -> str:
        answer = await self._api.call(
            "POST", "/messages", query={"chat_id": _chat(contact)}, body=body
        )
        message = answer.get("message")
        body_sent = message.get("body") if isinstance(message, dict) else None
        mid = body_sent.get("mid") if isinstance(body_sent, dict) else None
        if not isinstance(mid, str) or not mid:
            # Sent, most likely: sending again could show the client the message twice.
            raise Rejected("MAX answered without the message's id")
        return mid


def _chat(contact: str) -> str:
    if not _CHAT_ID.fullmatch(contact):
        raise Rejected(f"{contact!r} is not a MAX chat id")
    return contact


def _text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise Rejected(f"MAX carries at most {MAX_TEXT} characters in a message")
    return text


def create_client(section: ConnectorSection, session: aiohttp.ClientSession) -> Messenger:
    return MaxClient(max_section(section), session)
