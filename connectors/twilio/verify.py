"""``X-Twilio-Signature``, checked by the official ``twilio`` package's validator.

Twilio signs the exact public URL it requested (with the parameters of a form POST appended in
name order); the validator also tries it with and without the default port. Behind a proxy the
URL the service sees is not the public one: ``public_url`` (or the forwarding headers) rebuild it.
"""

from __future__ import annotations

from collections.abc import Mapping

from twilio.request_validator import RequestValidator
from yarl import URL

from connectors.errors import SignatureError


def public_url(request_url: URL, headers: Mapping[str, str], configured: str | None) -> str:
    """The URL Twilio requested: ``configured`` base + path and query, else what the
    ``X-Forwarded-Proto``/``X-Forwarded-Host`` headers say, else the request's own URL."""
    path = request_url.raw_path_qs
    if configured:
        return configured.rstrip("/") + path
    proto = headers.get("X-Forwarded-Proto", "").split(",")[0].strip()
    host = headers.get("X-Forwarded-Host", "").split(",")[0].strip()
    if proto or host:
        return f"{proto or request_url.scheme}://{host or request_url.raw_authority}{path}"
    return str(request_url)


def verify(auth_token: str, url: str, params: Mapping[str, str], signature: str | None) -> None:
    if not signature:
        raise SignatureError("the X-Twilio-Signature header is missing")
    if not RequestValidator(auth_token).validate(url, dict(params), signature):
        raise SignatureError(f"the X-Twilio-Signature header does not match {url}")
