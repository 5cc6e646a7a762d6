"""A stand-in of VK's API for tests, and the Callback API events VK would post.

It serves the methods a community's client calls (``messages.send``,
``photos.getMessagesUploadServer`` → its upload server → ``photos.saveMessagesPhoto``,
``docs.getMessagesUploadServer`` → its upload server → ``docs.save``) the way VK does: a form
POST to ``/method/<name>`` with ``access_token`` and ``v``, HTTP 200 with ``{"response": ...}``
or ``{"error": {"error_code", "error_msg"}}``. It checks the token, records every call, keeps
what was sent (``sent``, ``texts(peer)``, ``attached(sent)``; ``nth_to(peer, i)`` waits for
it), deduplicates ``messages.send`` by ``random_id`` per peer as VK does (a repeated
``random_id`` answers the first message's id and sends nothing), refuses on demand
(:meth:`VkApi.fail`, :meth:`VkApi.forbid`), and serves files a client "sent" (:meth:`VkApi.file`).

Its builders make the events VK posts to the community's Callback API server —
:meth:`VkApi.confirmation`, :meth:`VkApi.message_new` with :func:`photo`, :func:`doc`,
:func:`voice`, :func:`sticker` attachments — and :meth:`VkApi.post` posts one to a webhook
address and returns the answer.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from connectors.vk.settings import VkSettings
from tests.support.messenger_hooks import Posted, post
from tests.support.stand_in import StandIn
from tests.support.telegram_stub import until

TOKEN = "vk1.a.community-token"
GROUP_ID = 229_000_001
CONFIRMATION = "9f3c1b2a"
SECRET = "vk-callback-secret"
VERSION = "5.199"
# VK's first message id of the community's dialogs in the stand-in.
FIRST_ID = 700


@dataclass(frozen=True, slots=True)
class Sent:
    """A message VK delivered: its id, the peer, and what ``messages.send`` carried."""

    message_id: int
    peer_id: int
    random_id: int
    text: str
    attachment: str


@dataclass(frozen=True, slots=True)
class Uploaded:
    """A file a community uploaded, by the attachment string that names it."""

    kind: str  # "photo", "doc" or "audio_message"
    filename: str
    content: bytes
    mime: str
    title: str = ""


@dataclass
class _Failure:
    error: int | None
    status: int | None
    times: int
    method: str | None


@dataclass
class VkApi(StandIn):
    token: str = TOKEN
    group_id: int = GROUP_ID
    confirmation_code: str = CONFIRMATION
    secret: str = SECRET
    # Every method call as (method, form without the token), in order.
    calls: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    uploads: dict[str, Uploaded] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    forbidden: set[int] = field(default_factory=set)
    _failures: list[_Failure] = field(default_factory=list)
    _seen: dict[tuple[int, int], int] = field(default_factory=dict)
    _pending: dict[str, Uploaded] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(FIRST_ID))

    # --- what a test sets up and reads ------------------------------------------------------

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """The ``[messengers.NAME]`` keys of a section that talks to this stand-in."""
        return {
            "type": "vk",
            "access_token": self.token,
            "group_id": self.group_id,
            "confirmation": self.confirmation_code,
            "secret": self.secret,
            "api_base": f"{self.url}/method",
            **overrides,
        }

    def section(self, **overrides: Any) -> VkSettings:
        return VkSettings.model_validate(self.settings(**overrides))

    def fail(
        self,
        *,
        error: int | None = None,
        status: int | None = None,
        times: int = 1,
        method: str | None = None,
    ) -> None:
        """The next ``times`` calls (of ``method``, or any) answer VK's ``error`` code in an
        HTTP 200, or the HTTP ``status`` (500, 502...)."""
        assert (error is None) != (status is None), "an error code or an HTTP status"
        self._failures.append(_Failure(error, status, times, method))

    def forbid(self, peer_id: int) -> None:
        """This user has not allowed the community's messages: sends to him answer 901."""
        self.forbidden.add(peer_id)

    def texts(self, peer_id: int) -> list[str]:
        return [s.text for s in self.to(peer_id)]

    async def nth_to(self, peer_id: int, index: int) -> Sent:
        """Message ``index`` (from 0) sent to ``peer_id``, once it has been sent."""
        await until(lambda: len(self.to(peer_id)) > index)
        return self.to(peer_id)[index]

    def to(self, peer_id: int) -> list[Sent]:
        return [s for s in self.sent if s.peer_id == peer_id]

    def attached(self, sent: Sent) -> list[Uploaded]:
        """The uploaded files a sent message carries."""
        return [self.uploads[a] for a in sent.attachment.split(",") if a]

    def file(self, name: str, content: bytes) -> str:
        """Serve ``content`` as a file a client sent; its URL (for an attachment builder)."""
        self.files[name] = content
        return f"{self.url}/files/{name}"

    # --- the events VK posts ----------------------------------------------------------------

    def event(
        self,
        kind: str,
        obj: dict[str, Any],
        *,
        secret: str | None = None,
        group_id: int | None = None,
        event_id: str | None = None,
    ) -> dict[str, Any]:
        """A Callback API event of this community, with its secret (or ``secret``)."""
        return {
            "group_id": self.group_id if group_id is None else group_id,
            "type": kind,
            "event_id": event_id or hashlib.sha1(json.dumps(obj).encode()).hexdigest(),  # noqa: S324 - an id, not security
            "v": VERSION,
            "object": obj,
            "secret": self.secret if secret is None else secret,
        }

    def confirmation(self, *, group_id: int | None = None) -> dict[str, Any]:
        """The address check VK posts when the server is added (it carries no secret)."""
        return {"type": "confirmation", "group_id": self.group_id if group_id is None else group_id}

    def message_new(
        self,
        peer_id: int,
        text: str = "",
        *,
        id: int | None = None,  # VK's name for it
        from_id: int | None = None,
        date: int | None = None,
        attachments: tuple[dict[str, Any], ...] = (),
        conversation_message_id: int = 1,
        ref: str | None = None,
        secret: str | None = None,
    ) -> dict[str, Any]:
        """A client's message in the community's dialog ``peer_id`` (a user id, or 2e9 + n for
        a group chat, where ``id`` is 0). ``date`` defaults to now, as VK stamps it."""
        chat = peer_id >= 2_000_000_000
        message: dict[str, Any] = {
            "date": int(time.time()) if date is None else date,
            "from_id": (from_id if from_id is not None else (1 if chat else peer_id)),
            "id": (0 if chat else next(self._ids)) if id is None else id,
            "out": 0,
            "peer_id": peer_id,
            "text": text,
            "conversation_message_id": conversation_message_id,
            "attachments": list(attachments),
            "fwd_messages": [],
            "important": False,
            "is_hidden": False,
        }
        if ref is not None:
            message["ref"] = ref
        client_info = {
            "button_actions": ["text", "vkpay", "open_app", "location", "open_link"],
            "keyboard": True,
            "inline_keyboard": True,
            "carousel": True,
            "lang_id": 0,
        }
        return self.event(
            "message_new", {"message": message, "client_info": client_info}, secret=secret
        )

    async def post(
        self, url: str, event: dict[str, Any] | bytes, *, retry: int | None = None
    ) -> Posted:
        """POST an event (or raw bytes) to a webhook address as VK does; its answer."""
        body = event if isinstance(event, bytes) else json.dumps(event).encode()
        headers = {"Content-Type": "application/json"}
        if retry is not None:
            headers["X-Retry-Counter"] = str(retry)
        return await post(url, body, headers)

    # --- the API ----------------------------------------------------------------------------

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/method/{method}", self._method)
        app.router.add_post("/upload/{kind}", self._upload)
        app.router.add_get("/files/{name}", self._file)

    async def _method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        form = {key: str(value) for key, value in (await request.post()).items()}
        if form.pop("access_token", None) != self.token:
            return _error(5, "User authorization failed: invalid access_token (4).")
        if not form.get("v"):
            return _error(8, "Invalid request: v (version) is required")
        self.calls.append((method, form))
        for failure in self._failures:
            if failure.times > 0 and failure.method in (None, method):
                failure.times -= 1
                if failure.status is not None:
                    return web.Response(status=failure.status, text="Internal Server Error")
                return _error(failure.error or 1, "Failure on demand")
        handler = self._handlers().get(method)
        if handler is None:
            return _error(3, "Unknown method passed")
        try:
            return web.json_response({"response": handler(form)})
        except _VkError as exc:
            return _error(exc.code, exc.message)

    def _handlers(self) -> dict[str, Any]:
        return {
            "messages.send": self._send,
            "photos.getMessagesUploadServer": self._photo_server,
            "photos.saveMessagesPhoto": self._save_photo,
            "docs.getMessagesUploadServer": self._doc_server,
            "docs.save": self._save_doc,
        }

    def _send(self, form: dict[str, str]) -> int:
        peer_id = _number(form, "peer_id")
        if "random_id" not in form:
            raise _VkError(100, "One of the parameters specified was missing or invalid: random_id")
        random_id = _number(form, "random_id")
        text, attachment = form.get("message", ""), form.get("attachment", "")
        if not text and not attachment:
            raise _VkError(100, "One of the parameters specified was missing or invalid: message")
        for name in filter(None, attachment.split(",")):
            if name not in self.uploads:
                raise _VkError(100, f"invalid attachment {name}")
        if peer_id in self.forbidden:
            raise _VkError(901, "Can't send messages for users without permission")
        first = self._seen.get((peer_id, random_id))
        if first is not None:
            return first
        message_id = next(self._ids)
        self._seen[(peer_id, random_id)] = message_id
        self.sent.append(Sent(message_id, peer_id, random_id, text, attachment))
        return message_id

    def _photo_server(self, form: dict[str, str]) -> dict[str, Any]:
        peer_id = _number(form, "peer_id")
        return {
            "album_id": -3,
            "upload_url": f"{self.url}/upload/photo?peer_id={peer_id}",
            "group_id": self.group_id,
        }

    def _doc_server(self, form: dict[str, str]) -> dict[str, Any]:
        peer_id = _number(form, "peer_id")
        kind = form.get("type", "doc")
        if kind not in ("doc", "audio_message"):
            raise _VkError(100, "One of the parameters specified was missing or invalid: type")
        return {"upload_url": f"{self.url}/upload/{kind}?peer_id={peer_id}"}

    def _save_photo(self, form: dict[str, str]) -> list[dict[str, Any]]:
        pending = self._pending.pop(form.get("photo", ""), None)
        if pending is None or form.get("hash") != _hash(form.get("photo", "")):
            raise _VkError(121, "Invalid hash")
        photo_id = next(self._ids)
        key = f"k{photo_id}"
        self.uploads[f"photo-{self.group_id}_{photo_id}_{key}"] = pending
        return [{"id": photo_id, "owner_id": -self.group_id, "access_key": key, "sizes": []}]

    def _save_doc(self, form: dict[str, str]) -> dict[str, Any]:
        pending = self._pending.pop(form.get("file", ""), None)
        if pending is None:
            raise _VkError(100, "One of the parameters specified was missing or invalid: file")
        doc_id = next(self._ids)
        title = form.get("title", pending.filename)
        self.uploads[f"doc-{self.group_id}_{doc_id}"] = Uploaded(
            pending.kind, pending.filename, pending.content, pending.mime, title
        )
        saved = {"id": doc_id, "owner_id": -self.group_id, "title": title}
        if pending.kind == "audio_message":
            return {"type": "audio_message", "audio_message": {**saved, "link_ogg": "x"}}
        return {"type": "doc", "doc": saved}

    async def _upload(self, request: web.Request) -> web.Response:
        kind = request.match_info["kind"]
        field_name = "photo" if kind == "photo" else "file"
        form = await request.post()
        part = form.get(field_name)
        if not isinstance(part, web.FileField):
            return web.json_response({"error": "ERR_UPLOAD_FILE_NOT_UPLOADED: no file"})
        content = part.file.read()
        uploaded = Uploaded(kind, part.filename, content, part.content_type)
        token = f"{kind}-{next(self._ids)}-{hashlib.sha256(content).hexdigest()[:16]}"
        if kind == "photo":
            photo = json.dumps([{"photo": token, "sizes": [], "kid": "stand-in"}])
            self._pending[photo] = uploaded
            return web.json_response({"server": 845123, "photo": photo, "hash": _hash(photo)})
        self._pending[token] = uploaded
        return web.json_response({"file": token})

    async def _file(self, request: web.Request) -> web.Response:
        content = self.files.get(request.match_info["name"])
        if content is None:
            raise web.HTTPNotFound()
        return web.Response(body=content, content_type="application/octet-stream")


def photo(url: str, *, width: int = 1280, height: int = 960) -> dict[str, Any]:
    """A photo attachment whose largest size is ``url`` (smaller sizes point elsewhere)."""
    sizes = [
        {"type": "s", "width": 75, "height": 56, "url": f"{url}?size=s"},
        {"type": "w", "width": width, "height": height, "url": url},
        {"type": "x", "width": 604, "height": 453, "url": f"{url}?size=x"},
    ]
    body = {"id": 457239017, "owner_id": 1, "access_key": "ak", "sizes": sizes}
    return {"type": "photo", "photo": body}


def doc(url: str, title: str, *, size: int = 1024) -> dict[str, Any]:
    body = {"id": 1, "owner_id": 1, "title": title, "size": size, "ext": "pdf", "url": url}
    return {"type": "doc", "doc": body}


def voice(url: str, *, mp3: bool = False) -> dict[str, Any]:
    """A voice message (its OGG link, or only an MP3 link)."""
    body: dict[str, Any] = {"id": 1, "owner_id": 1, "duration": 3, "link_mp3": url}
    if not mp3:
        body["link_ogg"] = url
        body["link_mp3"] = f"{url}.mp3"
    return {"type": "audio_message", "audio_message": body}


def sticker(url: str) -> dict[str, Any]:
    images = [
        {"url": f"{url}?size=64", "width": 64, "height": 64},
        {"url": url, "width": 512, "height": 512},
    ]
    return {"type": "sticker", "sticker": {"product_id": 1, "sticker_id": 9, "images": images}}


class _VkError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _error(code: int, message: str) -> web.Response:
    return web.json_response({"error": {"error_code": code, "error_msg": message}})


def _number(form: dict[str, str], name: str) -> int:
    try:
        return int(form[name])
    except (KeyError, ValueError):
        raise _VkError(
            100, f"One of the parameters specified was missing or invalid: {name}"
        ) from None


def _hash(photo: str) -> str:
    return hashlib.md5(photo.encode(), usedforsecurity=False).hexdigest()
