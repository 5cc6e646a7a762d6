"""The console's sections, in the order of the navigation bar: a text key and a path each.

A section's page is added by its own module (see ``hub/console/__init__.py``); a link here may
lead to a page still to come."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Section:
    key: str  # its name in hub/console/texts/
    path: str


SECTIONS: tuple[Section, ...] = (
    Section("nav_cases", "/cases"),
    Section("nav_unknown", "/unknown"),
    Section("nav_clients", "/clients"),
    Section("nav_team", "/team"),
    Section("nav_reports", "/reports"),
    Section("nav_import", "/import"),
    Section("nav_audit", "/audit"),
    Section("nav_api", "/api/docs"),
    Section("tokens_nav", "/tokens"),
)
