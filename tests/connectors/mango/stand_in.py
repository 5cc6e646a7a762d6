"""A stand-in for Mango's API: records every ``commands/route`` it is sent, answers as told;
``commands/callback`` (click-to-call) is checked as Mango checks it — our key, and ``sign`` =
sha256(key + json + salt) — and kept in ``callbacks``."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.support.stand_in import StandIn


@dataclass
class MangoApi(StandIn):
    """``statuses`` are answered in turn (then 200 for ever); each request is kept in
    ``received``: the form as sent, and its ``json`` read as ``command``."""

    statuses: list[int] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    key: str = ""
    salt: str = ""

    @property
    def url(self) -> str:
        """The API's base, as ``api_url`` names it."""
        return super().url + "/vpbx"

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/vpbx/commands/route", self._route)
        app.router.add_post("/vpbx/commands/callback", self._callback)

    async def _route(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.received.append({**form, "command": json.loads(str(form["json"]))})
        status = self.statuses.pop(0) if self.statuses else 200
        return web.json_response({"result": 1000 if status == 200 else 5000}, status=status)

    async def _callback(self, request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        expected = hashlib.sha256((self.key + form["json"] + self.salt).encode()).hexdigest()
        if form.get("vpbx_api_key") != self.key or form.get("sign") != expected:
            return web.json_response({"result": 3102}, status=401)
        self.callbacks.append(json.loads(form["json"]))
        return web.json_response({"result": 1000})
