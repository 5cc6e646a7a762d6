"""Signed links: a path anyone holding the link may open until it expires, with no token.

A message or a report is read outside the service — in a messenger, in a spreadsheet — where no
bearer token travels with a click. So the links they carry (a call's recording) are signed: the
path and the moment it expires, under the service's secret (HMAC-SHA256), in the query as
``expires`` (Unix seconds) and ``signature`` (hex). Changing either, or waiting past ``expires``,
makes the link useless; the secret never leaves the service.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from urllib.parse import urlencode

EXPIRES, SIGNATURE = "expires", "signature"


def link_signature(secret: bytes, path: str, expires: int) -> str:
    """The signature of ``path`` valid until ``expires`` (Unix seconds)."""
    return hmac.new(secret, f"{path}\n{expires}".encode(), hashlib.sha256).hexdigest()


def signed_path(secret: bytes, path: str, expires: int) -> str:
    """``path`` with the query that lets it be opened without a token until ``expires``."""
    query = urlencode({EXPIRES: expires, SIGNATURE: link_signature(secret, path, expires)})
    return f"{path}?{query}"


def link_problem(
    secret: bytes, path: str, expires: str | None, signature: str | None, now: datetime
) -> str | None:
    """Why a signed link to ``path`` does not open (None: it does)."""
    if not expires or not signature:
        return "a signed link needs expires and signature"
    if not expires.isdigit() or len(expires) > 12:
        return "expires is not a moment"
    if not hmac.compare_digest(signature, link_signature(secret, path, int(expires))):
        return "the link's signature is wrong"
    if int(expires) <= now.timestamp():
        return "the link has expired"
    return None
