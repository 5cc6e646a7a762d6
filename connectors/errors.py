"""What a connector can say is wrong with a request; each error names the HTTP answer."""

from __future__ import annotations

from hub.domain.errors import DozvonError


class ConnectorError(DozvonError):
    """Root of connector errors."""

    status = 400
    code = "invalid"


class SignatureError(ConnectorError):
    """The request is not signed by whom it claims to be: 401, nothing stored."""

    status = 401
    code = "bad_signature"


class PayloadError(ConnectorError):
    """The request is signed but its content is malformed: 400 naming the field, nothing stored."""

    status = 400
    code = "invalid"
