"""Playing a call's recording in a test: ``GET /api/v1/calls/{id}/recording`` as a person would,
without following a redirect (its ``Location`` is what the vendor's stand-in handed out)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tests.support.api import Api


@dataclass(frozen=True, slots=True)
class Played:
    status: int
    location: str | None
    content_type: str
    body: bytes

    def error(self) -> Any:
        """The JSON error's message."""
        return json.loads(self.body)["error"]["message"]


async def play(api: Api, call_id: int, *, token: str | None = None) -> Played:
    path = f"/api/v1/calls/{call_id}/recording"
    headers = api.headers(token) if token != "" else {}
    async with api.client.get(path, headers=headers, allow_redirects=False) as response:
        return Played(
            response.status,
            response.headers.get("Location"),
            response.content_type,
            await response.read(),
        )


async def only_call(api: Api, connector: str, vendor_id: str | None = None) -> dict[str, Any]:
    """The one call the connector reported (with that vendor's id, if given)."""
    calls: list[dict[str, Any]] = (await api.get(f"/api/v1/calls?connector={connector}"))["items"]
    found = [c for c in calls if vendor_id is None or c["call_id"] == vendor_id]
    assert len(found) == 1, calls
    return found[0]


async def token(api: Api, role: str) -> str:
    """A fresh API token with ``role``."""
    made: str = (await api.post("/api/v1/tokens", {"name": f"t-{role}", "role": role}))["token"]
    return made
