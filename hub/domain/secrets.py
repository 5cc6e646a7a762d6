"""What is stored of a secret handed out once — an API token, a console session, a set-password
link's code, a staff invite's code: its SHA-256, never the secret itself. The secrets are long
and random (``secrets.token_urlsafe``), so a plain digest is enough to look one up and useless to
whoever reads the database."""

from __future__ import annotations

import hashlib


def secret_digest(secret: str) -> str:
    """The hex SHA-256 a secret is stored and looked up by."""
    return hashlib.sha256(secret.encode()).hexdigest()
