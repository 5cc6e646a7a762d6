"""Texts of the reports page: figures per manager and for the company, charts, exports."""

from __future__ import annotations

from notifications.catalogue import Language

TEXTS: dict[str, dict[Language, str]] = {}
