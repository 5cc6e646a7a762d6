"""The routing URL's ``key``: with ``route_key`` set, the dialplan's ``CURL()`` must pass it.

AMI has its own login (the client's), and FastAGI listens where only the PBX reaches; the HTTP
routing URL is the one door that may be open wider, so it can ask for a shared key.
"""

from __future__ import annotations

import hmac

from connectors.errors import SignatureError


def verify(route_key: str | None, given: str | None) -> None:
    """Raise SignatureError unless ``given`` is the configured key (without one, any request)."""
    if route_key is None:
        return
    if not hmac.compare_digest((given or "").encode(), route_key.encode()):
        raise SignatureError("key is missing or wrong")
