"""The project's one exception tree: every error raised on purpose is a :class:`DozvonError`.

Each subclass names the decision it stands for, and the HTTP answer it turns into at the edge
(``status``, ``code``): a connector's refusals (``connectors/errors.py``), the configuration's
(``config/errors.py``) and the storage's busy lock (``storage/db.py``) all derive from it.
"""

from __future__ import annotations


class DozvonError(Exception):
    """Root of every error the project raises on purpose."""

    status = 500
    code = "internal"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DozvonError):
    """The request is malformed or a value makes no sense."""

    status = 400
    code = "invalid"


class Unauthorized(DozvonError):
    """No credentials, or credentials that do not check out."""

    status = 401
    code = "unauthorized"


class Forbidden(DozvonError):
    """Valid credentials without the right to do this."""

    status = 403
    code = "forbidden"


class NotFound(DozvonError):
    status = 404
    code = "not_found"


class Conflict(DozvonError):
    """The change would break a rule of the directory (a number owned twice, ...)."""

    status = 409
    code = "conflict"


class Unavailable(DozvonError):
    """A temporary failure: the caller should retry."""

    status = 503
    code = "unavailable"


def missing(message: str, *, field: str | None = None) -> DozvonError:
    """A thing that does not exist: a 404 when the path named it, a 400 naming ``field`` when a
    body did (the request is then wrong, not its address)."""
    return NotFound(message) if field is None else InvalidInput(message, field=field)
