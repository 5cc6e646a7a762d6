"""Texts of the team page: managers, supervisors, absences, hours, invites."""

from __future__ import annotations

from notifications.catalogue import Language

TEXTS: dict[str, dict[Language, str]] = {}
