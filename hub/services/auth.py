"""Bearer tokens with roles: the bootstrap admin token from config and hashed API tokens.

A token's role decides which endpoints it may call (:data:`READERS`, :data:`EDITORS`...); a
token of a person also carries his :class:`~hub.domain.scope.Scope`, which decides whose records
it sees and changes: a manager his own, a supervisor his team's, directors and admins everything.
A token of nobody in particular (the bootstrap admin token, a PBX's, those issued before tokens
had people) sees the whole company.

Verifying costs no query on most requests: the answer (the principal with its scope) is cached
for ``ttl`` seconds, so a change of a person's team, role or activity reaches his tokens within
that time (at once for tokens issued or revoked through this instance)."""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from hub.domain.errors import Forbidden, Unauthorized
from hub.domain.people import TokenRole
from hub.domain.scope import Scope
from hub.domain.secrets import secret_digest
from hub.services.directory.tokens import holds
from hub.services.scope import scope_of
from storage.db import SessionFactory
from storage.uow import UnitOfWork

# The longest Authorization header whose answer is kept by the header itself.
_KEPT_HEADER = 256

READERS = frozenset({TokenRole.ADMIN, TokenRole.MANAGER, TokenRole.VIEWER})
EDITORS = frozenset({TokenRole.ADMIN, TokenRole.MANAGER})
ADMINS = frozenset({TokenRole.ADMIN})
ROUTERS = frozenset({TokenRole.ADMIN, TokenRole.PBX})
# Reports (KPI, unregistered numbers, forgotten clients) are for those who run the team: the
# admin, and read-only tokens as supervisors and the director use them; not a manager's token.
# A person's viewer token reads them within his scope: a supervisor his team's lines, a
# director's or an admin's all; a manager's person none.
REPORTERS = frozenset({TokenRole.ADMIN, TokenRole.VIEWER})


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the name goes into the audit log, the role decides what is allowed, the
    scope whose records (everything for a token of nobody in particular)."""

    name: str
    role: TokenRole
    person_id: int | None = None
    scope: Scope = field(default_factory=Scope.whole)

    def require(self, allowed: frozenset[TokenRole]) -> None:
        if self.role not in allowed:
            raise Forbidden(f"a {self.role} token may not do this")


class TokenVerifier:
    """Checks bearer tokens; API tokens are cached briefly so a request costs no query."""

    def __init__(
        self,
        factory: SessionFactory,
        bootstrap: str | None,
        *,
        ttl: float = 30.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        """``now``: the monotonic clock the answers' lifetimes are read from (tests move one)."""
        self._factory = factory
        self._bootstrap = bootstrap
        self._ttl = ttl
        self._now = now
        self._cache: dict[str, tuple[float, Principal | None]] = {}
        # The same answers by the header as sent, for the next request with it: no parsing, no
        # digest (a PBX asks for every call with the same header).
        self._by_header: dict[str, tuple[float, Principal]] = {}

    def forget(self) -> None:
        """Drop cached answers (after a token was issued or revoked here)."""
        self._cache.clear()
        self._by_header.clear()

    async def verify(self, header: str | None) -> Principal:
        if header:
            known = self._by_header.get(header)
            if known is not None and known[0] >= self._now():
                return known[1]
        until, principal = await self._verify(header)
        if header and len(header) <= _KEPT_HEADER and header.count(" ") == 1:
            # Only the header as clients write it ("Bearer <token>"): other spellings of the
            # same token would each take an entry.
            if len(self._by_header) > 10_000:
                self._by_header.clear()
            self._by_header[header] = (until, principal)
        return principal

    async def _verify(self, header: str | None) -> tuple[float, Principal]:
        """The header's principal, and until when the answer holds."""
        if not header:
            raise Unauthorized("missing Authorization: Bearer <token>")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("Authorization must be 'Bearer <token>'")
        now = self._now()
        if self._bootstrap and hmac.compare_digest(token.encode(), self._bootstrap.encode()):
            return now + self._ttl, Principal(name="admin", role=TokenRole.ADMIN)
        digest = secret_digest(token)
        cached = self._cache.get(digest)
        if cached is None or cached[0] < now:
            cached = (now + self._ttl, await self._lookup(digest))
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[digest] = cached
        until, principal = cached
        if principal is None:
            raise Unauthorized("unknown or revoked token")
        return until, principal

    async def _lookup(self, digest: str) -> Principal | None:
        """The token's principal; None for a token unknown, revoked, or of a person who may no
        longer hold it (gone inactive, or his role now below the token's)."""
        async with UnitOfWork(self._factory, read_only=True) as uow:
            token = await uow.tokens.by_hash(digest)
            if token is None or token.revoked_at is not None:
                return None
            role = TokenRole(token.role)
            if token.manager_id is None:
                return Principal(name=f"token:{token.name}", role=role)
            person = await uow.managers.get(token.manager_id)
            if person is None or not holds(person, role):
                return None
            scope = await scope_of(uow, person.id, person.role)
        return Principal(name=person.name, role=role, person_id=person.id, scope=scope)
