"""Tokens that prove a console form came from the console's own page (cross-site request
forgery protection).

A form carries a token bound to something a forger's page cannot read: the person's session
(once he is logged in), or, on the login page, a random value kept in an HttpOnly cookie — a
signed double submit. The token is an HMAC of that value with the service's own key, so a value
planted in a cookie from elsewhere does not make a valid token without the key.
"""

from __future__ import annotations

import hashlib
import hmac

FIELD = "csrf"


def form_token(key: bytes, purpose: str, value: str) -> str:
    """The token for forms bound to ``value`` (``purpose`` keeps a session's and a cookie's
    tokens apart)."""
    message = f"{purpose}:{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def token_matches(key: bytes, purpose: str, value: str | None, sent: str | None) -> bool:
    """Does ``sent`` (from the form) prove knowledge of ``value``? Compared in constant time."""
    if not value or not sent:
        return False
    return hmac.compare_digest(form_token(key, purpose, value).encode(), sent.encode())
