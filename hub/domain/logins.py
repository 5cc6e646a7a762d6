"""People logging in to the console: what a login and a password may be, how long a session
lives, where a person may be sent after logging in, and the address of a set-password link.

Pure rules; the hashing, the sessions' rows and the links' codes are ``hub/services/logins/``.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

# A login is a word of its own: letters, digits and ``._-@``, with at least one that is not a
# digit — a username of digits alone is an extension, so the two never clash.
_LOGIN = re.compile(r"[^\W_]|[._@-]")
LOGIN_MAX = 60
PASSWORD_MIN = 8
PASSWORD_MAX = 200  # argon2 takes any length; a limit keeps a megabyte "password" out

# A session ends after a week without a visit, and after a month whatever happens.
SESSION_IDLE = timedelta(days=7)
SESSION_MAX = timedelta(days=30)
# Its "last seen" is written at most this often: a page view should not always be a write.
SESSION_TOUCH = timedelta(minutes=5)
# A set-password link works once, for this long.
PASSWORD_LINK_TTL = timedelta(days=3)
PASSWORD_PATH = "/password/"  # noqa: S105 (a path of the site, not a password)


def normal_login(text: str) -> str:
    """A login as it is stored and compared: trimmed, in lower case."""
    return text.strip().casefold()


def login_problem(text: str) -> str | None:
    """Why ``text`` cannot be a login (in English, for the API and the command line), or None."""
    login = normal_login(text)
    if not login:
        return "a login is not empty"
    if len(login) > LOGIN_MAX:
        return f"a login has at most {LOGIN_MAX} characters"
    if not all(_LOGIN.fullmatch(c) for c in login):
        return "a login has letters, digits and . _ - @ only"
    if login.isdigit():
        return "a login of digits alone would be an extension: add a letter"
    return None


def password_problem(password: str) -> str | None:
    """Why ``password`` is refused (in English), or None."""
    if len(password) < PASSWORD_MIN:
        return f"a password has at least {PASSWORD_MIN} characters"
    if len(password) > PASSWORD_MAX:
        return f"a password has at most {PASSWORD_MAX} characters"
    if not password.strip():
        return "a password is not only spaces"
    return None


def session_expiry(created_at: datetime, seen_at: datetime) -> datetime:
    """When a session seen at ``seen_at`` ends if nobody comes back."""
    return min(seen_at + SESSION_IDLE, created_at + SESSION_MAX)


def worth_touching(last_seen: datetime, now: datetime) -> bool:
    """Should a visit at ``now`` write the session's "last seen" (and push its end)?"""
    return now - last_seen >= SESSION_TOUCH


def local_path(target: str | None, default: str = "/") -> str:
    """``target`` if it is a path of this site (``/cases?x=1``), else ``default``: a login page
    never sends a person to another site (``//evil.example``, ``https://...``, ``/\\evil``)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(c in target for c in "\\\r\n\t") or any(ord(c) < 32 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def password_link(base: str | None, code: str) -> str:
    """The link that sets a password with ``code``: absolute from ``base`` (the service's public
    address) when there is one, else the path."""
    path = PASSWORD_PATH + code
    return base.rstrip("/") + path if base else path


def client_address(peer: str | None, real_ip: str | None) -> str:
    """Whose login attempt this is: the address nginx names in ``X-Real-IP`` when the request
    comes from this machine (the proxy of docs/deploy.md), else the connection's own address —
    a header from anywhere else could be anything."""
    if peer and real_ip and _loopback(peer):
        named = real_ip.strip()
        if named and len(named) <= 64:
            return named
    return peer or "-"


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
