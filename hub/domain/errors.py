"""The hub's exception tree; each subclass names the HTTP answer it turns into."""

from __future__ import annotations


class HubError(Exception):
    """Root of every error the hub raises on purpose."""

    status = 500
    code = "internal"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(HubError):
    """The request is malformed or a value makes no sense."""

    status = 400
    code = "invalid"


class Unauthorized(HubError):
    """No credentials, or credentials that do not check out."""

    status = 401
    code = "unauthorized"


class Forbidden(HubError):
    """Valid credentials without the right to do this."""

    status = 403
    code = "forbidden"


class NotFound(HubError):
    status = 404
    code = "not_found"


class Conflict(HubError):
    """The change would break a rule of the directory (a number owned twice, ...)."""

    status = 409
    code = "conflict"


class PayloadTooLarge(HubError):
    status = 413
    code = "too_large"


class Unavailable(HubError):
    """A temporary failure: the caller should retry."""

    status = 503
    code = "unavailable"
