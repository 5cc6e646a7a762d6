"""Links that open without a token, for what people read outside the service: messages, reports.

:class:`Links` signs a path until ``http.link_ttl`` from now (``hub/domain/links.py``) and makes it
absolute with the service's public address (``http.public_url``; without one there is no link to
give). The key is ``http.link_secret`` or, without it, one the service makes once and keeps in the
database, so every instance signs and checks alike and links survive a restart.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta

from hub.domain.clock import Clock
from hub.domain.conversations import client_token, token_client
from hub.domain.errors import Unauthorized
from hub.domain.links import EXPIRES, SIGNATURE, link_problem, signed_path
from hub.domain.recordings import WEB_LINK, recording_path
from storage.db import SessionFactory
from storage.uow import UnitOfWork

# The name the key is kept under in the database (not the key).
KEY_NAME = "links"


class Links:
    def __init__(
        self, secret: bytes, clock: Clock, *, public_url: str | None, ttl: timedelta
    ) -> None:
        self._secret = secret
        self._clock = clock
        self._base = (
            public_url.rstrip("/") if public_url and public_url.startswith(WEB_LINK) else None
        )
        self._ttl = ttl

    def signed(self, path: str) -> str:
        """``path`` with the query that opens it without a token until the link expires."""
        expires = int((self._clock.now() + self._ttl).timestamp())
        return signed_path(self._secret, path, expires)

    def absolute(self, path: str | None) -> str | None:
        """The signed link to ``path`` as a person clicks it; None without a path or without the
        service's public address."""
        if path is None or self._base is None:
            return None
        return self._base + self.signed(path)

    def in_file(self, path: str) -> str:
        """``path`` as a file read outside the service carries it: the signed absolute link, or
        the path itself without the service's public address."""
        return self.absolute(path) or path

    def recording(self, call_id: int | None) -> str | None:
        """The link that plays stored call ``call_id``'s recording (pass None for a call without
        one)."""
        return self.absolute(recording_path(call_id))

    def client_token(self, client_id: int) -> str:
        """The deep-link payload that ties a messenger chat to client ``client_id``."""
        return client_token(self._secret, client_id)

    def token_client(self, token: str) -> int | None:
        """The client a deep-link payload names (None: not one of ours)."""
        return token_client(self._secret, token)

    def check(self, path: str, query: Mapping[str, str]) -> None:
        """Let a signed link to ``path`` through, or say why not (401)."""
        problem = link_problem(
            self._secret, path, query.get(EXPIRES), query.get(SIGNATURE), self._clock.now()
        )
        if problem is not None:
            raise Unauthorized(problem)


async def load_links(
    factory: SessionFactory,
    clock: Clock,
    *,
    configured: str | None,
    public_url: str | None,
    ttl: timedelta,
) -> Links:
    """The links of this service: signed with the configured key, else the database's."""
    secret = await link_secret(factory, configured)
    return Links(secret, clock, public_url=public_url, ttl=ttl)


async def link_secret(factory: SessionFactory, configured: str | None) -> bytes:
    """The key links are signed with: the configured one, else the database's (made once)."""
    if configured:
        return configured.encode()
    async with UnitOfWork(factory) as uow:
        value = await secret_in(uow, None)
        await uow.commit()
    return value


async def secret_in(uow: UnitOfWork, configured: str | None) -> bytes:
    """:func:`link_secret` read (or made) in the caller's unit of work, which commits it."""
    if configured:
        return configured.encode()
    return (await uow.secrets.get_or_make(KEY_NAME, lambda: secrets.token_hex(32))).encode()
