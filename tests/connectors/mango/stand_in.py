"""A stand-in for Mango's API: records every ``commands/route`` it is sent, answers as told."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class MangoApi:
    """``statuses`` are answered in turn (then 200 for ever); each request is kept in
    ``received``: the form as sent, and its ``json`` read as ``command``."""

    statuses: list[int] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    server: TestServer | None = None

    @property
    def url(self) -> str:
        """The API's base, as ``api_url`` names it."""
        assert self.server is not None
        return str(self.server.make_url("/vpbx"))

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/vpbx/commands/route", self._route)
        self.server = TestServer(app)
        await self.server.start_server()

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    async def _route(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.received.append({**form, "command": json.loads(str(form["json"]))})
        status = self.statuses.pop(0) if self.statuses else 200
        return web.json_response({"result": 1000 if status == 200 else 5000}, status=status)
