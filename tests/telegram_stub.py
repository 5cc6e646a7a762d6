"""A stand-in Bot API server: the methods the bot uses, every request recorded, failures on demand.

Real aiogram talks to it over real HTTP (``telegram.api_base``). ``fail(status, times,
retry_after=...)`` makes the next calls answer 429 (with ``parameters.retry_after``) or 5xx;
``block(chat_id)`` makes a chat answer 403 as when a user blocked the bot.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Recorded:
    method: str
    params: dict[str, Any]
    at: float


@dataclass
class BotApiStub:
    requests: list[Recorded] = field(default_factory=list)
    failures: list[tuple[int, float]] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100))

    def fail(self, status: int, times: int, *, retry_after: float = 1) -> None:
        self.failures += [(status, retry_after)] * times

    def block(self, chat_id: int) -> None:
        self.blocked.add(chat_id)

    def calls(self, method: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method]

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        return app

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        form = await request.post()
        params: dict[str, Any] = {k: str(v) for k, v in form.items()}
        if "reply_markup" in params:
            params["reply_markup"] = json.loads(params["reply_markup"])
        if self.failures:
            status, retry_after = self.failures.pop(0)
            body: dict[str, Any] = {
                "ok": False,
                "error_code": status,
                "description": "Too Many Requests" if status == 429 else "Internal Server Error",
            }
            if status == 429:
                body["parameters"] = {"retry_after": retry_after}
            return web.json_response(body, status=status)
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
        self.requests.append(Recorded(method, params, time.monotonic()))
        if method == "getMe":
            result: Any = {
                "id": 42,
                "is_bot": True,
                "first_name": "Dozvon",
                "username": "dozvon_bot",
            }
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
        else:
            result = True
        return web.json_response({"ok": True, "result": result})
