"""A stand-in of Meta's Graph API for a WhatsApp business number, and the webhooks Meta posts.

It serves what a number's client calls — ``POST /{phone_number_id}/messages``, ``POST
/{phone_number_id}/media`` (multipart), ``GET /{media_id}`` and the media URL it hands out —
under the API version's path, checking ``Authorization: Bearer`` as Graph does (401, code 190).
It records every call, keeps what was sent (``sent``, ``texts(contact)``; ``nth_to(contact,
i)`` waits for it), refuses on demand (:meth:`WhatsAppApi.fail` with an
HTTP status or a WhatsApp error code) and answers 131047 to a free-form message for a client
whose 24-hour window has closed (:meth:`WhatsAppApi.window_closed`).

Its builders make the posts Meta sends to the app's webhook — a client's message
(:meth:`WhatsAppApi.inbound` of :func:`text`, :func:`media`, :func:`location`, :func:`button`
messages) and the statuses of ours (:meth:`WhatsAppApi.status`) — signed with the app secret
(:meth:`WhatsAppApi.post`), and the subscription check (:meth:`WhatsAppApi.subscribe`).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from connectors.whatsapp.settings import WhatsAppSettings
from tests.support.messenger_hooks import Posted, get, post
from tests.support.stand_in import StandIn
from tests.support.telegram_stub import until

TOKEN = "EAAG-whatsapp-system-user-token"
PHONE_NUMBER_ID = "106540352242922"
DISPLAY_NUMBER = "15550783881"
ACCOUNT_ID = "102290129340398"
APP_SECRET = "meta-app-secret"
VERIFY_TOKEN = "dozvon-verify-token"
VERSION = "v21.0"
MESSAGE_TYPES = frozenset({"text", "image", "document", "audio", "video", "sticker", "template"})


@dataclass(frozen=True, slots=True)
class Sent:
    """A message the number sent: its ``wamid``, the recipient, its type and its body."""

    message_id: str
    to: str
    type: str
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Medium:
    content: bytes
    mime: str
    filename: str | None = None


@dataclass
class _Failure:
    status: int
    code: int | None
    times: int
    endpoint: str | None
    retry_after: str | None


@dataclass
class WhatsAppApi(StandIn):
    token: str = TOKEN
    phone_number_id: str = PHONE_NUMBER_ID
    app_secret: str = APP_SECRET
    verify_token: str = VERIFY_TOKEN
    # Every Graph call as (method, path below the version, JSON body or form fields).
    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    media: dict[str, Medium] = field(default_factory=dict)
    closed: set[str] = field(default_factory=set)
    _failures: list[_Failure] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # --- what a test sets up and reads ------------------------------------------------------

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """The ``[messengers.NAME]`` keys of a section that talks to this stand-in."""
        return {
            "type": "whatsapp",
            "access_token": self.token,
            "phone_number_id": self.phone_number_id,
            "app_secret": self.app_secret,
            "verify_token": self.verify_token,
            "api_base": f"{self.url}/{VERSION}",
            **overrides,
        }

    def section(self, **overrides: Any) -> WhatsAppSettings:
        return WhatsAppSettings.model_validate(self.settings(**overrides))

    def fail(
        self,
        *,
        status: int | None = None,
        code: int | None = None,
        times: int = 1,
        endpoint: str | None = None,
        retry_after: str | None = None,
    ) -> None:
        """The next ``times`` calls (to ``endpoint``: ``messages``, ``media`` or ``fetch``; or
        any) answer the HTTP ``status`` — with WhatsApp's error ``code`` when given (400 if no
        status is) — and a ``Retry-After`` header when given."""
        assert status is not None or code is not None, "an HTTP status or an error code"
        self._failures.append(_Failure(status or 400, code, times, endpoint, retry_after))

    def window_closed(self, contact: str) -> None:
        """The client last wrote more than 24 hours ago: free-form messages answer 131047."""
        self.closed.add(contact)

    def window_open(self, contact: str) -> None:
        self.closed.discard(contact)

    def received_media(self, content: bytes, mime: str, filename: str | None = None) -> str:
        """A file a client sent, kept by WhatsApp: its media id (for a :func:`media` message)."""
        media_id = f"{next(self._ids) + 900_000_000_000_000}"
        self.media[media_id] = Medium(content, mime, filename)
        return media_id

    def to(self, contact: str) -> list[Sent]:
        return [s for s in self.sent if s.to == contact]

    def texts(self, contact: str) -> list[str]:
        return [s.body["body"] for s in self.to(contact) if s.type == "text"]

    async def nth_to(self, contact: str, index: int) -> Sent:
        """Message ``index`` (from 0) sent to ``contact``, once it has been sent."""
        await until(lambda: len(self.to(contact)) > index)
        return self.to(contact)[index]

    # --- the webhooks Meta posts ------------------------------------------------------------

    def inbound(self, *messages: dict[str, Any], name: str = "Иван Петров") -> dict[str, Any]:
        """The post of clients' messages (each writer's profile ``name`` beside them)."""
        writers = dict.fromkeys(m["from"] for m in messages)
        contacts = [{"profile": {"name": name}, "wa_id": wa_id} for wa_id in writers]
        return self._envelope({"contacts": contacts, "messages": list(messages)})

    def status(
        self,
        message_id: str,
        state: str,
        *,
        recipient: str,
        timestamp: int | None = None,
        error: tuple[int, str] | None = None,
    ) -> dict[str, Any]:
        """The post of one of our messages' status (``failed`` with ``error``: code, title)."""
        status: dict[str, Any] = {
            "id": message_id,
            "status": state,
            "timestamp": str(int(time.time()) if timestamp is None else timestamp),
            "recipient_id": recipient,
        }
        if state != "failed":
            status["conversation"] = {"id": "c0ffee", "origin": {"type": "service"}}
            status["pricing"] = {"billable": True, "pricing_model": "PMP", "category": "service"}
        if error is not None:
            code, title = error
            status["errors"] = [
                {"code": code, "title": title, "message": title, "error_data": {"details": title}}
            ]
        return self._envelope({"statuses": [status]})

    def sign(self, body: bytes) -> str:
        """``X-Hub-Signature-256`` of ``body`` with the app secret."""
        digest = hmac.new(self.app_secret.encode(), body, hashlib.sha256).hexdigest()
        return f"sha256={digest}"

    async def post(
        self, url: str, payload: dict[str, Any] | bytes, *, signature: str | None = None
    ) -> Posted:
        """POST a webhook as Meta does, signed (or with ``signature``; ``""``: none)."""
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        signed = self.sign(body) if signature is None else signature
        if signed:
            headers["X-Hub-Signature-256"] = signed
        return await post(url, body, headers)

    async def subscribe(
        self, url: str, *, token: str | None = None, challenge: str = "1158201444"
    ) -> Posted:
        """The GET Meta sends when the webhook is saved in the app's settings."""
        query = {
            "hub.mode": "subscribe",
            "hub.verify_token": self.verify_token if token is None else token,
            "hub.challenge": challenge,
        }
        return await get(url, query)

    def _envelope(self, value: dict[str, Any]) -> dict[str, Any]:
        metadata = {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": self.phone_number_id}
        change = {"value": {"messaging_product": "whatsapp", "metadata": metadata, **value}}
        return {
            "object": "whatsapp_business_account",
            "entry": [{"id": ACCOUNT_ID, "changes": [{**change, "field": "messages"}]}],
        }

    # --- the Graph API ----------------------------------------------------------------------

    def routes(self, app: web.Application) -> None:
        app.router.add_post(f"/{VERSION}/{{number}}/messages", self._messages)
        app.router.add_post(f"/{VERSION}/{{number}}/media", self._upload)
        app.router.add_get(f"/{VERSION}/{{media_id}}", self._medium)
        app.router.add_get("/files/{media_id}", self._download)

    def _refusal(self, request: web.Request, endpoint: str) -> web.Response | None:
        """Graph's 401 for a wrong bearer, or a failure asked for."""
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            message = "Invalid OAuth access token - Cannot parse access token"
            return _error(401, 190, message, "OAuthException")
        for failure in self._failures:
            if failure.times > 0 and failure.endpoint in (None, endpoint):
                failure.times -= 1
                headers = {"Retry-After": failure.retry_after} if failure.retry_after else {}
                return _error(failure.status, failure.code, "Failure on demand", headers=headers)
        return None

    async def _messages(self, request: web.Request) -> web.Response:
        refusal = self._refusal(request, "messages")
        if refusal is not None:
            return refusal
        if request.match_info["number"] != self.phone_number_id:
            return _unknown_object(request.match_info["number"])
        try:
            body = await request.json()
        except ValueError:
            return _error(400, 100, "The parameter messaging_product is required.")
        self.calls.append(("POST", f"{request.match_info['number']}/messages", body))
        kind = body.get("type")
        to = body.get("to")
        if body.get("messaging_product") != "whatsapp":
            return _error(400, 100, "The parameter messaging_product is required.")
        if not isinstance(to, str) or not to.isdigit():
            return _error(400, 131009, "Parameter value is not valid: to")
        if kind not in MESSAGE_TYPES or not isinstance(body.get(kind), dict):
            return _error(400, 131009, f"Parameter value is not valid: type {kind!r}")
        content = body[kind]
        problem = self._problem(kind, content)
        if problem is not None:
            return _error(400, 131009, problem)
        if kind != "template" and to in self.closed:
            details = (
                "Message failed to send because more than 24 hours have passed since the "
                "customer last replied to this number."
            )
            return _error(400, 131047, "Re-engagement message", details=details)
        message_id = f"wamid.HBgL{to}FQIAERgS{next(self._ids):06d}"
        self.sent.append(Sent(message_id, to, kind, content))
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": message_id}],
            }
        )

    def _problem(self, kind: str, content: dict[str, Any]) -> str | None:
        if kind == "text":
            body = content.get("body")
            if not isinstance(body, str) or not body or len(body) > 4096:
                return "Parameter value is not valid: text.body"
        elif kind == "template":
            language = content.get("language")
            if not content.get("name") or not isinstance(language, dict):
                return "Parameter value is not valid: template"
            if not language.get("code"):
                return "Parameter value is not valid: template.language.code"
        elif content.get("id") not in self.media:
            return f"Parameter value is not valid: {kind}.id"
        elif kind == "audio" and "caption" in content:
            return "Parameter value is not valid: audio.caption"
        return None

    async def _upload(self, request: web.Request) -> web.Response:
        refusal = self._refusal(request, "media")
        if refusal is not None:
            return refusal
        if request.match_info["number"] != self.phone_number_id:
            return _unknown_object(request.match_info["number"])
        form = await request.post()
        part = form.get("file")
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        self.calls.append(("POST", f"{request.match_info['number']}/media", fields))
        if form.get("messaging_product") != "whatsapp" or not isinstance(part, web.FileField):
            return _error(400, 100, "The parameter messaging_product is required.")
        media_id = self.received_media(part.file.read(), str(form.get("type")), part.filename)
        return web.json_response({"id": media_id})

    async def _medium(self, request: web.Request) -> web.Response:
        refusal = self._refusal(request, "fetch")
        if refusal is not None:
            return refusal
        media_id = request.match_info["media_id"]
        self.calls.append(("GET", media_id, {}))
        medium = self.media.get(media_id)
        if medium is None:
            return _unknown_object(media_id)
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "url": f"{self.url}/files/{media_id}",
                "mime_type": medium.mime,
                "sha256": hashlib.sha256(medium.content).hexdigest(),
                "file_size": len(medium.content),
                "id": media_id,
            }
        )

    async def _download(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return web.Response(status=401)
        medium = self.media.get(request.match_info["media_id"])
        if medium is None:
            return web.Response(status=404)
        return web.Response(body=medium.content, content_type=medium.mime)


def text(
    sender: str, body: str, *, id: str | None = None, timestamp: int | None = None
) -> dict[str, Any]:
    """A client's text message (``timestamp`` defaults to now, as WhatsApp stamps it)."""
    return _message(sender, "text", {"body": body}, id, timestamp)


def media(
    sender: str,
    kind: str,
    media_id: str,
    *,
    mime: str = "image/jpeg",
    caption: str | None = None,
    filename: str | None = None,
    voice: bool = False,
    id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """A client's ``image``, ``document``, ``audio`` (a voice note with ``voice``), ``video``
    or ``sticker``."""
    body: dict[str, Any] = {"id": media_id, "mime_type": mime, "sha256": "c2hh"}
    if caption is not None:
        body["caption"] = caption
    if filename is not None:
        body["filename"] = filename
    if kind == "audio":
        body["voice"] = voice
    return _message(sender, kind, body, id, timestamp)


def location(
    sender: str, latitude: float, longitude: float, *, name: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
    if name is not None:
        body["name"] = name
    return _message(sender, "location", body, None, None)


def button(sender: str, label: str, *, payload: str = "reopen") -> dict[str, Any]:
    """A tap on a template's quick-reply button."""
    return _message(sender, "button", {"payload": payload, "text": label}, None, None)


def _message(
    sender: str, kind: str, body: dict[str, Any], id: str | None, timestamp: int | None
) -> dict[str, Any]:
    stamp = int(time.time()) if timestamp is None else timestamp
    ident = id or "wamid.HBgL" + hashlib.sha1(f"{sender}{kind}{body}{stamp}".encode()).hexdigest()  # noqa: S324 - an id, not security
    return {"from": sender, "id": ident, "timestamp": str(stamp), "type": kind, kind: body}


def _error(
    status: int,
    code: int | None,
    message: str,
    kind: str = "OAuthException",
    *,
    details: str | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    error: dict[str, Any] = {"message": message, "type": kind, "fbtrace_id": "Az8"}
    if code is not None:
        error["code"] = code
    if details is not None:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return web.json_response({"error": error}, status=status, headers=headers)


def _unknown_object(ident: str) -> web.Response:
    message = (
        f"Unsupported post request. Object with ID '{ident}' does not exist, cannot be loaded "
        "due to missing permissions, or does not support this operation."
    )
    return _error(400, 100, message, "GraphMethodException")
