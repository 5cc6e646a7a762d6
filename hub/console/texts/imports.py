"""Texts of the import page: uploading clients or sales, progress, rejected rows."""

from __future__ import annotations

from notifications.catalogue import Language

TEXTS: dict[str, dict[Language, str]] = {}
