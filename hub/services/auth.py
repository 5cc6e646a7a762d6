"""Bearer tokens with roles: the bootstrap admin token from config and hashed API tokens."""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass

from hub.domain.errors import Forbidden, Unauthorized
from hub.domain.people import TokenRole
from hub.services.directory.tokens import hash_token
from storage.db import SessionFactory
from storage.repositories.tokens import TokenRepository

READERS = frozenset({TokenRole.ADMIN, TokenRole.MANAGER, TokenRole.VIEWER})
EDITORS = frozenset({TokenRole.ADMIN, TokenRole.MANAGER})
ADMINS = frozenset({TokenRole.ADMIN})
ROUTERS = frozenset({TokenRole.ADMIN, TokenRole.PBX})
# Reports (KPI, unregistered numbers, forgotten clients) are for those who run the team: the
# admin, and read-only tokens as supervisors and the director use them; not a manager's token.
REPORTERS = frozenset({TokenRole.ADMIN, TokenRole.VIEWER})


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the name goes into the audit log, the role decides what is allowed."""

    name: str
    role: TokenRole

    def require(self, allowed: frozenset[TokenRole]) -> None:
        if self.role not in allowed:
            raise Forbidden(f"a {self.role} token may not do this")


class TokenVerifier:
    """Checks bearer tokens; API tokens are cached briefly so a request costs no query."""

    def __init__(
        self, factory: SessionFactory, bootstrap: str | None, *, ttl: float = 30.0
    ) -> None:
        self._factory = factory
        self._bootstrap = bootstrap
        self._ttl = ttl
        self._cache: dict[str, tuple[float, Principal | None]] = {}

    def forget(self) -> None:
        """Drop cached answers (after a token was issued or revoked here)."""
        self._cache.clear()

    async def verify(self, header: str | None) -> Principal:
        if not header:
            raise Unauthorized("missing Authorization: Bearer <token>")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("Authorization must be 'Bearer <token>'")
        if self._bootstrap and hmac.compare_digest(token.encode(), self._bootstrap.encode()):
            return Principal(name="admin", role=TokenRole.ADMIN)
        digest = hash_token(token)
        now = time.monotonic()
        cached = self._cache.get(digest)
        if cached is None or cached[0] < now:
            principal = await self._lookup(digest)
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[digest] = (now + self._ttl, principal)
        else:
            principal = cached[1]
        if principal is None:
            raise Unauthorized("unknown or revoked token")
        return principal

    async def _lookup(self, digest: str) -> Principal | None:
        async with self._factory() as session:
            token = await TokenRepository(session).by_hash(digest)
        if token is None or token.revoked_at is not None:
            return None
        return Principal(name=f"token:{token.name}", role=TokenRole(token.role))
