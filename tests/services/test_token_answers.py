"""Bearer tokens' cached answers: the same header answered from memory, for as long as the
token's own answer holds, and not a moment longer."""

from __future__ import annotations

import pytest

from hub.bootstrap.database import SESSIONS
from hub.domain.errors import Unauthorized
from hub.services.auth import TokenVerifier
from tests.support.api import Api

TTL = 30.0


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.at = 1000.0

    def __call__(self) -> float:
        return self.at


def verifier(api: Api, ticks: Ticks, bootstrap: str | None = None) -> TokenVerifier:
    return TokenVerifier(api.app[SESSIONS], bootstrap, ttl=TTL, now=ticks)


async def answered_then_revoked(api: Api, ticks: Ticks, name: str) -> tuple[TokenVerifier, str]:
    """A verifier that has just answered for a token (``Bearer <token>``) which is then revoked
    behind its back; the token's secret."""
    tokens = verifier(api, ticks)
    body = await api.post("/api/v1/tokens", {"name": name, "role": "pbx"})
    assert (await tokens.verify(f"Bearer {body['token']}")).name == f"token:{name}"
    await api.call("DELETE", f"/api/v1/tokens/{body['id']}", expect=200)
    return tokens, body["token"]


async def test_a_revoked_token_is_refused_once_its_answer_runs_out(api: Api) -> None:
    ticks = Ticks()
    tokens, secret = await answered_then_revoked(api, ticks, "pbx-1")
    ticks.at += TTL - 1
    assert (await tokens.verify(f"Bearer {secret}")).name == "token:pbx-1"
    ticks.at += 2
    with pytest.raises(Unauthorized, match="unknown or revoked"):
        await tokens.verify(f"Bearer {secret}")


async def test_another_spelling_of_the_header_keeps_the_tokens_deadline(api: Api) -> None:
    # "Bearer  <token> " is the same token: its answer, found through the token's own, runs out
    # when that one does, not a whole TTL after it was asked for.
    ticks = Ticks()
    tokens, secret = await answered_then_revoked(api, ticks, "pbx-2")
    ticks.at += TTL - 5
    assert (await tokens.verify(f"Bearer  {secret} ")).name == "token:pbx-2"
    ticks.at += 6
    for header in (f"Bearer  {secret} ", f"Bearer {secret}"):
        with pytest.raises(Unauthorized):
            await tokens.verify(header)


async def test_forgetting_drops_the_answers_by_header_too(api: Api) -> None:
    ticks = Ticks()
    tokens, secret = await answered_then_revoked(api, ticks, "pbx-3")
    tokens.forget()
    with pytest.raises(Unauthorized):
        await tokens.verify(f"Bearer {secret}")


async def test_refusals_are_not_remembered_by_header(api: Api) -> None:
    ticks = Ticks()
    tokens = verifier(api, ticks, bootstrap="boot-secret")
    for header in (None, "", "Basic abc", "Bearer ", "Bearer wrong"):
        with pytest.raises(Unauthorized):
            await tokens.verify(header)
        with pytest.raises(Unauthorized):
            await tokens.verify(header)
    admin = await tokens.verify("Bearer boot-secret")
    assert admin.name == "admin"
    ticks.at += 10 * TTL
    assert await tokens.verify("Bearer boot-secret") == admin
