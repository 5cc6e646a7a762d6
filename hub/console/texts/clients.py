"""Texts of the clients pages: search, the card, its history and versions."""

from __future__ import annotations

from notifications.catalogue import Language

TEXTS: dict[str, dict[Language, str]] = {}
