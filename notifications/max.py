"""The MAX channel: alerts to people without Telegram, through the staff bot on MAX.

A person's chat here is his MAX **user id**: ``POST /messages?user_id=`` writes to him (he must
have started the bot first), and the answer's ``body.mid`` — a string like ``mid.…`` — is the
id an edit (``PUT /messages?message_id=``) names later. Buttons (rows of ``{"text", "url"}`` or
``{"text", "callback_data"}``, as for Telegram) become an inline keyboard attachment of ``link``
and ``callback`` buttons; an edit without buttons takes the keyboard away. A report's file and a
digest's chart are uploaded first (``POST /uploads?type=file|image`` gives the address, the
upload's answer the token) and sent as attachments, again after a moment while MAX answers
``attachment.not.ready``.

Plain aiohttp on the app's session (the clients' MAX connector does the same; the layers keep
the two apart); ``maxapi`` gives the trust in the Russian root certificate MAX's hosts may use.
Errors as the sender knows them: 429 → wait ``Retry-After`` (a second without it); 5xx and
network errors → retry later; 403 or ``chat.denied`` → the person is unreachable here; any other
refusal → the message is dead, with MAX's words.
"""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import Mapping
from typing import Any

import aiohttp

from config.settings import MaxSettings
from notifications.channels import DeliveryError, Rejected, RetryAfter, Temporary, Unreachable

# Seconds a request may take: within the sender's lease on a message, as for Telegram.
REQUEST_TIMEOUT = 20.0
# Seconds to wait before sending a just-uploaded file again while MAX processes it.
READY_WAITS = (0.5, 1.0, 2.0, 3.5)
UNREACHABLE_CODES = frozenset({"chat.denied", "chat.not.found", "dialog.suspended"})


class _NotReady(Temporary):
    """An uploaded file MAX has not processed yet."""


def keyboard(buttons: Any) -> list[dict[str, Any]]:
    """Rows of ``{"text", "url" | "callback_data"}`` as MAX's attachments: an inline keyboard,
    or none."""
    rows = [
        [
            {"type": "link", "text": b["text"], "url": b["url"]}
            if "url" in b
            else {"type": "callback", "text": b["text"], "payload": b["callback_data"]}
            for b in row
        ]
        for row in buttons or []
        if row
    ]
    return [{"type": "inline_keyboard", "payload": {"buttons": rows}}] if rows else []


def _tls_context() -> ssl.SSLContext:
    # Imported here: the package's __init__ loads its whole bot framework (about half a
    # second), which only a service with a MAX token should pay for.
    from maxapi.client.ssl import create_default_ssl_context

    return create_default_ssl_context()


class MaxChannel:
    def __init__(
        self,
        config: MaxSettings,
        session: aiohttp.ClientSession,
        *,
        ready_waits: tuple[float, ...] = READY_WAITS,
    ) -> None:
        if config.token is None:
            raise ValueError("the MAX channel needs max.token")
        self._session = session
        self._base = config.api_base.rstrip("/")
        self._auth = {"Authorization": config.token.get_secret_value()}
        self._timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
        self._tls = _tls_context()
        self._ready_waits = ready_waits

    async def send(self, chat_id: int | None, text: str, buttons: Any) -> str:
        return await self._message(_user(chat_id), {"text": text, "attachments": keyboard(buttons)})

    async def edit(
        self, chat_id: int | None, message_id: int | str, text: str, buttons: Any
    ) -> None:
        _user(chat_id)
        body = {"text": text, "attachments": keyboard(buttons)}
        answer = await self._call("PUT", "/messages", {"message_id": str(message_id)}, body)
        if answer.get("success") is False:
            raise Rejected(f"MAX did not edit the message: {answer.get('message') or ''}")

    async def send_document(
        self,
        chat_id: int | None,
        filename: str,
        content: bytes,
        caption: str = "",
        buttons: Any = None,
    ) -> str:
        user = _user(chat_id)
        token = await self._upload("file", filename, content)
        attached = {"type": "file", "payload": {"token": token}}
        body: dict[str, Any] = {"attachments": [attached, *keyboard(buttons)]}
        if caption:
            body["text"] = caption
        return await self._message(user, body)

    async def send_photo(
        self, chat_id: int | None, photo: bytes, caption: str, buttons: Any
    ) -> str:
        user = _user(chat_id)
        token = await self._upload("image", "chart.png", photo)
        image = {"type": "image", "payload": {"token": token}}
        return await self._message(
            user, {"text": caption, "attachments": [image, *keyboard(buttons)]}
        )

    async def _message(self, user: str, body: Mapping[str, Any]) -> str:
        """``POST /messages?user_id=``, again while an uploaded file is not ready; the mid."""
        for wait in self._ready_waits:
            try:
                return await self._post(user, body)
            except _NotReady:
                await asyncio.sleep(wait)
        return await self._post(user, body)

    async def _post(self, user: str, body: Mapping[str, Any]) -> str:
        answer = await self._call("POST", "/messages", {"user_id": user}, body)
        message = answer.get("message")
        sent = message.get("body") if isinstance(message, dict) else None
        mid = sent.get("mid") if isinstance(sent, dict) else None
        if not isinstance(mid, str) or not mid:
            # Sent, most likely: sending again could show it twice.
            raise Rejected("MAX answered without the message's id")
        return mid

    async def _upload(self, kind: str, filename: str, content: bytes) -> str:
        slot = await self._call("POST", "/uploads", {"type": kind}, None)
        url = slot.get("url")
        if not isinstance(url, str) or not url:
            raise Temporary("MAX gave no address to upload the file to")
        form = aiohttp.FormData(quote_fields=False)  # names as written, Cyrillic too
        form.add_field("data", content, filename=filename)
        answer = await self._request("POST", url, data=form)
        photos = answer.get("photos")
        if isinstance(photos, dict) and photos:
            first = next(iter(photos.values()))
            token = first.get("token") if isinstance(first, dict) else None
        else:
            token = answer.get("token")
        if not isinstance(token, str) or not token:
            raise Temporary(f"MAX's upload answered without the {kind}'s token")
        return token

    async def _call(
        self, method: str, path: str, query: Mapping[str, str], body: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        return await self._request(method, f"{self._base}{path}", params=query, json=body)

    async def _request(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            async with self._session.request(
                method, url, headers=self._auth, timeout=self._timeout, ssl=self._tls, **kwargs
            ) as response:
                text = await response.text()
                status, headers = response.status, response.headers
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise Temporary(f"MAX could not be reached ({exc})") from exc
        try:
            answer = json.loads(text) if text.strip() else {}
        except ValueError:
            answer = None
        if status >= 400:
            raise _refusal(status, answer, headers)
        if not isinstance(answer, dict):
            raise Temporary(f"MAX answered {status} without a JSON object")
        return answer


def _user(chat_id: int | None) -> str:
    if chat_id is None:
        raise Unreachable("no MAX user for this person")
    return str(chat_id)


def _refusal(status: int, answer: Any, headers: Mapping[str, str]) -> DeliveryError:
    code = str(answer.get("code") or "") if isinstance(answer, dict) else ""
    message = str(answer.get("message") or "") if isinstance(answer, dict) else ""
    words = f"MAX answered {status}: {message or code or 'no reason given'}"[:300]
    if status == 429:
        try:
            seconds = float(headers.get("Retry-After", ""))
        except ValueError:
            seconds = 1.0
        return RetryAfter(seconds if seconds > 0 else 1.0)
    if status >= 500:
        return Temporary(words)
    if code == "attachment.not.ready":
        return _NotReady(words)
    if status == 403 or code in UNREACHABLE_CODES:
        return Unreachable(words)
    return Rejected(words)
