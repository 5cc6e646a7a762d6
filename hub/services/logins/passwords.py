"""Password hashes: argon2id through argon2-cffi, computed off the event loop.

A check against a person who does not exist (or has no password yet) still verifies a hash —
a dummy one — so the answer takes as long as for a wrong password and says nothing of which
part was wrong.
"""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Passwords:
    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        self._dummy: str | None = None

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, stored: str | None, password: str) -> bool:
        """Does ``password`` match ``stored``? With no hash, a dummy one is checked (and fails)."""
        if self._dummy is None:
            self._dummy = await self.hash("not a password of anybody")
        against = stored or self._dummy
        try:
            matched = await asyncio.to_thread(self._hasher.verify, against, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        return matched and stored is not None
