"""A stand-in Bot API server: the methods the bot uses, every request recorded, failures on demand.

Real aiogram talks to it over real HTTP (``telegram.api_base``). ``fail(status, times,
retry_after=...)`` makes the next sends and edits answer 429 (with ``parameters.retry_after``) or
5xx, and ``fail_documents(...)`` the next sendDocument requests (multipart: their files are
recorded, ``documents_to(chat_id)`` reads them back); sendPhoto uploads alike (a message with a
caption: ``fail`` applies to it, ``photos_to(chat_id)`` reads them back); ``block(chat_id)``
makes a chat answer 403 as when a user blocked the bot.
``message()`` and ``press()`` queue what a person does in Telegram; ``getUpdates`` hands it out
(long polling, with offsets confirming what was handled), ``as_update()`` builds the same for a
webhook post. Each request keeps the address it came from, so a test tells requests through a
proxy from direct ones.

A client writing to a company bot: ``contact()`` (his own phone, or ``own=False`` someone
else's card), ``start()`` (a deep link's ``/start PAYLOAD``), ``photo()``, ``document()``,
``voice()``, ``location()`` and ``content()`` (any other message fields: a sticker, a video...)
queue such messages and return the update; a file they carry is served by getFile and
``/file/bot<token>/<path>`` as Telegram serves it (``file()`` adds one). setWebhook keeps the
webhook (``webhook``) until deleteWebhook, and getUpdates answers 409 meanwhile, as Telegram
does; sendVoice answers as Telegram does (``voices_to`` reads them back).
``fail_method(name, status, times)`` makes any method fail (``"download"``: a file's
download); ``token``, when set, makes requests with another token answer 401.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Recorded:
    method: str
    params: dict[str, Any]
    at: float
    peer: tuple[str, int] | None = None  # the address the request came from
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # field → (name, content)
    result: Any = None  # what the stand-in answered (a sent message: its message_id)


@dataclass
class BotApiStub:
    requests: list[Recorded] = field(default_factory=list)
    failures: list[tuple[int, float]] = field(default_factory=list)
    document_failures: list[tuple[int, float]] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    updates: list[dict[str, Any]] = field(default_factory=list)
    confirmed: int = 0
    token: str | None = None
    # What getWebhookInfo reports: (updates waiting, the last error) — Telegram failing to post.
    webhook_trouble: tuple[int, str | None] | None = None
    webhook: dict[str, Any] | None = None
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # file id → (path, content)
    method_failures: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100))
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def message(
        self, chat_id: int, text: str, *, reply_to: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A person writes ``text`` in his private chat with the bot (queued for getUpdates)."""
        return self._queue({"message": self._message(chat_id, text, reply_to=reply_to)})

    def press(self, chat_id: int, data: str, message_id: int = 1) -> dict[str, Any]:
        """A person presses an inline button carrying ``data`` under message ``message_id``."""
        return self._queue(
            {
                "callback_query": {
                    "id": f"cb{next(self._ids)}",
                    "from": self._user(chat_id),
                    "chat_instance": str(chat_id),
                    "data": data,
                    "message": {
                        "message_id": message_id,
                        "date": int(time.time()),
                        "chat": {"id": chat_id, "type": "private"},
                        "from": {"id": 42, "is_bot": True, "first_name": "Dozvon"},
                        "text": "…",
                    },
                }
            }
        )

    def contact(
        self, chat_id: int, phone: str, *, own: bool = True, user_id: int | None = None
    ) -> dict[str, Any]:
        """A person shares a contact: his own (the button of a reply keyboard), or a card of
        another person (``own=False``; ``user_id`` when that person is on Telegram)."""
        owner = chat_id if own else user_id
        card: dict[str, Any] = {"phone_number": phone, "first_name": f"Contact{owner or ''}"}
        if owner is not None:
            card["user_id"] = owner
        return self.content(chat_id, contact=card)

    def start(self, chat_id: int, payload: str | None = None) -> dict[str, Any]:
        """A person opens the bot (with a deep link's ``payload``)."""
        return self.message(chat_id, "/start" if payload is None else f"/start {payload}")

    def photo(self, chat_id: int, content: bytes, *, caption: str = "") -> dict[str, Any]:
        """A person sends a picture: Telegram offers it in two sizes, the larger is ``content``."""
        small = self.file(content[:16], name="thumb.jpg")
        large = self.file(content, name="photo.jpg")
        sizes = [
            {"file_id": small, "file_unique_id": f"u{small}", "width": 90, "height": 60},
            {
                "file_id": large,
                "file_unique_id": f"u{large}",
                "width": 1280,
                "height": 853,
                "file_size": len(content),
            },
        ]
        return self.content(chat_id, photo=sizes, **({"caption": caption} if caption else {}))

    def document(
        self, chat_id: int, name: str, content: bytes, *, mime: str = "application/pdf"
    ) -> dict[str, Any]:
        """A person sends a file."""
        file_id = self.file(content, name=name)
        return self.content(
            chat_id,
            document={
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": name,
                "mime_type": mime,
                "file_size": len(content),
            },
        )

    def voice(self, chat_id: int, content: bytes) -> dict[str, Any]:
        """A person records a voice message."""
        file_id = self.file(content, name="voice.oga")
        voice = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "duration": 3,
            "mime_type": "audio/ogg",
            "file_size": len(content),
        }
        return self.content(chat_id, voice=voice)

    def location(self, chat_id: int, latitude: float, longitude: float) -> dict[str, Any]:
        """A person shares where he is."""
        return self.content(chat_id, location={"latitude": latitude, "longitude": longitude})

    def content(self, chat_id: int, **fields: Any) -> dict[str, Any]:
        """A person sends a message of these fields (``sticker={...}``, ``video={...}``...)."""
        message = self._message(chat_id, "")
        del message["text"]
        return self._queue({"message": {**message, **fields}})

    def file(self, content: bytes, *, name: str = "file.bin") -> str:
        """A file Telegram keeps (getFile and a download hand it out); returns its file id."""
        file_id = f"F{len(self.files) + 1}"
        self.files[file_id] = (f"files/{file_id}/{name}", content)
        return file_id

    def voices_to(self, chat_id: int) -> list[tuple[str, bytes]]:
        """Voice messages sent to ``chat_id`` with sendVoice (file name, content), in order."""
        return [
            r.files["voice"]
            for r in self.requests
            if r.method == "sendVoice" and int(r.params["chat_id"]) == chat_id
        ]

    def fail_method(self, method: str, status: int, times: int, *, retry_after: float = 1) -> None:
        """The next ``times`` requests of ``method`` fail so (429 with ``retry_after``)."""
        self.method_failures.setdefault(method, []).extend([(status, retry_after)] * times)

    def as_update(self, chat_id: int, text: str) -> dict[str, Any]:
        """An update as Telegram would post it to a webhook (not queued)."""
        return {"update_id": next(self._update_ids), "message": self._message(chat_id, text)}

    def _queue(self, event: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **event}
        self.updates.append(update)
        self._arrived.set()
        return update

    @staticmethod
    def _user(chat_id: int) -> dict[str, Any]:
        return {"id": chat_id, "is_bot": False, "first_name": f"User{chat_id}"}

    def _message(
        self, chat_id: int, text: str, *, reply_to: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        chat_type = "private" if chat_id > 0 else "group"
        message: dict[str, Any] = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type},
            "from": self._user(abs(chat_id)),
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return message

    def sent_to(self, chat_id: int) -> list[str]:
        """Texts of the messages sent to ``chat_id``, in order."""
        return [
            r.params["text"]
            for r in self.requests
            if r.method == "sendMessage" and int(r.params["chat_id"]) == chat_id
        ]

    async def nth_to(self, chat_id: int, index: int) -> str:
        """The text of message ``index`` (from 0) sent to ``chat_id``, once it has been sent."""
        await until(lambda: len(self.sent_to(chat_id)) > index)
        return self.sent_to(chat_id)[index]

    def documents_to(self, chat_id: int) -> list[tuple[str, bytes]]:
        """Files sent to ``chat_id`` with sendDocument (file name, content), in order."""
        return [
            r.files["document"]
            for r in self.requests
            if r.method == "sendDocument" and int(r.params["chat_id"]) == chat_id
        ]

    def photos_to(self, chat_id: int) -> list[tuple[str, bytes]]:
        """Pictures sent to ``chat_id`` with sendPhoto (caption, content), in order."""
        return [
            (r.params.get("caption", ""), r.files["photo"][1])
            for r in self.requests
            if r.method == "sendPhoto" and int(r.params["chat_id"]) == chat_id
        ]

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        if offset:
            self.confirmed = max(self.confirmed, offset - 1)
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates:
            self._arrived.clear()
            wait = min(float(params.get("timeout") or 0), 1.0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), wait)
        return list(self.updates)

    def fail(self, status: int, times: int, *, retry_after: float = 1) -> None:
        self.failures += [(status, retry_after)] * times

    def fail_documents(self, status: int, times: int, *, retry_after: float = 1) -> None:
        """The next ``times`` sendDocument requests fail so (messages are not affected)."""
        self.document_failures += [(status, retry_after)] * times

    def block(self, chat_id: int) -> None:
        self.blocked.add(chat_id)

    def calls(self, method: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method]

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        return app

    def _unauthorized(self, request: web.Request) -> web.Response | None:
        if self.token is None or request.match_info["token"] == self.token:
            return None
        body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
        return web.json_response(body, status=401)

    async def _download(self, request: web.Request) -> web.StreamResponse:
        refused = self._unauthorized(request)
        if refused is not None:
            return refused
        failing = self.method_failures.get("download")
        if failing:
            status, _ = failing.pop(0)
            return web.Response(status=status, text="failed on demand")
        for path, content in self.files.values():
            if path == request.match_info["path"]:
                return web.Response(body=content, content_type="application/octet-stream")
        raise web.HTTPNotFound()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        refused = self._unauthorized(request)
        if refused is not None:
            return refused
        form = await request.post()
        params: dict[str, Any] = {
            k: str(v) for k, v in form.items() if not isinstance(v, web.FileField)
        }
        uploads = {
            k: (v.filename, v.file.read()) for k, v in form.items() if isinstance(v, web.FileField)
        }
        # aiogram posts a file under a name of its own and the field as "attach://<that name>".
        files = {
            k: uploads[v.removeprefix("attach://")]
            for k, v in params.items()
            if v.startswith("attach://") and v.removeprefix("attach://") in uploads
        }
        if "reply_markup" in params:
            params["reply_markup"] = json.loads(params["reply_markup"])
        messages = ("sendMessage", "editMessageText", "sendPhoto", "sendVoice")
        failing = self.failures if method in messages else []
        if method == "sendDocument":
            failing = self.document_failures
        if self.method_failures.get(method):
            failing = self.method_failures[method]
        if failing:
            status, retry_after = failing.pop(0)
            body: dict[str, Any] = {
                "ok": False,
                "error_code": status,
                "description": "Too Many Requests" if status == 429 else "Internal Server Error",
            }
            if status == 429:
                body["parameters"] = {"retry_after": retry_after}
            return web.json_response(body, status=status)
        if method == "getUpdates" and self.webhook is not None:
            description = "Conflict: can't use getUpdates method while webhook is active"
            body = {"ok": False, "error_code": 409, "description": description}
            return web.json_response(body, status=409)
        chat_id = int(params.get("chat_id", 0) or 0)
        if chat_id in self.blocked:
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user",
                },
                status=403,
            )
        peer = request.transport.get_extra_info("peername") if request.transport else None
        recorded = Recorded(
            method, params, time.monotonic(), (peer[0], peer[1]) if peer else None, files
        )
        self.requests.append(recorded)
        if method == "getMe":
            result: Any = {
                "id": 42,
                "is_bot": True,
                "first_name": "Dozvon",
                "username": "dozvon_bot",
            }
        elif method == "getUpdates":
            result = await self._get_updates(params)
        elif method in ("sendMessage", "editMessageText"):
            message_id = (
                int(params["message_id"]) if method == "editMessageText" else next(self._ids)
            )
            result = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": params.get("text", ""),
            }
        elif method == "sendDocument":
            name, content = files.get("document", ("", b""))
            result = {
                "message_id": next(self._ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "document": {
                    "file_id": f"file{len(self.requests)}",
                    "file_unique_id": f"unique{len(self.requests)}",
                    "file_name": name,
                    "file_size": len(content),
                },
            }
        elif method == "sendPhoto":
            _, content = files.get("photo", ("", b""))
            result = {
                "message_id": next(self._ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "caption": params.get("caption", ""),
                "photo": [
                    {
                        "file_id": f"file{len(self.requests)}",
                        "file_unique_id": f"unique{len(self.requests)}",
                        "width": 1,
                        "height": 1,
                        "file_size": len(content),
                    }
                ],
            }
        elif method == "sendVoice":
            _, content = files.get("voice", ("", b""))
            result = {
                "message_id": next(self._ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "voice": {
                    "file_id": f"file{len(self.requests)}",
                    "file_unique_id": f"unique{len(self.requests)}",
                    "duration": 1,
                    "file_size": len(content),
                },
            }
        elif method == "getFile":
            kept = self.files.get(params.get("file_id", ""))
            if kept is None:
                body = {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: invalid file_id",
                }
                return web.json_response(body, status=400)
            result = {
                "file_id": params["file_id"],
                "file_unique_id": f"u{params['file_id']}",
                "file_size": len(kept[1]),
                "file_path": kept[0],
            }
        elif method == "getWebhookInfo":
            pending, error = self.webhook_trouble or (0, None)
            result = {
                "url": (self.webhook or {}).get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": pending,
            }
            if error is not None:
                result |= {"last_error_date": int(time.time()), "last_error_message": error}
        else:
            if method == "setWebhook":
                self.webhook = params
            elif method == "deleteWebhook":
                self.webhook = None
            result = True
        recorded.result = result
        return web.json_response({"ok": True, "result": result})


async def until(check: Callable[[], object], seconds: float = 15) -> None:
    """Wait until ``check()`` is true (what reaches the stand-in arrives asynchronously)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def until_true(check: Callable[[], Awaitable[object]], seconds: float = 15) -> None:
    """``until`` for checks that must await (a database read, an API call)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)
