"""A stand-in of MAX's Bot API (``platform-api2.max.ru``) on a local port.

It checks ``Authorization: <token>`` as MAX does (a missing or wrong token, or one in the query,
is 401 ``verify.token``), records every request (:attr:`MaxApi.requests`, with the status it
answered) and answers in the documented shapes: ``POST /messages?chat_id=|user_id=`` →
``{"message": {…, "body": {"mid": "mid.<n>", "seq", "text", "attachments"}}}``, ``PUT
/messages?message_id=`` → ``{"success": true}``, ``GET|POST|DELETE /subscriptions``, ``POST
/uploads?type=`` → an upload address on this server (``POST /upload/<n>`` takes the multipart
``data``), ``GET /me``, ``POST /answers``. It keeps the rules a client trips over: text of at
most 4000 characters, one of ``chat_id``/``user_id``, inline keyboards of known button types,
attachments by tokens it handed out.

What a test does with it:

* point a section at it: ``settings()`` (the keys of ``[messengers.NAME]``), ``section()``
  (the clients' bot's model), ``staff()`` (the staff bot's ``[max]``);
* make the API fail: ``fail(status, times, retry_after=…, code=…)`` (the next sends and
  edits), ``fail_uploads(status, times)``, ``not_ready(times)`` (the next sends of an uploaded
  file get ``400 attachment.not.ready``), ``block(chat_or_user_id)`` (403 ``chat.denied``, as
  when the user blocked the bot);
* build the updates MAX posts: ``message_created`` (``reply_to=mid``: a reply to that
  message), ``bot_started``, ``message_callback`` (a button pressed), ``contact``, and the
  attachments a client sends (``photo``/``document`` serve their content here, for ``fetch``);
* deliver them as MAX does: ``push(update)`` posts to every subscribed webhook with its
  secret; ``post_update(url, update, secret=…)`` to any address;
* read what was sent: ``sent_to(chat_id)``, ``sent_to_user(user_id)``, ``messages_to(id)``,
  ``files_to(id)``, ``edits_of(mid)``, ``answers()`` (``POST /answers``: the callback's
  notification or new message), and wait for it with ``nth_to`` or ``until``.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from config.settings import MaxSettings as StaffMaxSettings
from connectors.max.settings import MaxSettings
from tests.support.stand_in import StandIn
from tests.support.telegram_stub import until

__all__ = ["SECRET", "TOKEN", "MaxApi", "MaxRequest", "Upload", "post_update", "until"]

TOKEN = "max-test-token"
SECRET = "max-webhook-secret"
BOT_ID = 900001
MAX_TEXT = 4000
BUTTON_TYPES = frozenset(
    {"callback", "link", "request_contact", "request_geo_location", "chat", "message", "open_app"}
)


@dataclass
class MaxRequest:
    method: str
    path: str
    query: dict[str, str]
    body: Any  # the JSON sent, or None
    authorization: str | None
    status: int = 200  # what the stand-in answered


@dataclass
class Upload:
    type: str
    filename: str
    content: bytes


def _now_ms() -> int:
    return int(time.time() * 1000)


def _error(status: int, code: str, message: str, **headers: str) -> web.Response:
    return web.json_response({"code": code, "message": message}, status=status, headers=headers)


@dataclass
class MaxApi(StandIn):
    token: str = TOKEN
    requests: list[MaxRequest] = field(default_factory=list)
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    uploads: dict[str, Upload] = field(default_factory=dict)  # attachment token → the file
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)  # mid → what it holds
    blocked: set[int] = field(default_factory=set)
    failures: list[tuple[int, float | None, str | None]] = field(default_factory=list)
    upload_failures: list[int] = field(default_factory=list)
    unready: int = 0
    served: dict[str, bytes] = field(default_factory=dict)
    pressed: dict[str, str] = field(default_factory=dict)  # callback id → the message's mid
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _slots: dict[str, str] = field(default_factory=dict)  # upload slot → its type

    # -- pointing sections at it ----------------------------------------------------------

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """The ``[messengers.NAME]`` keys of a clients' bot that talks to this stand-in."""
        return {
            "type": "max",
            "token": self.token,
            "webhook_secret": SECRET,
            "api_base": self.url,
            **overrides,
        }

    def section(self, **overrides: Any) -> MaxSettings:
        return MaxSettings.model_validate(self.settings(**overrides))

    def staff(self, **overrides: Any) -> StaffMaxSettings:
        """The ``[max]`` section of the staff bot, talking to this stand-in."""
        return StaffMaxSettings.model_validate(
            {"token": self.token, "api_base": self.url} | overrides
        )

    # -- making it fail ---------------------------------------------------------------------

    def fail(
        self, status: int, times: int, *, retry_after: float | None = 1, code: str | None = None
    ) -> None:
        """The next ``times`` sends and edits answer ``status`` (a 429 with ``Retry-After:
        retry_after`` unless it is None)."""
        self.failures += [(status, retry_after, code)] * times

    def fail_uploads(self, status: int, times: int) -> None:
        """The next ``times`` ``POST /uploads`` answer ``status``."""
        self.upload_failures += [status] * times

    def not_ready(self, times: int) -> None:
        """The next ``times`` sends of an uploaded file: ``400 attachment.not.ready``."""
        self.unready += times

    def block(self, chat_id: int) -> None:
        """Sends to this chat (or user) answer 403, as when the user blocked the bot."""
        self.blocked.add(chat_id)

    # -- what was sent ----------------------------------------------------------------------

    def sends(self) -> list[MaxRequest]:
        """The messages it accepted, in order."""
        return [
            r for r in self.requests if (r.method, r.path, r.status) == ("POST", "/messages", 200)
        ]

    def messages_to(self, chat_id: int | str) -> list[dict[str, Any]]:
        """Bodies of the messages sent to this chat id or user id."""
        wanted = str(chat_id)
        return [
            r.body
            for r in self.sends()
            if wanted in (r.query.get("chat_id"), r.query.get("user_id"))
        ]

    def sent_to(self, chat_id: int | str) -> list[str]:
        """Texts sent to ``POST /messages?chat_id=``, in order."""
        return [
            r.body.get("text", "") for r in self.sends() if r.query.get("chat_id") == str(chat_id)
        ]

    def sent_to_user(self, user_id: int | str) -> list[str]:
        """Texts sent to ``POST /messages?user_id=``, in order."""
        return [
            r.body.get("text", "") for r in self.sends() if r.query.get("user_id") == str(user_id)
        ]

    def files_to(self, chat_id: int | str) -> list[Upload]:
        """The uploaded files attached to messages sent to this chat or user, in order."""
        return [
            self.uploads[item["payload"]["token"]]
            for body in self.messages_to(chat_id)
            for item in body.get("attachments") or []
            if item.get("type") != "inline_keyboard"
        ]

    def edits_of(self, mid: str) -> list[dict[str, Any]]:
        """Bodies of the accepted edits of message ``mid``."""
        return [
            r.body
            for r in self.requests
            if (r.method, r.path, r.status) == ("PUT", "/messages", 200)
            and r.query.get("message_id") == mid
        ]

    def answers(self) -> list[MaxRequest]:
        """The accepted ``POST /answers`` (``query["callback_id"]``, ``body``: ``notification``
        and/or ``message``), in order."""
        return [
            r for r in self.requests if (r.method, r.path, r.status) == ("POST", "/answers", 200)
        ]

    async def nth_to(self, chat_id: int | str, index: int) -> str:
        """The text of message ``index`` (from 0) sent to ``chat_id``, once it has been sent."""
        await until(lambda: len(self.sent_to(chat_id)) > index)
        return self.sent_to(chat_id)[index]

    # -- updates MAX posts ------------------------------------------------------------------

    @staticmethod
    def user(user_id: int, first_name: str = "Иван", last_name: str = "Петров") -> dict[str, Any]:
        return {
            "user_id": user_id,
            "first_name": first_name,
            "last_name": last_name,
            "username": None,
            "is_bot": False,
            "last_activity_time": _now_ms(),
        }

    def message_created(
        self,
        chat_id: int,
        user_id: int,
        text: str = "",
        *,
        mid: str | None = None,
        attachments: Iterable[dict[str, Any]] = (),
        forwarded: str | None = None,
        chat_type: str = "dialog",
        is_bot: bool = False,
        reply_to: str | None = None,
    ) -> dict[str, Any]:
        """A client writes ``text`` (with ``attachments``) in his dialog with the bot;
        ``forwarded``: he forwards a message with that text instead; ``reply_to``: he answers
        the bot's message of that mid (MAX's «Ответить»)."""
        sender = self.user(user_id)
        sender["is_bot"] = is_bot
        message: dict[str, Any] = {
            "sender": sender,
            "recipient": {"chat_id": chat_id, "chat_type": chat_type, "user_id": BOT_ID},
            "timestamp": _now_ms(),
            "body": {
                "mid": mid or f"mid.in.{next(self._ids)}",
                "seq": 117_000_000_000_000_000 + next(self._ids),
                "text": "" if forwarded is not None else text,
                "attachments": list(attachments) or None,
            },
        }
        if forwarded is not None:
            message["link"] = {
                "type": "forward",
                "sender": self.user(user_id + 1, "Пётр", "Сидоров"),
                "chat_id": chat_id + 1,
                "message": {"mid": f"mid.fwd.{next(self._ids)}", "seq": 1, "text": forwarded},
            }
        if reply_to is not None:
            replied = self.messages.get(reply_to, {})
            message["link"] = {
                "type": "reply",
                "sender": {"user_id": BOT_ID, "first_name": "Dozvon", "is_bot": True},
                "chat_id": chat_id,
                "message": {"mid": reply_to, "seq": 1, "text": replied.get("text", "")},
            }
        return {
            "update_type": "message_created",
            "timestamp": message["timestamp"],
            "message": message,
            "user_locale": "ru",
        }

    def bot_started(self, chat_id: int, user_id: int, payload: str | None = None) -> dict[str, Any]:
        """A client starts the bot (by ``https://max.ru/<bot>?start=<payload>``)."""
        return {
            "update_type": "bot_started",
            "timestamp": _now_ms(),
            "chat_id": chat_id,
            "user": self.user(user_id),
            "payload": payload,
            "user_locale": "ru",
        }

    def message_callback(
        self, user_id: int, payload: str, mid: str | None = None, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        """The user presses a ``callback`` button whose payload is ``payload`` under the bot's
        message ``mid`` (in his dialog ``chat_id``); the update's ``callback.callback_id`` is
        what ``POST /answers`` names."""
        now = _now_ms()
        pressed = self.messages.get(mid or "", {})
        message = None
        if mid is not None:
            message = {
                "sender": {"user_id": BOT_ID, "first_name": "Dozvon", "is_bot": True},
                "recipient": {
                    "chat_id": chat_id or user_id + 1_000_000,
                    "chat_type": "dialog",
                    "user_id": user_id,
                },
                "timestamp": now,
                "body": {
                    "mid": mid,
                    "seq": 117_000_000_000_000_000 + next(self._ids),
                    "text": pressed.get("text", ""),
                    "attachments": pressed.get("attachments"),
                },
            }
        callback_id = f"cb.{next(self._ids)}"
        if mid is not None:
            self.pressed[callback_id] = mid
        return {
            "update_type": "message_callback",
            "timestamp": now,
            "callback": {
                "timestamp": now,
                "callback_id": callback_id,
                "payload": payload,
                "user": self.user(user_id),
            },
            "message": message,
            "user_locale": "ru",
        }

    def contact(
        self, chat_id: int, user_id: int, phone: str, *, own: bool = True
    ) -> dict[str, Any]:
        """A client shares a contact (the answer to ``request_contact``): his own, or with
        ``own=False`` someone else's card."""
        owner = user_id if own else user_id + 7
        card = self.user(owner, "Иван" if own else "Пётр")
        vcard = (
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"FN:{card['first_name']} {card['last_name']}\r\n"
            f"TEL;TYPE=cell:{phone}\r\nEND:VCARD\r\n"
        )
        attachment = {"type": "contact", "payload": {"vcf_info": vcard, "max_info": card}}
        return self.message_created(chat_id, user_id, attachments=[attachment])

    def photo(self, content: bytes, name: str = "photo.jpg") -> dict[str, Any]:
        """An ``image`` attachment whose file this stand-in serves."""
        n = next(self._ids)
        url = self.serve(f"{n}-{name}", content)
        return {"type": "image", "payload": {"photo_id": n, "token": f"img.{n}", "url": url}}

    def document(self, content: bytes, filename: str = "файл.pdf") -> dict[str, Any]:
        """A ``file`` attachment whose file this stand-in serves."""
        n = next(self._ids)
        url = self.serve(f"{n}-file", content)
        payload = {"url": url, "token": f"file.{n}"}
        return {"type": "file", "payload": payload, "filename": filename, "size": len(content)}

    def serve(self, name: str, content: bytes) -> str:
        """Serve ``content`` at ``/files/<name>`` (MAX's file server); returns its address."""
        self.served[name] = content
        return f"{self.url}/files/{name}"

    # -- delivering updates -----------------------------------------------------------------

    async def push(self, update: dict[str, Any]) -> list[int]:
        """Post ``update`` to every subscribed webhook with its secret, as MAX does; the
        statuses answered."""
        return [
            await post_update(sub["url"], update, secret=sub.get("secret"))
            for sub in self.subscriptions
        ]

    # -- the server -------------------------------------------------------------------------

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/me", self._me)
        app.router.add_post("/messages", self._send)
        app.router.add_put("/messages", self._edit)
        app.router.add_delete("/messages", self._delete)
        app.router.add_post("/answers", self._answer)
        app.router.add_get("/subscriptions", self._subscriptions)
        app.router.add_post("/subscriptions", self._subscribe)
        app.router.add_delete("/subscriptions", self._unsubscribe)
        app.router.add_post("/uploads", self._slot)
        app.router.add_post("/upload/{slot}", self._upload)
        app.router.add_get("/files/{name}", self._file)

    async def _record(self, request: web.Request) -> MaxRequest:
        body: Any = None
        if request.can_read_body and request.content_type == "application/json":
            body = await request.json()
        recorded = MaxRequest(
            request.method,
            request.path,
            dict(request.query),
            body,
            request.headers.get("Authorization"),
        )
        self.requests.append(recorded)
        return recorded

    def _refused(self, recorded: MaxRequest) -> web.Response | None:
        """401 as MAX answers a missing or wrong token (a token in the query is not taken)."""
        if recorded.authorization != self.token:
            recorded.status = 401
            return _error(401, "verify.token", "Invalid access_token")
        return None

    def _failing(self, recorded: MaxRequest) -> web.Response | None:
        if not self.failures:
            return None
        status, retry_after, code = self.failures.pop(0)
        recorded.status = status
        headers = {}
        if status == 429 and retry_after is not None:
            headers["Retry-After"] = f"{retry_after:g}"
        default = {429: "too.many.requests", 403: "chat.denied"}.get(status, "internal.error")
        return _error(status, code or default, f"stand-in failure {status}", **headers)

    @staticmethod
    def _bad(recorded: MaxRequest, message: str, code: str = "proto.payload") -> web.Response:
        recorded.status = 400
        return _error(400, code, message)

    async def _me(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        if refused := self._refused(recorded):
            return refused
        return web.json_response(
            {"user_id": BOT_ID, "first_name": "Dozvon", "username": "dozvon_bot", "is_bot": True}
        )

    async def _send(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        if refused := self._refused(recorded) or self._failing(recorded):
            return refused
        chat, user = recorded.query.get("chat_id"), recorded.query.get("user_id")
        if (chat is None) == (user is None):
            return self._bad(recorded, "chat_id or user_id: exactly one is required")
        target = int(chat or user or 0)
        if target in self.blocked:
            recorded.status = 403
            return _error(403, "chat.denied", "chat.denied: the user has blocked the bot")
        body = recorded.body
        if problem := self._invalid(body):
            return self._bad(recorded, problem)
        uploaded = [a for a in body.get("attachments") or [] if a["type"] != "inline_keyboard"]
        if uploaded and self.unready:
            self.unready -= 1
            return self._bad(
                recorded,
                "Key: errors.process.attachment.file.not.processed",
                code="attachment.not.ready",
            )
        n = next(self._ids)
        mid = f"mid.{n}"
        self.messages[mid] = {"target": target, **body}
        return web.json_response(
            {
                "message": {
                    "sender": {"user_id": BOT_ID, "first_name": "Dozvon", "is_bot": True},
                    "recipient": {
                        "chat_id": int(chat) if chat else target + 1_000_000,
                        "chat_type": "dialog",
                        "user_id": int(user) if user else None,
                    },
                    "timestamp": _now_ms(),
                    "body": {
                        "mid": mid,
                        "seq": 117_000_000_000_000_000 + n,
                        "text": body.get("text", ""),
                        "attachments": body.get("attachments"),
                    },
                }
            }
        )

    def _invalid(self, body: Any) -> str | None:
        """What MAX would refuse in a message's body, if anything."""
        if not isinstance(body, dict):
            return "the body is not a JSON object"
        if len(body.get("text") or "") > MAX_TEXT:
            return f"text: size must be between 0 and {MAX_TEXT}"
        for item in body.get("attachments") or []:
            if item.get("type") == "inline_keyboard":
                rows = item.get("payload", {}).get("buttons")
                if not rows or not all(isinstance(row, list) and row for row in rows):
                    return "inline_keyboard: buttons must be rows of buttons"
                for button in (b for row in rows for b in row):
                    if button.get("type") not in BUTTON_TYPES or not button.get("text"):
                        return f"button {button!r}: a known type and a text are required"
                    if button["type"] == "link" and not button.get("url"):
                        return "a link button needs url"
                    if button["type"] == "callback" and not button.get("payload"):
                        return "a callback button needs payload"
                continue
            upload = self.uploads.get(item.get("payload", {}).get("token", ""))
            if upload is None or upload.type != item.get("type"):
                return f"attachment {item!r}: no such uploaded {item.get('type')}"
        return None

    async def _edit(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        if refused := self._refused(recorded) or self._failing(recorded):
            return refused
        mid = recorded.query.get("message_id", "")
        if mid not in self.messages:
            recorded.status = 404
            return _error(404, "not.found", f"Message {mid} not found")
        if self.messages[mid]["target"] in self.blocked:
            recorded.status = 403
            return _error(403, "chat.denied", "chat.denied: the user has blocked the bot")
        if problem := self._invalid(recorded.body):
            return self._bad(recorded, problem)
        self.messages[mid].update(recorded.body)
        return web.json_response({"success": True})

    async def _delete(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        if refused := self._refused(recorded):
            return refused
        self.messages.pop(recorded.query.get("message_id", ""), None)
        return web.json_response({"success": True})

    async def _answer(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        if refused := self._refused(recorded):
            return refused
        # MAX's rules: the press it answers, and a new message and/or a notification.
        body = recorded.body if isinstance(recorded.body, dict) else {}
        if not recorded.query.get("callback_id"):
            return self._bad(recorded, "callback_id: the press to answer is required")
        if not body.get("message") and not body.get("notification"):
            return self._bad(recorded, "message or notification: one is required")
        if body.get("message") and (problem := self._invalid(body["message"])):
            return self._bad(recorded, problem)
        # A new message replaces the one the button was under.
        mid = self.pressed.get(recorded.query["callback_id"])
        if body.get("message") and mid in self.messages:
            self.messages[mid].update(body["message"])
        return web.json_response({"success": True})

    async def _subscriptions(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        if refused := self._refused(recorded):
            return refused
        listed = [
            {"url": s["url"], "time": s["time"], "update_types": s.get("update_types")}
            for s in self.subscriptions
        ]
        return web.json_response({"subscriptions": listed})

    async def _subscribe(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        if refused := self._refused(recorded):
            return refused
        body = recorded.body if isinstance(recorded.body, dict) else {}
        if not str(body.get("url", "")).startswith(("https://", "http://")):
            return self._bad(recorded, "url: a webhook address is required")
        self.subscriptions = [s for s in self.subscriptions if s["url"] != body["url"]]
        self.subscriptions.append({**body, "time": _now_ms()})
        return web.json_response({"success": True})

    async def _unsubscribe(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        if refused := self._refused(recorded):
            return refused
        url = recorded.query.get("url")
        self.subscriptions = [s for s in self.subscriptions if s["url"] != url]
        return web.json_response({"success": True})

    async def _slot(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        if refused := self._refused(recorded):
            return refused
        if self.upload_failures:
            recorded.status = self.upload_failures.pop(0)
            return _error(recorded.status, "internal.error", "stand-in upload failure")
        kind = recorded.query.get("type", "")
        if kind not in ("image", "video", "audio", "file"):
            return self._bad(recorded, f"type: {kind!r} is not image, video, audio or file")
        slot = str(next(self._ids))
        self._slots[slot] = kind
        answer: dict[str, Any] = {"url": f"{self.url}/upload/{slot}"}
        if kind in ("audio", "video"):
            answer["token"] = f"{kind}-token-{slot}"
        return web.json_response(answer)

    async def _upload(self, request: web.Request) -> web.Response:
        slot = request.match_info["slot"]
        recorded = MaxRequest("POST", request.path, {}, None, request.headers.get("Authorization"))
        self.requests.append(recorded)
        kind = self._slots.pop(slot, None)
        form = await request.post()
        data = form.get("data")
        if kind is None or not isinstance(data, web.FileField):
            recorded.status = 400
            return _error(400, "upload.invalid", "no such upload, or no 'data' file in it")
        token = f"{kind}-token-{slot}"
        self.uploads[token] = Upload(kind, data.filename, data.file.read())
        if kind == "image":
            return web.json_response({"photos": {f"p{slot}": {"token": token}}})
        if kind == "file":
            return web.json_response({"fileId": int(slot), "token": token})
        return web.Response(text="<retval>1</retval>", content_type="text/xml")

    async def _file(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        recorded = MaxRequest("GET", request.path, {}, None, request.headers.get("Authorization"))
        self.requests.append(recorded)
        if name not in self.served:
            recorded.status = 404
            return web.Response(status=404)
        return web.Response(body=self.served[name], content_type="application/octet-stream")


async def post_update(url: str, update: dict[str, Any], *, secret: str | None = SECRET) -> int:
    """POST one update to a webhook as MAX does (JSON, the secret in
    ``X-Max-Bot-Api-Secret`` unless ``secret`` is None); the status answered."""
    headers = {"X-Max-Bot-Api-Secret": secret} if secret is not None else {}
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            url, data=json.dumps(update), headers={"Content-Type": "application/json", **headers}
        ) as response,
    ):
        await response.read()
        return response.status
