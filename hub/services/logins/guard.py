"""What stands at the console's door: the count of login attempts and the key forms are signed
with.

Attempts are counted per username and per client address in a sliding window in memory — per
instance: behind a load balancer each instance allows its own ten a minute (a brake on guessing
passwords, not an exact quota). The key is the service's own, made once and kept in the
database (as the key of signed links is), so every instance signs and checks forms alike.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from hub.domain.attempts import SlidingWindow
from hub.domain.clock import Clock
from hub.domain.csrf import form_token, token_matches
from hub.domain.logins import normal_login
from hub.services.logins.passwords import Passwords
from storage.db import SessionFactory
from storage.uow import UnitOfWork

# The name the key is kept under in the database (not the key).
KEY_NAME = "console"
# Ten attempts a minute per username and per address; the eleventh is refused.
ATTEMPTS = 10
ATTEMPT_WINDOW = timedelta(minutes=1)
# What a form token is bound to: the person's session, or the login page's cookie.
SESSION = "session"
COOKIE = "cookie"


class LoginGuard:
    def __init__(
        self,
        key: bytes,
        clock: Clock,
        *,
        passwords: Passwords | None = None,
        attempts: int = ATTEMPTS,
        window: timedelta = ATTEMPT_WINDOW,
    ) -> None:
        self._key = key
        self.clock = clock
        self.passwords = passwords or Passwords()
        self._attempts = SlidingWindow(attempts, window)

    def may_try(self, username: str, address: str) -> bool:
        """Count a login attempt; False when the username or the address has had its share."""
        keys = [f"user:{normal_login(username)[:200]}", f"address:{address}"]
        return self._attempts.attempt_all(keys, self.clock.now())

    @staticmethod
    def new_cookie_value() -> str:
        """A random value for the login page's form cookie."""
        return secrets.token_urlsafe(24)

    def token(self, *, session: str | None, cookie: str | None) -> str:
        """The token a form carries: bound to the session when there is one, else to the form
        cookie (which the caller has set)."""
        if session:
            return form_token(self._key, SESSION, session)
        return form_token(self._key, COOKIE, cookie or "")

    def accepts(self, sent: str | None, *, session: str | None, cookie: str | None) -> bool:
        """Does a posted form's token prove it came from our own page?"""
        return token_matches(self._key, SESSION, session, sent) or token_matches(
            self._key, COOKIE, cookie, sent
        )


async def load_guard(factory: SessionFactory, clock: Clock) -> LoginGuard:
    """The guard of this service, with the key from the database (made the first time)."""
    async with UnitOfWork(factory) as uow:
        value = await uow.secrets.get_or_make(KEY_NAME, lambda: secrets.token_hex(32))
        await uow.commit()
    return LoginGuard(value.encode(), clock)
