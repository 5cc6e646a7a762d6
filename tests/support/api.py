"""A thin helper over aiohttp's test client: authorised JSON calls and signed hooks."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from connectors.generic import sign
from hub.bootstrap.core import CLOCK
from hub.bootstrap.pipeline import FOLDER, INTAKE
from hub.domain.clock import Clock


class Api:
    def __init__(self, client: TestClient[Any, Any], token: str, secret: str) -> None:
        self.client = client
        self.token = token
        self.secret = secret

    @property
    def app(self) -> Any:
        return self.client.app

    @property
    def clock(self) -> Clock:
        """The clock the app reads (hooks are signed by it, as the PBX's clock would agree)."""
        clock: Clock = self.app[CLOCK]
        return clock

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token if token is None else token}"}

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        raw: bytes | None = None,
        expect: int | None = None,
    ) -> tuple[int, Any]:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        async with self.client.request(
            method, path, data=data, headers=self.headers(token)
        ) as response:
            text = await response.text()
            payload = (
                json.loads(text) if text and response.content_type == "application/json" else text
            )
            if expect is not None:
                assert response.status == expect, (response.status, payload)
            return response.status, payload

    async def get(self, path: str, **kw: Any) -> Any:
        return (await self.call("GET", path, expect=kw.pop("expect", 200), **kw))[1]

    async def post(self, path: str, body: Any, **kw: Any) -> Any:
        return (await self.call("POST", path, body, expect=kw.pop("expect", 201), **kw))[1]

    async def hook(
        self,
        updates: Any,
        *,
        secret: str | None = None,
        at: int | None = None,
        expect: int | None = 200,
        raw: bytes | None = None,
    ) -> tuple[int, Any]:
        body = raw if raw is not None else json.dumps(updates).encode()
        stamp = at if at is not None else int(self.clock.now().timestamp())
        header = sign(secret or self.secret, body, stamp)
        async with self.client.post(
            "/api/v1/hooks/generic", data=body, headers={"X-Dozvon-Signature": header}
        ) as response:
            payload = await response.json()
            if expect is not None:
                assert response.status == expect, (response.status, payload)
        if response.status == 200:
            # Calls are derived from the stored updates right after the answer; wait for that
            # before the test reads them.
            await settled(self.app)
        return response.status, payload


async def settled(app: web.Application) -> None:
    """Wait until what the app has answered is stored and folded into calls: first events are
    stored apart from their answer (the intake's background stores), then the folder catches up."""
    await asyncio.wait_for(app[INTAKE].settled(), timeout=10)
    await asyncio.wait_for(app[FOLDER].settle(), timeout=10)


def update(
    call_id: str,
    state: str,
    *,
    event: str | None = None,
    direction: str = "inbound",
    caller: str = "+79031112233",
    callee: str = "+74950001122",
    extension: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One generic-hook update with sensible defaults."""
    body: dict[str, Any] = {
        "event_id": event or f"{call_id}-{state}-{extension or ''}",
        "call_id": call_id,
        "direction": direction,
        "state": state,
        "from": caller,
        "to": callee,
    }
    if extension is not None:
        body["extension"] = extension
    body.update(extra)
    return body
